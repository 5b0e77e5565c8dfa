/** A failure of the tool (not of the user's mail setup): exit code 2, one clear line, a hint. */
export class MailcheckError extends Error {
  constructor(
    /** stable code, e.g. `E_NOT_FOUND`, `E_USAGE`, `E_SECRET` */
    readonly code: string,
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
