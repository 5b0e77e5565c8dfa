/**
 * Every render target, declared once: `mailcheck render --target`, `mailcheck targets`, the
 * README table's meta-test and deploy's validation all derive from this list.
 */
import type { Renderer } from '../types.ts';
import { renderer as authentik } from './authentik.ts';
import { renderer as discourse } from './discourse.ts';
import { renderer as django } from './django.ts';
import { renderer as env } from './env.ts';
import { renderer as ghost } from './ghost.ts';
import { renderer as gitea } from './gitea.ts';
import { renderer as gitlab } from './gitlab.ts';
import { renderer as grafana } from './grafana.ts';
import { renderer as keycloak } from './keycloak.ts';
import { renderer as laravel } from './laravel.ts';
import { renderer as managerIo } from './manager-io.ts';
import { renderer as mastodon } from './mastodon.ts';
import { renderer as msmtp } from './msmtp.ts';
import { renderer as n8n } from './n8n.ts';
import { renderer as nextcloud } from './nextcloud.ts';
import { renderer as nodemailer } from './nodemailer.ts';
import { renderer as perfex } from './perfex.ts';
import { renderer as plausible } from './plausible.ts';
import { renderer as postfix } from './postfix.ts';
import { renderer as rails } from './rails.ts';
import { renderer as sentry } from './sentry.ts';
import { renderer as shareInfo } from './share-info.ts';
import { renderer as shipturtle } from './shipturtle.ts';
import { renderer as spring } from './spring.ts';
import { renderer as supabase } from './supabase.ts';
import { renderer as swaks } from './swaks.ts';
import { renderer as symfony } from './symfony.ts';
import { renderer as wordpress } from './wordpress.ts';

/** Every renderer, in the order `mailcheck targets` lists them. */
const ALL: readonly Renderer[] = [
  env,
  laravel,
  symfony,
  django,
  rails,
  spring,
  nodemailer,
  ghost,
  mastodon,
  discourse,
  gitea,
  gitlab,
  grafana,
  keycloak,
  supabase,
  n8n,
  nextcloud,
  authentik,
  sentry,
  plausible,
  wordpress,
  msmtp,
  postfix,
  swaks,
  perfex,
  managerIo,
  shipturtle,
  shareInfo,
];

/** Renderers by target id. */
export const RENDERERS: Readonly<Record<string, Renderer>> = Object.freeze(Object.fromEntries(ALL.map((r) => [r.meta.id, r])));

/** Target ids in listing order. */
export const TARGET_IDS: readonly string[] = ALL.map((r) => r.meta.id);
