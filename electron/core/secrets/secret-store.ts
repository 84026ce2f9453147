// Camera passwords live in the OS keychain, never in the database, logs or renderer (docs/design/overview.md §4 "Credentials").
// Invariant: no method here logs, and no error message built here contains a secret.

export interface SecretStore {
  /** Stores or replaces the secret of `account` (e.g. `camera:42`). */
  set(account: string, secret: string): Promise<void>;
  /** The secret of `account`, or null when none is stored. */
  get(account: string): Promise<string | null>;
  /** Removes the secret of `account`; false when there was none. */
  delete(account: string): Promise<boolean>;
}

/**
 * For engines whose cameras have no password (benchmarks, crash and disk tests): reads find
 * nothing, and storing a password fails loudly rather than losing it.
 */
export const NO_PASSWORDS: SecretStore = {
  set: () => Promise.reject(new Error('this engine keeps no camera passwords')),
  get: () => Promise.resolve(null),
  delete: () => Promise.resolve(false),
};

/** The keychain entries of the console are grouped under this service name. */
export const SECRET_SERVICE = 'operator-console';

/** The part of keytar we use; injectable so tests and other keychains can stand in. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const MAX_ACCOUNT_LENGTH = 200;

function checkAccount(account: string): void {
  if (account.length === 0 || account.length > MAX_ACCOUNT_LENGTH) {
    throw new RangeError(`secret account name must be 1-${MAX_ACCOUNT_LENGTH} characters`);
  }
}

function isKeytarApi(value: unknown): value is KeytarApi {
  if (value === null || typeof value !== 'object') return false;
  return ['getPassword', 'setPassword', 'deletePassword'].every((name) => typeof Reflect.get(value, name) === 'function');
}

/**
 * Loads keytar on first use, so a seat without a Secret Service (or without libsecret) still
 * starts and only the features that need camera passwords report the problem.
 */
async function loadKeytar(): Promise<KeytarApi> {
  const mod: unknown = await import('keytar');
  // keytar is CommonJS: under ESM its functions sit on `default` (cjs-module-lexer finds only some).
  const api: unknown = mod !== null && typeof mod === 'object' && 'default' in mod ? mod.default : mod;
  if (!isKeytarApi(api)) throw new Error('keytar loaded but does not expose get/set/deletePassword');
  return api;
}

export function createKeytarSecretStore(options: { service?: string; keytar?: KeytarApi } = {}): SecretStore {
  const service = options.service ?? SECRET_SERVICE;
  let keytar: Promise<KeytarApi> | undefined = options.keytar ? Promise.resolve(options.keytar) : undefined;
  const api = (): Promise<KeytarApi> => {
    keytar ??= loadKeytar().catch((err: unknown) => {
      keytar = undefined; // let a later call retry, e.g. after the keyring daemon came up
      throw err;
    });
    return keytar;
  };

  return {
    async set(account, secret) {
      checkAccount(account);
      if (secret.length === 0) throw new RangeError('an empty secret cannot be stored; delete the account instead');
      await (await api()).setPassword(service, account, secret);
    },
    async get(account) {
      checkAccount(account);
      return (await api()).getPassword(service, account);
    },
    async delete(account) {
      checkAccount(account);
      return (await api()).deletePassword(service, account);
    },
  };
}
