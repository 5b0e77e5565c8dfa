/**
 * Round trips through Ruby, as the apps read their settings: Mastodon (dotenv gem → ERB →
 * Psych for 4.4+, the variables directly for < 4.4), Rails' and GitLab's Ruby settings, and
 * Discourse's app.yml — each handed to the mail gem's SMTP delivery method and address parser.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../../src/render.ts';
import { BASE_DIR, hardProfile, HARD_PASSWORD, type Meant } from './profiles.ts';
import { folder, requireTool, run } from './tools.ts';

const RUBY = '/usr/bin/ruby';
const EMAIL_YML = join(import.meta.dirname, '..', '..', 'fixtures', 'mastodon', 'email.yml');

/** What the mail gem ends up with: its SMTP settings and the From parsed by Mail::Address. */
interface Read {
  address: string;
  port: number;
  user_name: string;
  password: string;
  tls: boolean | null;
  enable_starttls: boolean | string | null;
  enable_starttls_auto: boolean | null;
  openssl_verify_mode: string | null;
  ca_file: string | null;
  from_address: string;
  from_name: string | null;
}

const PRINT = `
def report(s, from)
  smtp = Mail::SMTP.new(s.transform_keys(&:to_sym))
  v = smtp.settings
  a = Mail::Address.new(from)
  puts JSON.generate({ address: v[:address], port: v[:port].to_i, user_name: v[:user_name], password: v[:password],
    tls: v[:tls], enable_starttls: v[:enable_starttls], enable_starttls_auto: v[:enable_starttls_auto],
    openssl_verify_mode: v[:openssl_verify_mode]&.to_s, ca_file: v[:ca_file],
    from_address: a.address, from_name: a.display_name })
end
`;

function ruby(script: string, env: Record<string, string> = {}): Read {
  return JSON.parse(run(RUBY, ['-e', `require 'json'; require 'mail'; require 'dotenv'; require 'erb'; require 'yaml'\n${PRINT}\n${script}`], { env })) as Read;
}

function expectMeant(read: Read, meant: Meant): void {
  expect({ host: read.address, port: read.port, user: read.user_name, password: read.password, ca: read.ca_file }).toEqual({
    host: meant.host,
    port: meant.port,
    user: meant.user,
    password: meant.password,
    ca: meant.ca,
  });
  expect({ address: read.from_address, name: read.from_name }).toEqual({ address: meant.fromAddress, name: meant.fromName });
  // the mail gem verifies (OpenSSL VERIFY_PEER) when no mode is set
  expect(read.openssl_verify_mode ?? 'peer').toBe(meant.verify ? 'peer' : 'none');
  if (meant.encryption === 'ssl') expect(read.tls).toBe(true);
  else expect(read.tls).toBeFalsy();
}

beforeAll(() => requireTool('Ruby with the mail and dotenv gems (ruby, ruby-mail, ruby-dotenv)', RUBY, ['-e', 'require "mail"; require "dotenv"']));

describe('mastodon .env.production through Mastodon 4.4+ config/email.yml (dotenv, ERB, Psych, mail gem)', () => {
  const readEmailYml = (dir: string, env: Record<string, string> = {}): Read =>
    ruby(
      `Dotenv::Parser.call(File.read('${dir}/.env.production')).each { |k, v| ENV[k] = v }
       c = YAML.load(ERB.new(File.read('${EMAIL_YML}')).result, aliases: true)['production']
       report(c['smtp_settings'], c['from_address'])`,
      env,
    );

  it.each(['ssl', 'starttls'] as const)('%s, From name with quotes and a comma, --secrets inline', (enc) => {
    const { profile, meant } = hardProfile(enc);
    const out = render(profile, 'mastodon', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    const read = readEmailYml(folder({ '.env.production': out.files[0]!.content }));
    expectMeant(read, meant);
    expect(read.enable_starttls).toBe(enc === 'starttls' ? 'always' : 'never');
  });

  it('--secrets ref: ${SMTP_PASSWORD} expanded by dotenv from the environment', () => {
    const { profile, meant } = hardProfile('starttls', 'Acme Billing');
    const out = render(profile, 'mastodon', { secrets: 'ref', baseDir: BASE_DIR });
    const read = readEmailYml(folder({ '.env.production': out.files[0]!.content }), { SMTP_PASSWORD: 'plain-Secret.123' });
    expectMeant(read, { ...meant, password: 'plain-Secret.123' });
  });
});

describe('mastodon .env.production for < 4.4 (the mail gem reads the variables directly)', () => {
  it('--target-version 4.3: From name with quotes, the hard password', () => {
    const { profile, meant } = hardProfile('ssl');
    const out = render(profile, 'mastodon', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR, version: '4.3' });
    const dir = folder({ '.env.production': out.files[0]!.content });
    const read = ruby(
      `e = Dotenv::Parser.call(File.read('${dir}/.env.production'))
       report({ address: e['SMTP_SERVER'], port: e['SMTP_PORT'], user_name: e['SMTP_LOGIN'], password: e['SMTP_PASSWORD'],
                tls: e['SMTP_TLS'] == 'true', enable_starttls: e['SMTP_ENABLE_STARTTLS'], openssl_verify_mode: e['SMTP_OPENSSL_VERIFY_MODE'],
                ca_file: e['SMTP_CA_FILE'] }, e['SMTP_FROM_ADDRESS'])`,
    );
    expectMeant(read, meant);
  });
});

