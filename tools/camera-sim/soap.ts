// SOAP pieces shared by the simulator's ONVIF services (onvif.ts, onvif-ptz.ts).

export class SoapFault extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: 'Sender' | 'Receiver',
    readonly subcodes: string[],
    reason: string,
  ) {
    super(reason);
  }
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

export function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]{1,6}|#[0-9]{1,7});/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] ?? '';
  });
}

/** Text content of the first element with this local name (any or no prefix). */
export function tag(xml: string, local: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${local}\\s*>`).exec(xml);
  return m?.[1]?.trim();
}
