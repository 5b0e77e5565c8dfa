#!/usr/bin/env bash
# System packages the test suite drives as real clients: msmtp and swaks (Debian/Ubuntu).
# Idempotent and quiet. Never fails the run for lack of root or apt-get: the tests that need a
# missing program then fail with a message saying to install it.
set -u

missing=()
for prog in msmtp swaks; do
  command -v "$prog" >/dev/null 2>&1 || missing+=("$prog")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: ${missing[*]} not installed and cannot install them here (needs root and apt-get);" >&2
  echo "  install them with: sudo apt-get install -y --no-install-recommends msmtp swaks" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq >/dev/null 2>&1; then
  echo "setup-system: apt-get update failed; the msmtp/swaks tests will say what is missing" >&2
  exit 0
fi
if ! apt-get install -y -qq --no-install-recommends msmtp swaks >/dev/null 2>&1; then
  echo "setup-system: apt-get install msmtp swaks failed; the msmtp/swaks tests will say what is missing" >&2
fi
exit 0