describe('rails mail.rb (evaluated, settings handed to the mail gem)', () => {
  it.each(['ssl', 'starttls'] as const)('%s', (enc) => {
    const { profile, meant } = hardProfile(enc);
    const out = render(profile, 'rails', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    const dir = folder({ 'mail.rb': out.files[0]!.content });
    const read = ruby(
      `require 'ostruct'
       class App; def config; @c ||= OpenStruct.new(action_mailer: OpenStruct.new); end; def configure(&b) = instance_eval(&b); end
       module Rails; def self.application = (@app ||= App.new); end
       load '${dir}/mail.rb'
       am = Rails.application.config.action_mailer
       from = (am.default_options || {})[:from]
       report(am.smtp_settings, from)`,
    );
    expectMeant(read, meant);
  });
});

describe('gitlab.rb (evaluated as Omnibus does, mapped to the mail gem like its smtp_settings template)', () => {
  it.each(['ssl', 'starttls'] as const)('%s', (enc) => {
    const { profile, meant } = hardProfile(enc);
    const out = render(profile, 'gitlab', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    const dir = folder({ 'gitlab.rb': out.files[0]!.content });
    const read = ruby(
      `G = {}
       def gitlab_rails = G
       load '${dir}/gitlab.rb'
       s = G.select { |k, _| k.start_with?('smtp_') }.to_h { |k, v| [k.delete_prefix('smtp_'), v] }
       from = Mail::Address.new(G['gitlab_email_from']); from.display_name = G['gitlab_email_display_name']
       report(s, from.to_s)`,
    );
    expectMeant(read, meant);
  });
});

describe('discourse app.yml env (Psych, then the variables Discourse maps onto the mail gem)', () => {
  it.each(['ssl', 'starttls'] as const)('%s', (enc) => {
    const { profile, meant } = hardProfile(enc);
    const out = render(profile, 'discourse', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    const dir = folder({ 'app.yml': out.files[0]!.content });
    const read = ruby(
      `e = YAML.load(File.read('${dir}/app.yml'))['env']
       report({ address: e['DISCOURSE_SMTP_ADDRESS'], port: e['DISCOURSE_SMTP_PORT'], user_name: e['DISCOURSE_SMTP_USER_NAME'],
                password: e['DISCOURSE_SMTP_PASSWORD'], tls: e['DISCOURSE_SMTP_FORCE_TLS'] == true || e['DISCOURSE_SMTP_FORCE_TLS'] == 'true',
                enable_starttls_auto: e['DISCOURSE_SMTP_ENABLE_START_TLS'], openssl_verify_mode: e['DISCOURSE_SMTP_OPENSSL_VERIFY_MODE'] || 'peer',
                ca_file: e['DISCOURSE_SMTP_CA_FILE'] }, e['DISCOURSE_NOTIFICATION_EMAIL'])`,
    );
    expect({ host: read.address, port: read.port, user: read.user_name, password: read.password }).toEqual({
      host: meant.host,
      port: meant.port,
      user: meant.user,
      password: meant.password,
    });
    expect(read.from_address).toBe(meant.fromAddress);
    if (enc === 'ssl') expect(read.tls).toBe(true);
  });
});
