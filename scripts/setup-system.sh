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

need ruby                "/usr/bin/ruby -e 'require \"mail\"'"   # Ruby + the mail gem: Mastodon, Rails, GitLab, Discourse round trips
need ruby-mail           "/usr/bin/ruby -e 'require \"mail\"'"
need ruby-dotenv         "/usr/bin/ruby -e 'require \"dotenv\"'"
need php-cli             'command -v php'                         # PHP: Symfony Mailer's DSN factory, phpdotenv
need php-symfony-mailer  '[ -f /usr/share/php/Symfony/Component/Mailer/autoload.php ]'
need php-symfony-dotenv  '[ -f /usr/share/php/Symfony/Component/Dotenv/autoload.php ]'
need php-vlucas-phpdotenv '[ -f /usr/share/php/Dotenv/autoload.php ]'
need python3-django      "/usr/bin/python3 -c 'import django'"    # Django's get_connection()
need python3-dotenv      "/usr/bin/python3 -c 'import dotenv'"    # python-dotenv reading .env
need postfix             '[ -x /usr/sbin/postconf ] && [ -x /usr/sbin/postmap ]'  # postconf/postmap on rendered main.cf
need libphp-phpmailer     '[ -f /usr/share/php/libphp-phpmailer/autoload.php ] || [ -d /usr/share/php/libphp-phpmailer ]'  # PHPMailer: Perfex CRM / Djaboo's mail library
need pre-commit          'command -v pre-commit'                  # the pre-commit hook, tried with `pre-commit try-repo`
need nodeenv             "/usr/bin/python3 -c 'import nodeenv'"   # pre-commit's node hooks set up their env with it
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing ${missing[*]} and cannot install here (needs root and apt-get);" >&2
  echo "  install with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# postfix asks which configuration to install: none (the tests only run postconf/postmap)
if command -v debconf-set-selections >/dev/null 2>&1; then
  printf '%s\n' 'postfix postfix/main_mailer_type select No configuration' 'postfix postfix/mailname string localhost' | debconf-set-selections
fi
if ! apt-get update -qq >/dev/null 2>&1; then
  echo "setup-system: apt-get update failed; the tests that need ${missing[*]} will say so" >&2
  exit 0
fi
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  echo "setup-system: apt-get install ${missing[*]} failed; the tests that need them will say so" >&2
fi
exit 0
