#!/usr/bin/env bash
# System packages the test suite drives as real clients: msmtp, and swaks with its TLS module
# (Net::SSLeay, a Recommends that --no-install-recommends would leave out); and the apps' own
# parsers the round-trip tests read rendered files with (test/render/roundtrip/): Ruby with the
# mail and dotenv gems (Mastodon, Rails, GitLab, Discourse), PHP with Symfony Mailer and Dotenv,
# Python with Django and python-dotenv, Postfix's postconf/postmap. Debian/Ubuntu.
# Idempotent and quiet. Never fails the run for lack of root or apt-get: the tests that need a
# missing program then fail with a message saying to install it.
set -u

packages=(msmtp swaks libnet-ssleay-perl ruby ruby-mail ruby-dotenv php-cli php-symfony-mailer php-symfony-dotenv php-vlucas-phpdotenv python3 python3-django python3-dotenv postfix)
missing=()
command -v msmtp >/dev/null 2>&1 || missing+=(msmtp)
command -v swaks >/dev/null 2>&1 || missing+=(swaks)
perl -MNet::SSLeay -e 1 >/dev/null 2>&1 || missing+=(libnet-ssleay-perl)
/usr/bin/ruby -e 'require "mail"; require "dotenv"' >/dev/null 2>&1 || missing+=(ruby ruby-mail ruby-dotenv)
[ -f /usr/share/php/Symfony/Component/Mailer/autoload.php ] && [ -f /usr/share/php/Symfony/Component/Dotenv/autoload.php ] && [ -f /usr/share/php/Dotenv/autoload.php ] && command -v php >/dev/null 2>&1 || missing+=(php-cli php-symfony-mailer php-symfony-dotenv php-vlucas-phpdotenv)
/usr/bin/python3 -c 'import django, dotenv' >/dev/null 2>&1 || missing+=(python3 python3-django python3-dotenv)
[ -x /usr/sbin/postconf ] && [ -x /usr/sbin/postmap ] || missing+=(postfix)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing ${missing[*]} and cannot install here (needs root and apt-get);" >&2
  echo "  install with: sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# postfix asks which configuration to install: none (the tests only run postconf/postmap)
if command -v debconf-set-selections >/dev/null 2>&1; then
  printf '%s\n' 'postfix postfix/main_mailer_type select No configuration' 'postfix postfix/mailname string localhost' | debconf-set-selections
fi
if ! apt-get update -qq >/dev/null 2>&1; then
  echo "setup-system: apt-get update failed; the client and round-trip tests will say what is missing" >&2
  exit 0
fi
if ! apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1; then
  echo "setup-system: apt-get install ${packages[*]} failed; the client and round-trip tests will say what is missing" >&2
fi
exit 0
