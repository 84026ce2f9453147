#!/usr/bin/env bash
# Installs the Operator Console site engine as a systemd service (docs/design/site-engine.md
# "Installing"). Run as root from a checkout where `bash scripts/console.sh start` (or `npm ci`) has run:
#
#   sudo bash scripts/install-engine.sh --listen 10.0.0.5:8443 [--name cctv.example.org ...]
#
# Idempotent: running it again installs the current build, rewrites the settings and restarts the
# service; the data (/var/lib/operator-console: database, recordings, the site CA) is kept.
# Prints the site fingerprint and how to get the first seat's enrolment code.
set -euo pipefail

PREFIX=/opt/operator-console
STATE=/var/lib/operator-console
ETC=/etc/operator-console
SERVICE=operator-console-engine
ACCOUNT=operator-console

usage() { echo "usage: sudo bash scripts/install-engine.sh --listen HOST:PORT [--name DNSNAME ...]" >&2; exit 2; }
listen=""
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --listen) [ $# -ge 2 ] || usage; listen="$2"; shift 2 ;;
    --name) [ $# -ge 2 ] || usage; names+=("$2"); shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$listen" ] || usage
[[ "$listen" =~ ^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$ ]] || { echo "install-engine: --listen $listen is not HOST:PORT" >&2; exit 2; }
for n in "${names[@]}"; do
  [[ "$n" =~ ^[A-Za-z0-9.-]+$ ]] || { echo "install-engine: --name $n is not a DNS name" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "install-engine: run as root (sudo)" >&2; exit 1; }
command -v systemctl >/dev/null && [ -d /run/systemd/system ] || { echo "install-engine: systemd is not running on this machine; the engine can still run by hand: npm run engine -- --data-dir DIR --listen $listen" >&2; exit 1; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node="$repo/.tools/node/bin/node"
[ -x "$node" ] || node="$(command -v node || true)"
[ -n "$node" ] && "$node" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' \
  || { echo "install-engine: Node 22 is needed (bash scripts/setup-node.sh puts it in .tools/node)" >&2; exit 1; }
[ -d "$repo/node_modules/esbuild" ] || { echo "install-engine: run npm ci in $repo first" >&2; exit 1; }

# 1. The account: a system user with no login and no home of its own besides the state directory.
if ! id -u "$ACCOUNT" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$STATE" --no-create-home --shell /usr/sbin/nologin "$ACCOUNT"
fi

# 2. The program: built into a fresh folder, then swapped in whole (never half an old, half a new one).
install -d -m 0755 "$PREFIX"
stage="$(mktemp -d "$PREFIX/.stage-XXXXXX")"
trap 'rm -rf "$stage"' EXIT
"$node" "$repo/scripts/build-engine.mjs" "$stage/app"
install -m 0644 "$repo/docs/design/site-engine.md" "$stage/app/site-engine.md"
install -d -m 0755 "$stage/node/bin"
install -m 0755 "$node" "$stage/node/bin/node"
install -d -m 0755 "$stage/bin"
cat > "$stage/bin/seat-code" <<EOF
#!/bin/sh
# A seat's one-time enrolment code from the running engine: seat-code --name NAME --room ROOM
exec runuser -u $ACCOUNT -- $PREFIX/node/bin/node $PREFIX/app/seat-code.mjs --data-dir $STATE "\$@"
EOF
chmod 0755 "$stage/bin/seat-code"
chmod -R u=rwX,go=rX "$stage"
for part in app node bin; do
  rm -rf "$PREFIX/$part.old"
  [ -e "$PREFIX/$part" ] && mv "$PREFIX/$part" "$PREFIX/$part.old"
  mv "$stage/$part" "$PREFIX/$part"
  rm -rf "$PREFIX/$part.old"
done

# 2b. The key that seals camera passwords and the signing key (the service has no desktop
#     keychain): 32 random bytes encrypted by systemd-creds for this machine; made once and kept,
#     since a new key could not open the secrets sealed with the old one.
install -d -m 0755 "$ETC"
if [ ! -s "$ETC/secrets-key.cred" ]; then
  head -c 32 /dev/urandom | systemd-creds encrypt --name=secrets-key - "$ETC/secrets-key.cred"
  chmod 0600 "$ETC/secrets-key.cred"
fi

# 3. Settings and state: the data directory private to the service's user (systemd keeps it so too).
install -d -m 0700 -o "$ACCOUNT" -g "$ACCOUNT" "$STATE"
install -d -m 0755 "$ETC"
{
  echo "# Written by scripts/install-engine.sh; run it again to change these."
  echo "LISTEN=$listen"
  printf 'NAMES='
  for n in "${names[@]}"; do printf -- '--name %s ' "$n"; done
  echo
} > "$ETC/engine.env.new"
chmod 0644 "$ETC/engine.env.new"
mv "$ETC/engine.env.new" "$ETC/engine.env"

# 4. The unit.
install -m 0644 "$repo/packaging/$SERVICE.service" "/etc/systemd/system/$SERVICE.service"
systemctl daemon-reload
systemctl enable "$SERVICE" >/dev/null
systemctl restart "$SERVICE"

# 5. The fingerprint, once the engine has made (or kept) its CA and listens.
ca="$STATE/tls/ca.crt"
port="${listen##*:}"
for _ in $(seq 1 60); do
  # -k: this only asks whether it answers (on loopback, whatever names the certificate carries).
  [ -s "$ca" ] && curl -fsSk "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 1
done
systemctl is-active --quiet "$SERVICE" || { echo "install-engine: the service did not start; see: journalctl -u $SERVICE" >&2; exit 1; }
[ -s "$ca" ] || { echo "install-engine: the engine made no certificate authority in $STATE/tls; see: journalctl -u $SERVICE" >&2; exit 1; }
fingerprint="$(openssl x509 -in "$ca" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)"
cat <<EOF
The site engine runs as $SERVICE (journalctl -u $SERVICE), listening on https://$listen
Site fingerprint: $fingerprint
  (SHA-256 of the site CA's public key: a seat shows it when it enrols; compare before accepting.)
First seat's enrolment code, on this machine:
  $PREFIX/bin/seat-code --name "Desk 1" --room "Control room"
EOF
