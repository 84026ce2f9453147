// A wall on a second monitor (docs/design/operator-ui.md "Walls"): the console's own page opened
// again with the `wall` hash parameter names the wall it shows, alone. The renderer builds that
// address (a second tab in a browser seat); the desktop app's main process recognises it and opens
// a second console window of its own for it, and refuses every other new window. Plain string work:
// shared code has neither the DOM's nor Node's URL types.

const WALL_PARAM = 'wall';

function split(href: string): { base: string; params: [string, string][] } {
  const i = href.indexOf('#');
  const base = i < 0 ? href : href.slice(0, i);
  const hash = i < 0 ? '' : href.slice(i + 1);
  const params = hash
    .split('&')
    .filter((p) => p !== '')
    .map((p): [string, string] => {
      const eq = p.indexOf('=');
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      return eq < 0 ? [decode(p), ''] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    });
  return { base, params };
}

/** `href` with the `wall` hash parameter set to `name`; the page's other hash parameters are kept. */
export function wallWindowUrl(href: string, name: string): string {
  const { base, params } = split(href);
  const kept = params.filter(([k]) => k !== WALL_PARAM);
  const all: [string, string][] = [...kept, [WALL_PARAM, name]];
  return `${base}#${all.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

/** The wall a window was opened for, or null (no `wall` parameter, an empty name, an unreadable address). */
export function wallOfWindow(href: string): string | null {
  let params: [string, string][];
  try {
    params = split(href).params;
  } catch {
    return null; // a malformed %-escape
  }
  const name = params.find(([k]) => k === WALL_PARAM)?.[1].trim() ?? '';
  return name === '' || name.length > 240 ? null : name;
}
