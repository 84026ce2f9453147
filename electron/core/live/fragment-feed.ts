// The fragment path of live view (docs/design/live-pipeline.md "Fragment path"): a seat's live tile
// receives its stream's fMP4 fragments (one frame each) over a WebSocket and appends them to Media
// Source Extensions, about 0.3 s glass to glass instead of LL-HLS's 1.1 s.
//
// - Opened with the view's token at `/live/{cameraId}/{stream}/{token}/frames`, checked exactly as
//   every LL-HLS request is (LiveService.authorize: token, expiry, session, lock, role, visibility):
//   a refusal is an HTTP 403 to the upgrade, as LL-HLS answers 403. Once open, the socket is closed
//   with a reason (4403) when its view ends: the console locks, the session ends, the camera stops
//   being visible (the live sweep), the view is closed or expires. One socket per view: a new one
//   replaces the old (4409), so a seat reconnecting after a cut is never refused by its own ghost.
// - Each socket gets a JSON `init` message (codec, size) and the init segment, then fragments from
//   the current GOP's keyframe on: a tile that opens a running stream has a picture at once.
// - Backpressure per socket: past MAX_SEAT_BUFFERED_BYTES waiting to be sent, fragments are dropped
//   until a keyframe finds the socket drained to half of that. A slow seat skips ahead; it never
//   holds memory without bound nor delays the engine or another seat (one send per socket, no wait).
// - A new ingest run (reconnect, codec change) sends a new init segment; its fragments follow from
//   its first keyframe. A stream without fragments for FROZEN_MS gets `{ type: 'stalled' }`, and a
//   stream whose ingest ended `{ type: 'ended' }`: the tile shows frozen, never a still picture as live.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Fragment, InitSegment } from '../media/fmp4';

export const FEED_PATH = /^\/live\/(\d{1,15})\/(main|sub)\/([A-Za-z0-9_-]{16,64})\/frames$/;
/** Bytes a seat's socket may have waiting before its fragments are dropped until the next keyframe. */
export const MAX_SEAT_BUFFERED_BYTES = 1024 * 1024;
/** A GOP kept for new sockets larger than this (a camera with a very long GOP) is dropped: they wait for the next keyframe. */
export const MAX_GOP_BYTES = 8 * 1024 * 1024;
/** No fragment for this long: the stream is signalled as stalled (the tile's own freeze rule is 2 s). */
export const FROZEN_MS = 2000;
/** The kept GOP is sent to a new socket only if its newest fragment is this fresh (no stale picture as live). */
const FRESH_MS = 1500;
/** Close codes (4000-4999: the application's). */
export const CLOSE_VIEW_ENDED = 4403;
export const CLOSE_REPLACED = 4409;

/** Binary message layout: one header, then the init segment or the moof+mdat fragment. */
export const HEADER_BYTES = 24;
export const KIND_INIT = 1;
export const KIND_FRAGMENT = 2;
export const FLAG_KEYFRAME = 1;

/** Header: [0] kind, [1] flags, [4..12) capture time of the first frame (ms since the epoch,
 *  float64 LE), [12..20) its decode time in seconds (float64 LE), [20..24) duration in microseconds (u32 LE). */
export function fragmentMessage(f: Fragment, timescale: number, arrivedAtMs: number): Buffer {
  const msg = Buffer.allocUnsafe(HEADER_BYTES + f.bytes.length);
  const durationMs = (f.durationTicks / timescale) * 1000;
  msg.fill(0, 0, 4);
  msg.writeUInt8(KIND_FRAGMENT, 0);
  msg.writeUInt8(f.independent ? FLAG_KEYFRAME : 0, 1);
  msg.writeDoubleLE(arrivedAtMs - durationMs, 4);
  msg.writeDoubleLE(f.baseDecodeTime / timescale, 12);
  msg.writeUInt32LE(Math.min(0xffffffff, Math.round(durationMs * 1000)), 20);
  f.bytes.copy(msg, HEADER_BYTES);
  return msg;
}

function initMessage(init: InitSegment): Buffer {
  const msg = Buffer.alloc(HEADER_BYTES + init.bytes.length);
  msg.writeUInt8(KIND_INIT, 0);
  init.bytes.copy(msg, HEADER_BYTES);
  return msg;
}

export interface FeedStats {
  sentFragments: number;
  skippedFragments: number;
  maxBufferedBytes: number;
}

/** One seat's socket on one stream. */
export class FeedClient {
  private needKeyframe = true;
  private skipping = false;
  readonly stats: FeedStats = { sentFragments: 0, skippedFragments: 0, maxBufferedBytes: 0 };

  constructor(
    readonly ws: WebSocket,
    readonly viewId: string,
    private readonly maxBufferedBytes = MAX_SEAT_BUFFERED_BYTES,
  ) {}

  private get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  sendInit(init: InitSegment): void {
    if (!this.open) return;
    // A new run or codec: nothing more of the old one may be appended after this init.
    this.needKeyframe = true;
    this.skipping = false;
    this.ws.send(JSON.stringify({ type: 'init', codec: init.codecString ?? init.codec, width: init.width, height: init.height }));
    this.ws.send(initMessage(init));
  }

