/**
 * The stable codes of tool failures (exit code 2). Tools and tests match on these; the wording
 * of the message may change.
 */
export const ERROR_CODES = {
  E_USAGE: 'a flag or argument is wrong',
  E_NOT_FOUND: 'a file or profile named on the command line does not exist',
  E_READ: 'a file exists but cannot be read (permissions, not a regular file, too large)',
  E_WRITE: "a file may not be written there: not a regular file, a symbolic link, or outside the mail.yaml's folder",
  E_EXISTS: 'a file would be overwritten without --force',
  E_CHANGED: 'a file changed on disk while mailcheck was working on it (nothing was written)',
  E_CONFIG: 'the mail.yaml has errors (the API refuses to load it)',
  E_ENV: 'an environment value cannot be used',
  E_ENV_FILE: 'an --env-file cannot be read or parsed',
  E_SECRET: 'a secret reference cannot be resolved',
  E_DNS: 'a DNS lookup the command needs failed',
  E_DISCOVERY: '`init --domain` found nothing it could write safely',
  E_SEND: 'the test message could not be sent',
  E_NO_TARGETS: 'deploy found no targets: entries',
  E_UNKNOWN_TARGET: 'no render target has that id',
  E_RENDER_TRANSPORT: "the target cannot express the profile's transport",
  E_RENDER_VALUE: 'a value the target format cannot hold',
  E_RENDER_SECRETS: 'secrets cannot be written the way asked',
  E_RENDER_VERSION: 'the target has no such version, or the version is not a version',
  E_SANDBOX_CLOSED: 'the sandbox was used after close()',
  E_SANDBOX_HOST: 'the sandbox may only listen on loopback',
  E_SANDBOX_LISTEN: 'the sandbox could not listen',
  E_SANDBOX_PORT: 'a sandbox port is taken or invalid',
  E_LISTEN: 'the exporter cannot listen on the address given',
  E_UNSAFE_VALUE: 'a value would put a line break (or NUL) into an SMTP command or a header',
  E_OAUTH: 'an OAuth2 flow failed: the provider refused, the user denied, the code expired, or the endpoint is not https',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** A failure of the tool (not of the user's mail setup): exit code 2, one clear line, a hint. */
export class MailcheckError extends Error {
  constructor(
    /** stable code, one of {@link ERROR_CODES} */
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'MailcheckError';
  }
}

export function isMailcheckError(err: unknown): err is MailcheckError {
  return err instanceof MailcheckError;
}
