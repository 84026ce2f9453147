// The one error type of the ONVIF adapter (docs/design/onvif.md). Its message is shown to an
// administrator as it is: in words, naming what the device did or demanded, never a stack, a URL
// with user info, or a credential.

export const ONVIF_ERROR_KINDS = [
  /** The device refused the credentials (the message says which scheme it demanded). */
  'auth',
  /** The credentials were accepted but the account may not do this (HTTP 403, NotAuthorized later). */
  'forbidden',
  /** Nothing answers at the address, or the connection broke. */
  'unreachable',
  /** The device answered a SOAP fault or an HTTP error. */
  'fault',
  /** A request or the whole read took longer than its limit. */
  'timeout',
  /** The answer was not well-formed SOAP, missed what it must carry, or was too large. */
  'malformed',
  /** The device demands something the console does not do (e.g. HTTP Basic over plain HTTP). */
  'unsupported',
] as const;
export type OnvifErrorKind = (typeof ONVIF_ERROR_KINDS)[number];

/** A failure worth showing to an administrator as it is (no stack, no credentials). */
export class OnvifError extends Error {
  constructor(
    readonly kind: OnvifErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'OnvifError';
  }
}

/** Untrusted text from a device made fit for a message: one line, bounded, the password removed. */
export function deviceText(text: string, password = '', maxChars = 200): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  let clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (password.length >= 3) clean = clean.split(password).join('***');
  clean = clean.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1');
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}
