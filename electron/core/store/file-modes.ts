// Modes of the data directory (docs/design/overview.md §4, KRK §5.3.3): the database holds password hashes, reasons
// for viewing and the audit log, so nobody but the engine's own user may read it. The directory is
// 0700 and every file the engine makes in it 0600, whatever the process umask is and whatever an
// older version, an administrator or a restore from backup left there.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** SQLite's companions of a database file (WAL mode; the rollback journal during recovery). */
export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;

export interface ModeChange {
  /** Relative to the data directory ('.' for the directory itself). */
  name: string;
  fromMode: string;
  toMode: string;
}

const octal = (mode: number) => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

/** Windows has no POSIX modes (its ACLs on userData apply); everywhere else they are enforced. */
const enforced = process.platform !== 'win32';

/**
 * Sets `target` on `file` if it exists and differs; returns the change, or null. A symbolic link
 * inside the data directory is left alone (chmod would change what it points to, which may lie
 * outside); `follow` is for the data directory itself, which may well be a link to a volume.
 */
export function restrictMode(file: string, target: number, baseDir: string, follow = false): ModeChange | null {
  if (!enforced) return null;
  let st: fs.Stats;
  try {
    st = follow ? fs.statSync(file) : fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (st.isSymbolicLink() || (st.mode & 0o7777) === target) return null;
  try {
    fs.chmodSync(file, target);
  } catch (err) {
    throw new Error(`cannot restrict ${file} to ${octal(target)} (it is ${octal(st.mode)}): ${(err as Error).message}`, { cause: err });
  }
  return { name: path.relative(baseDir, file) || '.', fromMode: octal(st.mode), toMode: octal(target) };
}

/**
 * Brings what already exists in the data directory to private modes: the directory, the database
 * and its companions, the audit anchor (and a leftover temporary copy of it), and the roots of
 * recordings and exports. Their contents are made private by the writers (0600 files in 0700
 * folders); the roots being 0700 closes them even for files an older version left readable.
 */
export function restrictDataDir(dataDir: string, names: { files: readonly string[]; dirs: readonly string[] }): ModeChange[] {
  const changes: ModeChange[] = [];
  const add = (c: ModeChange | null) => {
    if (c) changes.push(c);
  };
  // The directory first: once it is 0700 no other user can open anything inside it any more.
  add(restrictMode(dataDir, PRIVATE_DIR_MODE, dataDir, true));
  for (const f of names.files) add(restrictMode(path.join(dataDir, f), PRIVATE_FILE_MODE, dataDir));
  for (const d of names.dirs) add(restrictMode(path.join(dataDir, d), PRIVATE_DIR_MODE, dataDir));
  return changes;
}

/** One log line's worth: "console.sqlite 0644->0600, . 0755->0700". */
export function describeModeChanges(changes: readonly ModeChange[]): string {
  return changes.map((c) => `${c.name} ${c.fromMode}->${c.toMode}`).join(', ');
}
