// Keyset paging of the engine's lists (newest first, "load more" asks for ids below the last
// page's cursor): pages are appended, and a record that arrives twice (a record added between two
// pages shifts the next page by one) is kept once, where it was first seen.

export function appendPage<T extends { id: number }>(have: readonly T[], page: readonly T[]): T[] {
  const seen = new Set(have.map((item) => item.id));
  const out = [...have];
  for (const item of page) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
  }
  return out;
}

/** The list with the records in `replaced` put in place of those with the same id. */
export function withReplaced<T extends { id: number }>(items: readonly T[], replaced: ReadonlyMap<number, T>): T[] {
  return replaced.size === 0 ? [...items] : items.map((item) => replaced.get(item.id) ?? item);
}
