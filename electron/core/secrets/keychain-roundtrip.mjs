// Round trip of a camera-password-like secret through the real Secret Service (docs/design/overview.md §4 "Credentials").
// Run by keychain.test.ts inside a throwaway D-Bus session with an unlocked gnome-keyring.
// Loads the real adapter (secret-store.ts) through Node's type stripping, so it tests our code, not only keytar.
// Prints one JSON line; never prints the secret itself.
import { createKeytarSecretStore } from './secret-store.ts';

const store = createKeytarSecretStore({ service: 'operator-console-test' });
const account = `camera:roundtrip-${process.pid}`;
// Characters that break naive URL or shell handling, plus non-ASCII and a non-BMP character.
const first = 'p@ss:w/rd#1%20 Zürich-Überwachung-監視-🔐';
const second = 'n3w:@/#%-ÆØÅ-ñ-κωδικός';

/** The keyring daemon registers on the bus a moment after it forks: retry briefly, then give up. */
async function retry(what, fn, { attempts = 40, delayMs = 250 } = {}) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw new Error(`${what} failed after ${attempts} attempts: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function check(condition, step) {
  if (!condition) throw new Error(`check failed: ${step}`);
  steps.push(step);
}

const steps = [];
try {
  await retry('set', () => store.set(account, first));
  check((await retry('get', () => store.get(account))) === first, 'get returns the stored secret');
  await store.set(account, second);
  check((await store.get(account)) === second, 'set overwrites the secret');
  check((await store.delete(account)) === true, 'delete reports an existing secret');
  check((await store.get(account)) === null, 'secret is gone after delete');
  check((await store.delete(account)) === false, 'second delete reports nothing to delete');
  console.log(JSON.stringify({ ok: true, steps }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, steps, error: err instanceof Error ? err.message : String(err) }));
  process.exitCode = 1;
}
