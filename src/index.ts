/**
 * mailcheck's programmatic API: lint, check, send, render and deploy a mail.yaml. The CLI is a
 * thin layer over these functions. Nothing here prints or exits.
 *
 * The online half (DNS, SMTP, TLS, nodemailer) is loaded on the first call of `check`, `send` or
 * `deploy`: importing the package to lint loads no network code.
 */
import type { runChecks } from './checks/run.ts';
import type { deploy as deployFn } from './deploy.ts';
import { lintPaths, type LintedFile, type LintOptions } from './engine.ts';
import { MailcheckError } from './errors.ts';
import type { sendTest } from './send.ts';

export { lintPaths as lint, lintSource, buildReport, exitCodeOf, summarize, interpolateProfile } from './engine.ts';
export type { LintedFile, LintOptions } from './engine.ts';
export type { CheckRunOptions, CheckEvent } from './checks/run.ts';
export type { SendOptions, SendResult } from './send.ts';
export { render, getRenderer } from './render.ts';
export type { DeployOptions, DeployResult } from './deploy.ts';

/** Runs the online checks (SPEC §4) of the profiles; see {@link runChecks}. */
export async function check(...args: Parameters<typeof runChecks>): ReturnType<typeof runChecks> {
  return (await import('./checks/run.ts')).runChecks(...args);
}

/** Sends a real test message with a profile; see {@link sendTest}. */
export async function send(...args: Parameters<typeof sendTest>): ReturnType<typeof sendTest> {
  return (await import('./send.ts')).sendTest(...args);
}

/** Lints, checks and writes every `targets:` entry; see {@link deployFn}. */
export async function deploy(...args: Parameters<typeof deployFn>): ReturnType<typeof deployFn> {
  return (await import('./deploy.ts')).deploy(...args);
}
export { allPresets, findPreset, detectProvider } from './presets/index.ts';
export { RULES, findRule } from './rules/index.ts';
export { REPORTERS, FORMATS } from './report/index.ts';
export { loadEnv } from './config/env.ts';
export { Secret, revealSecret, SecretError } from './config/secret.ts';
export { MailcheckError } from './errors.ts';
export { VERSION } from './version.ts';
export type * from './types.ts';

/**
 * Loads one mail.yaml: the merged profiles and targets, ready for `check`, `send` and `render`.
 * Throws a {@link MailcheckError} (`E_CONFIG`) naming the first error when the file does not lint
 * clean at error level; use `lint` for the full list of problems.
 */
export async function loadConfig(path: string, options: LintOptions = {}): Promise<LintedFile> {
  const [file] = await lintPaths([path], options);
  if (!file) throw new MailcheckError('E_NOT_FOUND', `${path} not found`);
  const first = file.diagnostics.find((d) => d.severity === 'error');
  if (first) {
    throw new MailcheckError('E_CONFIG', `${file.path}:${first.line}:${first.column}: ${first.message} (${first.ruleId})`, first.hint);
  }
  return file;
}
