/** Ruby idioms shared by the rails and gitlab renderers. */
import { rubyString } from './escape.ts';
import type { SecretStyle } from './model.ts';

export const rubySecretStyle: SecretStyle = {
  literal: rubyString,
  env: (name) => `ENV.fetch(${rubyString(name)})`,
  file: (path) => `File.read(${rubyString(path)}).chomp`,
};

/** mail gem `authentication` names. */
export const RUBY_AUTH: Record<string, string> = { login: 'login', plain: 'plain', 'cram-md5': 'cram_md5' };
