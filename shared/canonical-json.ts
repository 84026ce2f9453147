// The one canonical JSON of the project (RFC 8785, JSON Canonicalization Scheme), for everything
// that is hashed or signed: audit entry details, checkpoints, evidence manifests and addenda. Keys
// sorted by UTF-16 code units, no whitespace, numbers and strings as ECMAScript writes them; no
// NaN, Infinity or lone surrogates (refused). Anyone can re-derive the bytes with any JCS library.
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('canonical JSON: the value has no JSON form');
  return text;
}
