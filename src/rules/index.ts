import type { Rule } from '../types.ts';
import { rule as cleartextAuth } from './cleartext-auth.ts';
import { rule as fromRequired } from './from-required.ts';
import { rule as headerInjection } from './header-injection.ts';
import { rule as invalidAddress } from './invalid-address.ts';
import { rule as plaintextSecret } from './plaintext-secret.ts';
import { rule as port25Submission } from './port-25-submission.ts';
import { rule as portEncryptionMismatch } from './port-encryption-mismatch.ts';
import { rule as presetMismatch } from './preset-mismatch.ts';
import { rule as providerAppPassword } from './provider-app-password.ts';
import { rule as providerBasicAuth } from './provider-basic-auth.ts';
import { rule as providerDailyLimit } from './provider-daily-limit.ts';
import { rule as schema } from './schema.ts';
import { rule as senderDomainMismatch } from './sender-domain-mismatch.ts';
import { rule as targetOutPath } from './target-out-path.ts';
import { rule as tlsVerifyDisabled } from './tls-verify-disabled.ts';
import { rule as weakTlsVersion } from './weak-tls-version.ts';
import { rule as xoauth2Setup } from './xoauth2-setup.ts';
import { rule as yamlSyntax } from './yaml-syntax.ts';

/** Every lint rule, declared once: the engine, `mailcheck rules`, SARIF and the docs derive from it. */
export const RULES: readonly Rule[] = [
  yamlSyntax,
  schema,
  portEncryptionMismatch,
  cleartextAuth,
  plaintextSecret,
  tlsVerifyDisabled,
  headerInjection,
  invalidAddress,
  fromRequired,
  presetMismatch,
  providerAppPassword,
  providerBasicAuth,
  providerDailyLimit,
  port25Submission,
  senderDomainMismatch,
  weakTlsVersion,
  targetOutPath,
  xoauth2Setup,
];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.id));

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
