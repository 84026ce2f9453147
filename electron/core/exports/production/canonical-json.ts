// The bytes of the package's signed lists (manifest.json, addendum.json): the project's one
// canonical JSON (RFC 8785, shared/canonical-json.ts) in UTF-8. The signature covers these exact
// bytes, so anyone can re-derive them with any JCS implementation.
import { canonicalJson as canonicalText } from '../../../../shared/canonical-json';

export function canonicalJson(value: unknown): Buffer {
  return Buffer.from(canonicalText(value), 'utf8');
}
