// Directories a test file makes under the OS temp directory, removed together when it is done
// (in its afterAll or afterEach), so that no run leaves data directories behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class TempDirs {
  private readonly dirs: string[] = [];
  constructor(private readonly prefix: string) {}

  /** A new empty directory named after the prefix. */
  readonly make = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), this.prefix));
    this.dirs.push(d);
    return d;
  };

  /** Removes every directory made so far. */
  readonly removeAll = (): void => {
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  };
}
