// HTTP for ONVIF SOAP calls, with the device treated as untrusted (docs/design/onvif.md): every
// request has its own time limit covering headers and body (a device trickling bytes is cut off),
// answers are bounded in size, and one AbortSignal cancels everything of a probe. `close()` ends
// every socket and waits until no request is left running: nothing outlives the probe.
import http from 'node:http';
import https from 'node:https';
import { OnvifError } from './onvif-error';

export interface HttpAnswer {
  status: number;
  /** WWW-Authenticate values, one per header line. */
  challenges: string[];
  /** The Date header, when the device sent a valid one. */
  dateMs: number | undefined;
  contentType: string;
  body: Buffer;
}

export interface HttpLimits {
  requestTimeoutMs: number;
  maxResponseBytes: number;
  maxSockets: number;
}

function networkError(err: unknown, what: string): OnvifError {
  if (err instanceof OnvifError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
  if (code === 'ECONNREFUSED') return new OnvifError('unreachable', 'The device cannot be reached at that address (connection refused).');
  if (/^(EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EADDRNOTAVAIL)$/.test(code)) {
    return new OnvifError('unreachable', `The device cannot be reached at that address (${code}).`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(String((err as Error)?.message))) {
    return new OnvifError('unreachable', `The device closed the connection during ${what}.`);
  }
  if (code.startsWith('HPE_')) return new OnvifError('malformed', `The device's answer to ${what} is not valid HTTP (${code}).`);
  if (/CERT|SSL|TLS|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return new OnvifError('unreachable', `The device's TLS certificate is not trusted (${code}).`);
  }
  return new OnvifError('unreachable', `The device could not be reached (${code || (err instanceof Error ? err.name : 'error')}).`);
}

function tooLarge(what: string, maxBytes: number): OnvifError {
  return new OnvifError('malformed', `The device's answer to ${what} is larger than ${Math.round(maxBytes / 1024)} KiB.`);
}

function abortReason(signal: AbortSignal): OnvifError {
  return signal.reason instanceof OnvifError ? signal.reason : new OnvifError('timeout', 'The device read was cancelled.');
}

export class HttpTransport {
  private readonly agents = new Map<string, http.Agent>();
  private readonly inflight = new Set<Promise<unknown>>();
  /** Requests that got a complete answer (for the message when the whole read times out). */
  answered = 0;

  constructor(
    private readonly signal: AbortSignal,
    private readonly limits: HttpLimits,
  ) {}

  private agent(protocol: string): http.Agent {
    let a = this.agents.get(protocol);
    if (!a) {
      const opts = { keepAlive: true, maxSockets: this.limits.maxSockets };
      a = protocol === 'https:' ? new https.Agent(opts) : new http.Agent(opts);
      this.agents.set(protocol, a);
    }
    return a;
  }

  private request(lib: typeof http | typeof https, url: URL, headers: Record<string, string>, body: Buffer): http.ClientRequest {
    return lib.request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...headers, 'content-length': String(body.length), accept: 'application/soap+xml, text/xml, */*' },
      agent: this.agent(url.protocol),
    });
  }

  post(url: URL, body: Buffer, headers: Record<string, string>, what: string): Promise<HttpAnswer> {
    const p = new Promise<HttpAnswer>((resolve, reject) => {
      if (this.signal.aborted) {
        reject(abortReason(this.signal));
        return;
      }
      const { requestTimeoutMs, maxResponseBytes } = this.limits;
      let settled = false;
      let req: http.ClientRequest | undefined;
      const finish = (err: OnvifError | undefined, answer?: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.signal.removeEventListener('abort', onAbort);
        if (err) {
          req?.destroy();
          reject(err);
        } else if (answer) {
          this.answered++;
          resolve(answer);
        }
      };
      const onAbort = () => finish(abortReason(this.signal));
      const timer = setTimeout(
        () => finish(new OnvifError('timeout', `The device did not answer ${what} within ${requestTimeoutMs / 1000} s.`)),
        requestTimeoutMs,
      );
      this.signal.addEventListener('abort', onAbort, { once: true });
      const lib = url.protocol === 'https:' ? https : http;
      try {
        req = this.request(lib, url, headers, body);
      } catch {
        // Node refuses header values it cannot send (e.g. characters from a device's challenge).
        finish(new OnvifError('unsupported', `The console could not form the request for ${what}.`));
        return;
      }
      req.on('error', (e) => finish(networkError(e, what)));
      req.on('response', (res) => {
        if (Number(res.headers['content-length']) > maxResponseBytes) {
          finish(tooLarge(what, maxResponseBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let sizeBytes = 0;
        res.on('data', (chunk: Buffer) => {
          sizeBytes += chunk.length;
          if (sizeBytes > maxResponseBytes) finish(tooLarge(what, maxResponseBytes));
          else chunks.push(chunk);
        });
        res.on('error', (e) => finish(networkError(e, what)));
        res.on('close', () => {
          if (!res.complete) finish(new OnvifError('unreachable', `The device closed the connection in the middle of its answer to ${what}.`));
        });
        res.on('end', () => {
          const challenges = res.headersDistinct['www-authenticate'] ?? [];
          const date = Date.parse(res.headers.date ?? '');
          finish(undefined, {
            status: res.statusCode ?? 0,
            challenges,
            dateMs: Number.isFinite(date) ? date : undefined,
            contentType: res.headers['content-type'] ?? '',
            body: Buffer.concat(chunks),
          });
        });
      });
      req.end(body);
    });
    this.inflight.add(p);
    const forget = () => this.inflight.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Cancels what is still running, closes every socket and waits until no request is left. */
  async close(): Promise<void> {
    for (const a of this.agents.values()) a.destroy();
    await Promise.allSettled([...this.inflight]);
    for (const a of this.agents.values()) a.destroy();
  }
}
