// Stand-ins for export tests that are not about the package itself (production/ is tested with
// real ffmpeg in production.test.ts and exports-production.test.ts): a producer through the seam
// that keeps each job, writes a manifest and can hang or fail, and a site key made on first use.
import { createHash, generateKeyPairSync, sign as edSign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportProducer } from '../exports/exports-service';
import type { ProductionJob, Signer } from '../exports/production-types';
import type { SigningKeySource } from '../site/site-key';

export type Behaviour = 'ok' | 'hang' | 'fail';

/** What the next production does, and what the producer was given (tests set and read it). */
export const standIn: {
  behaviour: Behaviour;
  /** When set, production waits for it before writing the package (to look at it while producing). */
  gate: Promise<void> | null;
  jobs: ProductionJob[];
} = { behaviour: 'ok', gate: null, jobs: [] };

export const standInProducer: ExportProducer = {
  async produce(job, onProgress, signal) {
    standIn.jobs.push(job);
    fs.mkdirSync(job.outDir, { recursive: false });
    const totalMs = job.items.reduce((n, i) => n + i.toMs - i.fromMs, 0);
    onProgress({ doneMs: 0, totalMs, etaMs: null });
    if (standIn.behaviour === 'fail') throw new Error('ffmpeg exited with code 1: Invalid data found when processing input');
    if (standIn.behaviour === 'hang') {
      onProgress({ doneMs: totalMs / 4, totalMs, etaMs: 9_000 });
      await new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    }
    if (standIn.gate) await standIn.gate;
    const manifest = Buffer.from(JSON.stringify({ ...job.manifest, files: [] }, null, 2));
    const signature = await job.signer.sign(manifest);
    fs.writeFileSync(path.join(job.outDir, 'manifest.json'), manifest);
    fs.writeFileSync(path.join(job.outDir, 'manifest.json.sig'), signature);
    onProgress({ doneMs: totalMs, totalMs, etaMs: 0 });
    const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    return { packageDir: job.outDir, files: [], manifestSha256: sha256(manifest), addendumSha256: sha256(signature), signingKeyFingerprint: job.signer.fingerprint };
  },
};

/** The site key, created on first production only (site.get must not create one); null before. */
export let siteSigner: Signer | null = null;

export const standInSigningKey: SigningKeySource = {
  existing: () => Promise.resolve(siteSigner),
  loadOrCreate: () => {
    if (!siteSigner) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      siteSigner = {
        sign: (data) => Promise.resolve(edSign(null, data, privateKey)),
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        fingerprint: createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
      };
    }
    return Promise.resolve(siteSigner);
  },
};
