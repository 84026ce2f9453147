// Password hashing and policy (JON 15.6: passwords unique, not built from personal data).
// Hashes: scrypt (N=2^15, r=8, p=1), salted, self-describing, compared in constant time.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
const KEY_LENGTH = 32;
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

/** A hash of a random password, verified against when the user does not exist so that the
 *  answer takes as long either way (sign-in must not reveal whether a user exists). */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return dummyHash;
}

// The bundled list: zxcvbn's 49k most common passwords, plus the words for "password" and a few
// favourites in the console's languages.
const LOCAL_COMMON = [
  'haslo', 'hasło', 'haslo123', 'slaptazodis', 'slaptažodis', 'heslo', 'heslo123', 'monitoring', 'monitoringas',
  'kamera', 'kamery', 'kameros', 'straznik', 'strażnik', 'operator', 'administrator', 'admin', 'supervisor',
  'polska', 'lietuva', 'cesko', 'česko', 'praha', 'krakow', 'kraków', 'elblag', 'brno', 'vilnius', 'joniskis',
  'zaq12wsx', 'qwertyuiop', 'qwertzuiop', 'asdfghjkl', 'zxcvbnm',
];
const COMMON = new Set<string>([...dictionary['passwords-common'], ...LOCAL_COMMON].map((w) => w.toLowerCase()));

export type PasswordProblem = 'tooShort' | 'containsUsername' | 'common' | 'repetitive';

/** Checks a new password against the policy. Returns the problems found (empty when acceptable). */
export function checkPasswordPolicy(password: string, username: string, displayName?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const lower = password.normalize('NFC').toLowerCase();
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push('tooShort');
  const personal = [username, ...(displayName ? displayName.split(/\s+/) : [])]
    .map((s) => s.toLowerCase())
    .filter((s) => s.length >= 3);
  if (personal.some((p) => lower.includes(p))) problems.push('containsUsername');
  if (isCommon(lower)) problems.push('common');
  if (new Set(lower).size <= 3) problems.push('repetitive');
  return problems;
}

function isCommon(lower: string): boolean {
  if (COMMON.has(lower)) return true;
  // A common word dressed with digits or symbols at either end ("Password2024!", "1234qwerty").
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  if (core.length >= 4 && COMMON.has(core)) return true;
  // Nothing but digits and symbols.
  return core.length === 0;
}

export function describePasswordProblems(problems: PasswordProblem[]): string {
  const text: Record<PasswordProblem, string> = {
    tooShort: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
    containsUsername: 'must not contain the user name or your name',
    common: 'is too common (found in the list of common passwords)',
    repetitive: 'uses too few different characters',
  };
  return `Password ${problems.map((p) => text[p]).join('; ')}.`;
}
