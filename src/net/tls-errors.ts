/**
 * OpenSSL's errors as users can act on them. Node passes OpenSSL's own strings through
 * (`…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…/ssl3_record.c:354:`);
 * they name a source file, not the cause. The stable part is Node's `code` (ERR_SSL_<REASON>)
 * or the reason text after the function name; the message here says what it means for a mail
 * server. The raw code is kept in `code` for whoever needs it (the report's details).
 */
export interface TlsErrorInfo {
  /** a sentence for the report */
  message: string;
  /** the server answered in plain text: it does not speak TLS on this port (yet) */
  plainText: boolean;
  /** Node's / OpenSSL's code, e.g. ERR_SSL_WRONG_VERSION_NUMBER */
  code?: string;
}

const RULES: Array<[RegExp, (via: TlsVia) => string, boolean?]> = [
  [
    /WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG|packet length too long|HTTP_REQUEST|http request|unknown protocol/i,
    (via) =>
      via === 'implicit'
        ? 'the server answered in plain text: it probably wants starttls, not ssl'
        : 'the server answered the TLS handshake in plain text: it does not speak TLS after STARTTLS',
    true,
  ],
  [/UNSUPPORTED_PROTOCOL|unsupported protocol|ALERT_PROTOCOL_VERSION|alert protocol version/i, () => 'the server and this client share no TLS version (see tls.minVersion)'],
  [/NO_SHARED_CIPHER|no shared cipher|HANDSHAKE_FAILURE|handshake failure|NO_CIPHERS_AVAILABLE|no ciphers available/i, () => 'the server and this client share no cipher suite'],
  [/DH_KEY_TOO_SMALL|dh key too small|EE_KEY_TOO_SMALL|ee key too small/i, () => 'the server uses a key too small for this client to accept'],
  [/UNRECOGNIZED_NAME|unrecognized name/i, () => 'the server does not know the host name this client asked for (SNI)'],
  [/ECONNRESET|socket hang up/i, () => 'the server dropped the connection during the TLS handshake'],
  [/INTERNAL_ERROR|internal error/i, () => 'the server reported an internal error during the TLS handshake'],
];

export type TlsVia = 'implicit' | 'starttls';

/** `ERR_SSL_…` or the reason text of an OpenSSL error string, without file names and numbers. */
function reasonOf(message: string): string {
  // error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:
  const m = /error:[0-9A-F]{8}:[^:]*:[^:]*:([^:]+)/i.exec(message);
  if (m) return m[1]!.trim();
  return message.replace(/\s*\S*\.c:\d+:?/g, '').trim();
}

/** A TLS handshake error as a clear message (see {@link TlsErrorInfo}). */
export function describeTlsError(err: { message?: string; code?: string }, via: TlsVia): TlsErrorInfo {
  const text = `${err.code ?? ''} ${err.message ?? ''}`;
  const code = err.code && err.code !== 'ETLS' ? err.code : undefined;
  for (const [pattern, say, plainText] of RULES) {
    if (pattern.test(text)) return { message: say(via), plainText: plainText === true, ...(code ? { code } : {}) };
  }
  return { message: `the TLS handshake failed: ${reasonOf(err.message ?? 'unknown error')}`, plainText: false, ...(code ? { code } : {}) };
}