  sendFragment(msg: Buffer, keyframe: boolean): void {
    if (!this.open) return;
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.stats.maxBufferedBytes) this.stats.maxBufferedBytes = buffered;
    if (this.needKeyframe && !keyframe) return; // a decoder cannot start mid-GOP
    if (this.skipping && !(keyframe && buffered <= this.maxBufferedBytes / 2)) {
      this.stats.skippedFragments += 1;
      return;
    }
    if (buffered > this.maxBufferedBytes) {
      this.skipping = true;
      this.stats.skippedFragments += 1;
      return;
    }
    this.needKeyframe = false;
    this.skipping = false;
    this.stats.sentFragments += 1;
    this.ws.send(msg);
  }

  sendText(message: Record<string, unknown>): void {
    if (this.open) this.ws.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    this.ws.close(code, reason.slice(0, 120));
    // A peer that reads nothing never completes the closing handshake.
    setTimeout(() => this.ws.terminate(), 3000).unref();
  }
}

/** One stream's fan-out to its sockets, with the current GOP kept for sockets that join. */
export class FragmentFeed {
  private init: InitSegment | null = null;
  private gop: { msg: Buffer; keyframe: boolean }[] = [];
  private gopBytes = 0;
  private lastFragmentAtMono = 0;
  private stalledSent = false;
  readonly clients = new Set<FeedClient>();

  onInit(init: InitSegment): void {
    this.init = init;
    this.dropGop();
    for (const c of this.clients) c.sendInit(init);
  }

  onFragment(f: Fragment, arrivedAtMs: number): void {
    const init = this.init;
    if (!init) return;
    this.lastFragmentAtMono = performance.now();
    this.stalledSent = false;
    const msg = fragmentMessage(f, init.timescale, arrivedAtMs);
    if (f.independent) this.dropGop();
    if (f.independent || this.gop.length > 0) {
      this.gop.push({ msg, keyframe: f.independent });
      this.gopBytes += msg.length;
      if (this.gopBytes > MAX_GOP_BYTES) this.dropGop();
    }
    for (const c of this.clients) c.sendFragment(msg, f.independent);
  }

  onEnd(): void {
    // The run is over: its GOP is no picture to start anyone on.
    this.dropGop();
    for (const c of this.clients) c.sendText({ type: 'ended' });
  }

  add(client: FeedClient): void {
    this.clients.add(client);
    if (!this.init) return;
    client.sendInit(this.init);
    if (this.gop.length > 0 && performance.now() - this.lastFragmentAtMono < FRESH_MS) {
      for (const g of this.gop) client.sendFragment(g.msg, g.keyframe);
    }
  }

  remove(client: FeedClient): void {
    this.clients.delete(client);
  }

  /** Called every second (LiveService.sweep): signals a stream that stopped sending, once. */
  checkStalled(): void {
    if (this.stalledSent || this.lastFragmentAtMono === 0 || this.clients.size === 0) return;
    if (performance.now() - this.lastFragmentAtMono < FROZEN_MS) return;
    this.stalledSent = true;
    for (const c of this.clients) c.sendText({ type: 'stalled', silentMs: Math.round(performance.now() - this.lastFragmentAtMono) });
  }

  close(reason: string): void {
    for (const c of [...this.clients]) c.close(CLOSE_VIEW_ENDED, reason);
    this.clients.clear();
  }

  private dropGop() {
    this.gop = [];
    this.gopBytes = 0;
  }
}

export type FeedAuthorized = { ok: true; view: { id: string }; stream: { feed: FragmentFeed } } | { ok: false; why: string };

/** The sockets of the fragment path, one per view, on the media server and the host's port. */
export class FragmentSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false });
  private readonly byView = new Map<string, FeedClient>();

  constructor(private readonly authorize: (token: string, cameraId: number, kind: string) => Promise<FeedAuthorized>) {
    this.wss.on('error', () => {});
  }

  handles(req: http.IncomingMessage): boolean {
    return FEED_PATH.test((req.url ?? '').split('?')[0] ?? '');
  }

  async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const m = FEED_PATH.exec((req.url ?? '').split('?')[0] ?? '');
    if (!m) return refuse(socket, 404, 'not found');
    const auth = await this.authorize(m[3]!, Number(m[1]), m[2]!);
    // The same answer LL-HLS gives: 403 with the reason, nothing of the stream.
    if (!auth.ok) return refuse(socket, 403, auth.why);
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const viewId = auth.view.id;
      this.byView.get(viewId)?.close(CLOSE_REPLACED, 'replaced by a new connection of the view');
      const client = new FeedClient(ws, viewId);
      this.byView.set(viewId, client);
      ws.on('error', () => ws.terminate());
      // The seat sends nothing; anything it sends is ignored (maxPayload bounds it).
      ws.on('message', () => {});
      ws.on('close', () => {
        auth.stream.feed.remove(client);
        if (this.byView.get(viewId) === client) this.byView.delete(viewId);
      });
      auth.stream.feed.add(client);
    });
  }

  hasSocket(viewId: string): boolean {
    return this.byView.has(viewId);
  }

  client(viewId: string): FeedClient | undefined {
    return this.byView.get(viewId);
  }

  /** The view ended (lock, end of session, visibility, expiry, closed): its socket closes with the reason. */
  closeView(viewId: string, reason: string): void {
    const c = this.byView.get(viewId);
    if (!c) return;
    this.byView.delete(viewId);
    c.close(CLOSE_VIEW_ENDED, reason);
  }

  closeAll(reason: string): void {
    for (const id of [...this.byView.keys()]) this.closeView(id, reason);
    for (const ws of this.wss.clients) ws.terminate();
  }
}

function refuse(socket: Duplex, status: 403 | 404, why: string): void {
  const text = Buffer.from(why);
  if (socket.writable && !socket.destroyed) {
    socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${why}`);
    setTimeout(() => socket.destroy(), 1000).unref();
  } else socket.destroy();
}
