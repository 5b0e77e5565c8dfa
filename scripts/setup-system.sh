#!/usr/bin/env bash
# System packages the test suite and the bench drive as real peers, each with the probe that says
# it is there. Debian/Ubuntu. Idempotent and quiet. Never fails the run for lack of root or
# apt-get: the tests that need a missing program then fail with a message saying to install it.
set -u

missing=()
# need PACKAGE PROBE: PACKAGE is installed when PROBE (a shell command) succeeds
need() { bash -c "$2" >/dev/null 2>&1 || missing+=("$1"); }

need msmtp              'command -v msmtp'                       # a real SMTP client (test/render)
need swaks              'command -v swaks'                       # a real SMTP client, and the bench's peer
need libnet-ssleay-perl 'perl -MNet::SSLeay -e 1'                # swaks' TLS (a Recommends --no-install-recommends drops)
need python3-aiosmtpd   "/usr/bin/python3 -c 'import aiosmtpd'"  # the bench's SMTP peer no one here wrote
need prometheus         'command -v promtool && command -v prometheus'  # the exporter's scrape and rule tests

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing ${missing[*]} and cannot install here (needs root and apt-get);" >&2
  echo "  install with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq >/dev/null 2>&1; then
  echo "setup-system: apt-get update failed; the tests that need ${missing[*]} will say so" >&2
  exit 0
fi
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  echo "setup-system: apt-get install ${missing[*]} failed; the tests that need them will say so" >&2
fi
exit 0
