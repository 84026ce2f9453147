// Saving a file the engine offers once (electron/core/media/downloads.ts: reports written by the
// engine, fetched from its media server by the session that asked, under a single-use URL).
import type { CommandError } from '../../shared/result';

/** Fetches the single-use URL and saves the answer under `fileName`. Answers the error to show, or null. */
export async function downloadOnce(fileName: string, downloadUrl: string): Promise<CommandError | null> {
  let blob: Blob;
  try {
    const response = await fetch(downloadUrl, { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) return { kind: 'Unavailable', message: `The report could not be fetched (${response.status} ${(await response.text()).slice(0, 200)}).` };
    blob = await response.blob();
  } catch {
    return { kind: 'Unavailable', message: 'The report could not be fetched from the engine.' };
  }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return null;
}
