#!/usr/bin/env bash
# System packages the test suite drives as real clients: msmtp, and swaks with its TLS module
# (Net::SSLeay, a Recommends that --no-install-recommends would leave out), and PHP's CLI with
# PHPMailer (the library Perfex CRM / Djaboo sends with). Debian/Ubuntu.
# Idempotent and quiet. Never fails the run for lack of root or apt-get: the tests that need a
# missing program then fail with a message saying to install it.
set -u

packages=(msmtp swaks libnet-ssleay-perl php-cli libphp-phpmailer)
missing=()
command -v msmtp >/dev/null 2>&1 || missing+=(msmtp)
command -v swaks >/dev/null 2>&1 || missing+=(swaks)
perl -MNet::SSLeay -e 1 >/dev/null 2>&1 || missing+=(libnet-ssleay-perl)
command -v php >/dev/null 2>&1 || missing+=(php-cli)
[ -f /usr/share/php/libphp-phpmailer/autoload.php ] || missing+=(libphp-phpmailer)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing ${missing[*]} and cannot install here (needs root and apt-get);" >&2
  echo "  install with: sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq >/dev/null 2>&1; then
  echo "setup-system: apt-get update failed; the msmtp/swaks tests will say what is missing" >&2
  exit 0
fi
if ! apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1; then
  echo "setup-system: apt-get install ${packages[*]} failed; the msmtp/swaks tests will say what is missing" >&2
fi
exit 0
