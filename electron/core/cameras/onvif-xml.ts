// A small, strict XML reader for ONVIF answers (docs/design/onvif.md). Devices are untrusted: the
// input is bounded by the caller, DTDs are refused (no entity expansion, SOAP 1.2 forbids them),
// depth and element count are capped, and anything that is not well-formed throws XmlError.
// Vendors use every prefix imaginable (tt:, ns2:, none at all), so elements and attributes are
// matched by local name only.

export interface XmlElement {
  /** Local name, prefix removed. */
  name: string;
  /** Attributes by local name. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (text and CDATA), trimmed. */
  text: string;
}

export class XmlError extends Error {}

export interface XmlLimits {
  maxDepth: number;
  maxElements: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 200_000 };
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
const ATTR = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon >= 0 ? qname.slice(colon + 1) : qname;
}

function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{1,10});|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new XmlError('bare & in character data');
    if (ref in NAMED_ENTITIES) return NAMED_ENTITIES[ref] ?? '';
    const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    const code = m ? (m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2])) : NaN;
    if (!Number.isFinite(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      throw new XmlError(`unknown entity ${whole.slice(0, 12)}`);
    }
    return String.fromCodePoint(code);
  });
}

/** Parses a whole document and returns its root element. */
export function parseXml(input: string, limits: XmlLimits = DEFAULT_LIMITS): XmlElement {
  const stack: { qname: string; el: XmlElement; text: string[] }[] = [];
  let root: XmlElement | undefined;
  let elements = 0;
  let i = input.charCodeAt(0) === 0xfeff ? 1 : 0;
  const addText = (s: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text.push(s);
    else if (s.trim()) throw new XmlError('text outside the root element');
  };
  while (i < input.length) {
    const lt = input.indexOf('<', i);
    if (lt < 0) {
      addText(decodeEntities(input.slice(i)));
      break;
    }
    if (lt > i) addText(decodeEntities(input.slice(i, lt)));
    if (input.startsWith('<!--', lt)) {
      const end = input.indexOf('-->', lt + 4);
      if (end < 0) throw new XmlError('unterminated comment');
      i = end + 3;
    } else if (input.startsWith('<![CDATA[', lt)) {
      const end = input.indexOf(']]>', lt + 9);
      if (end < 0 || stack.length === 0) throw new XmlError('misplaced or unterminated CDATA');
      addText(input.slice(lt + 9, end));
      i = end + 3;
    } else if (input.startsWith('<?', lt)) {
      const end = input.indexOf('?>', lt + 2);
      if (end < 0) throw new XmlError('unterminated processing instruction');
      i = end + 2;
    } else if (input.startsWith('<!', lt)) {
      throw new XmlError('document type declarations are not accepted');
    } else if (input.startsWith('</', lt)) {
      const end = input.indexOf('>', lt + 2);
      if (end < 0) throw new XmlError('unterminated end tag');
      const qname = input.slice(lt + 2, end).trim();
      const top = stack.pop();
      if (!top || top.qname !== qname) throw new XmlError(`end tag </${qname.slice(0, 40)}> does not match`);
      top.el.text = top.text.join('').trim();
      if (stack.length === 0) root = top.el;
      i = end + 1;
    } else {
      if (root) throw new XmlError('more than one root element');
      const nameMatch = /^<([^\s/>]+)/.exec(input.slice(lt, lt + 256));
      const qname = nameMatch?.[1] ?? '';
      if (!NAME.test(qname)) throw new XmlError(`bad element name near offset ${lt}`);
      const attrs: Record<string, string> = {};
      let j = lt + 1 + qname.length;
      for (;;) {
        ATTR.lastIndex = j;
        const a = ATTR.exec(input);
        if (!a) break;
        attrs[localName(a[1] ?? '')] = decodeEntities(a[2] ?? a[3] ?? '');
        j = ATTR.lastIndex;
      }
      const close = /\s*(\/?)>/y;
      close.lastIndex = j;
      const c = close.exec(input);
      if (!c) throw new XmlError(`malformed start tag <${qname.slice(0, 40)}>`);
      i = close.lastIndex;
      if (++elements > limits.maxElements) throw new XmlError('too many elements');
      const el: XmlElement = { name: localName(qname), attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.el.children.push(el);
      if (c[1] === '/') {
        if (!parent) root = el;
      } else {
        if (stack.length >= limits.maxDepth) throw new XmlError('elements nested too deeply');
        stack.push({ qname, el, text: [] });
      }
    }
  }
  if (stack.length > 0 || !root) throw new XmlError('the document ends inside an element');
  return root;
}

/** The first child with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Follows a path of local names through first children. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** The first descendant (depth first, the element itself included) with this local name. */
export function findFirst(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  if (el.name === name) return el;
  for (const c of el.children) {
    const hit = findFirst(c, name);
    if (hit) return hit;
  }
  return undefined;
}

export function textOf(el: XmlElement | undefined): string {
  return el?.text ?? '';
}

/** Escapes text for an element or a double-quoted attribute. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);
}
