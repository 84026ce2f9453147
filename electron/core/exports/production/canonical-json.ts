// Canonical JSON for the signed manifest (DESIGN §7): object keys sorted by code point at every
// level, two-space indentation, UTF-8, LF, one trailing newline. The signature covers these exact
// bytes, so anyone can re-derive them; undefined values are left out, as JSON.stringify does.

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v: unknown = Reflect.get(value, k);
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
  return value;
}

export function canonicalJson(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(sortKeys(value), null, 2)}\n`, 'utf8');
}
