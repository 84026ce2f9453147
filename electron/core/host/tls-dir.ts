// The site engine's TLS folder inside the data directory (host/tls-identity.ts): the CA and server
// keys, 0700 like the other private folders whose modes the store fixes at start-up (store/db.ts).
export const TLS_DIR = 'tls';
