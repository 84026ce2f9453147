// A throwaway PostgreSQL cluster for tests and benchmarks: Debian's server binaries, a data
// directory in the temp dir, a Unix socket there and a TCP port on 127.0.0.1. `initdb` refuses to
// run as root, so as root the cluster runs as the `postgres` user (runuser). Stopped and removed by
// `stop()`.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

export interface PgCluster {
  /** Connection string of the superuser's `postgres` database. */
  url: string;
  port: number;
  dir: string;
  /** A new empty database; its connection string. */
  createDatabase(name?: string): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  stop(): void;
}

/** Debian installs the server under /usr/lib/postgresql/<major>/bin; the newest wins. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const majors = fs
    .readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && fs.existsSync(path.join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? path.join(root, majors[0], 'bin') : null;
}

const asRoot = () => process.getuid?.() === 0;

function run(bin: string, args: string[], netns?: string): void {
  const asUser = asRoot() ? ['runuser', '-u', 'postgres', '--', bin, ...args] : [bin, ...args];
  const [cmd, ...argv] = netns ? ['ip', 'netns', 'exec', netns, ...asUser] : asUser;
  const r = spawnSync(cmd!, argv, { encoding: 'utf8', cwd: os.tmpdir() });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).slice(-800)}`);
}

let made = 0;
const NAME = /^[a-z_][a-z0-9_]*$/;

async function asAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new empty database on the server of `adminUrl` (a superuser's connection); its connection string. */
export async function createDatabaseAt(adminUrl: string, name?: string): Promise<string> {
  const db = name ?? `t_${process.pid}_${Date.now().toString(36)}_${(made += 1)}`;
  if (!NAME.test(db)) throw new Error(`not a database name: ${db}`);
  await asAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${db}`));
  return withDatabase(adminUrl, db);
}

/** The same server's connection string for another database. */
export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function dropDatabaseAt(adminUrl: string, dbUrl: string): Promise<void> {
  const db = new URL(dbUrl).pathname.slice(1);
  if (!NAME.test(db)) throw new Error(`not a database name: ${db}`);
  await asAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
}

export interface PgClusterOptions {
  /** Durable commits (fsync, synchronous_commit) as in production; off by default for tests. */
  durable?: boolean;
  /** Runs the server inside this network namespace, listening on `listen` there (a test's private
   *  network); the test itself still reaches it through the Unix socket in `dir`. */
  netns?: { name: string; listen: string };
}

export async function startPgCluster(o: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (Debian package: postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-pg-'));
  if (asRoot()) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  if (o.netns) {
    // Other namespaces of the test's network reach it over TCP (trust: a throwaway cluster on a
    // private network no other host can see).
    fs.appendFileSync(path.join(data, 'pg_hba.conf'), `host all all ${o.netns.listen}/24 trust\n`);
  }
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses='${o.netns?.listen ?? '127.0.0.1'}'`,
    '-c max_connections=300',
    ...(o.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start'], o.netns?.name);
  // In a namespace, this process connects through the socket (host=dir); nodes use `netns.listen`.
  const url = o.netns ? `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}` : `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dir,
    createDatabase: (name) => createDatabaseAt(url, name),
    dropDatabase: (dbUrl) => dropDatabaseAt(url, dbUrl),
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], o.netns?.name);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
