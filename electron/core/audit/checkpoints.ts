// Signed checkpoints of the audit log (docs/design/audit-chain.md "Checkpoints", R4). Anyone who
// can rewrite the database and the anchor can rebuild a consistent chain; a checkpoint copied off
// the machine cannot be rebuilt without the site's key. Taken at least hourly (engine timer,
// injected clock), at every export production and every audit report: the head (seq, hash) is signed
// with the site's Ed25519 key (the one that signs evidence packages, OS keychain), written to
// `DATA/audit-checkpoints/<seq>.json` (folder 0700, file 0600) and recorded as an `audit.checkpoint`
// entry. While an anchor alarm is open none is taken: it would sign a head nobody has accepted.
import fs from 'node:fs';
import path from 'node:path';
import { checkpointSignedText, AUDIT_CHECKPOINT_FORMAT } from '../../../shared/audit-chain';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { SigningKeySource } from '../site/site-key';
import type { AuditLog } from './audit-log';
import { checkpointFileName, CHECKPOINTS_DIR, latestCheckpoint, type AuditCheckpointRecord } from './checkpoint-file';

export const CHECKPOINT_INTERVAL_MS = 3_600_000;
/** How often the timer looks whether a checkpoint is due (it compares the injected clock). */
const TICK_MS = 60_000;

export interface CheckpointsDeps {
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  signingKey: SigningKeySource;
  /** True while an anchor alarm holds the engine (anchor-guard.ts). */
  isHeld: () => boolean;
  intervalMs?: number;
}

export class AuditCheckpoints {
  private last: AuditCheckpointRecord | null;
  /** When the last one was taken (or the engine started, when there is none yet). */
  private lastAtMs: number;
  private timer: NodeJS.Timeout | null = null;
  /** One at a time: two would race for the same head. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: CheckpointsDeps) {
    this.last = latestCheckpoint(d.dataDir)?.record ?? null;
    const lastMs = this.last ? Date.parse(this.last.time) : NaN;
    this.lastAtMs = Number.isFinite(lastMs) ? lastMs : d.clock.nowMs();
  }

  get dir(): string {
    return path.join(this.d.dataDir, CHECKPOINTS_DIR);
  }

  /** The newest checkpoint taken (by this engine or an earlier run), or null. */
  latest(): AuditCheckpointRecord | null {
    return this.last;
  }

  start(tickMs = TICK_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes a checkpoint when the interval has passed on the injected clock. */
  async tick(): Promise<void> {
    if (this.d.clock.nowMs() - this.lastAtMs < (this.d.intervalMs ?? CHECKPOINT_INTERVAL_MS)) return;
    await this.checkpoint('hourly');
  }

  /**
   * Signs the committed head and records it. Never throws: on failure (no key, disk full) it logs
   * and answers the latest checkpoint there is, so an export or report still names one.
   */
  checkpoint(why: 'hourly' | 'export' | 'report' = 'hourly'): Promise<AuditCheckpointRecord | null> {
    const next = this.running.then(() => this.take(why));
    this.running = next.catch(() => undefined);
    return next.catch((err: unknown) => {
      this.d.logger.error('audit checkpoint failed', { why, error: err });
      return this.last;
    });
  }

  private async take(why: string): Promise<AuditCheckpointRecord | null> {
    if (this.d.isHeld()) return this.last;
    const head = this.d.audit.committedHead;
    if (head.seq === 0) return this.last;
    // Nothing but the previous checkpoint's own entry since it: that one still covers the log.
    if (this.last && why === 'hourly' && head.seq <= this.last.seq + 1) {
      this.lastAtMs = this.d.clock.nowMs();
      return this.last;
    }
    const signer = await this.d.signingKey.loadOrCreate();
    const time = new Date(this.d.clock.nowMs()).toISOString();
    const signedText = checkpointSignedText({ seq: head.seq, hash: head.hash, time });
    const signature = (await signer.sign(Buffer.from(signedText, 'utf8'))).toString('base64');
    const record: AuditCheckpointRecord = {
      format: AUDIT_CHECKPOINT_FORMAT,
      seq: head.seq,
      hash: head.hash,
      time,
      signedText,
      signature,
      publicKeyPem: signer.publicKeyPem,
      fingerprint: signer.fingerprint,
    };
    const name = checkpointFileName(head.seq);
    writePrivate(this.dir, name, JSON.stringify(record, null, 2) + '\n');
    await this.d.audit.append({
      actor: 'system',
      action: 'audit.checkpoint',
      target: `audit-log#${head.seq}`,
      outcome: 'allowed',
      details: { seq: head.seq, hash: head.hash, time, why, fingerprint: signer.fingerprint, signature, file: `${CHECKPOINTS_DIR}/${name}` },
    });
    this.last = record;
    this.lastAtMs = this.d.clock.nowMs();
    return record;
  }
}

/** Folder 0700 and file 0600 whatever the umask; written whole (temporary file, then rename). */
function writePrivate(dir: string, name: string, text: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, name);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}
