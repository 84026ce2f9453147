#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked, throwaway gnome-keyring, so tests
# use a real OS keychain (Secret Service) and never the user's own. Usage: with-keyring.sh CMD ARGS...
set -euo pipefail
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "with-keyring: $tool is not installed (apt-get install dbus gnome-keyring)" >&2; exit 2; }
done
scratch=$(mktemp -d /tmp/keyring-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data" "$scratch/run" && chmod 700 "$scratch/run"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
# --unlock reads the new login keyring's password from stdin and creates it unlocked.
dbus-run-session -- bash -c 'printf "pw\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' with-keyring "$@"
