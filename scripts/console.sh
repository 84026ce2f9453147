#!/usr/bin/env bash
# The one door to the project on a fresh Debian 12 machine (README "Two commands"):
#   bash scripts/console.sh start   set everything up on first use, then run the console
#   bash scripts/console.sh test    set everything up on first use, then run every test
#   bash scripts/console.sh demo    the console in a browser with simulated cameras (npm run demo)
#   bash scripts/console.sh host --data-dir DIR   the engine headless, for browser seats (npm run host)
#   bash scripts/console.sh setup   only set up: Debian packages, Node 22 into .tools/, npm ci
# Needs git, root or sudo (for apt), and network access to Debian's mirrors and the npm registry.
# Every step is skipped when it is already done, so the second run starts at once.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '== %s\n' "$*" >&2; }

sudo_cmd() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "console.sh: installing Debian packages needs root. Run as root, or install sudo, or run:" >&2
    echo "  apt-get install -y $(debian_packages | tr '\n' ' ')" >&2
    exit 1
  fi
}

debian_packages() { grep -v '^\s*#' scripts/debian-packages.txt | tr -s ' \t' '\n' | grep -v '^$'; }

setup_debian() {
  mapfile -t packages < <(debian_packages)
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then say "Debian packages: all ${#packages[@]} installed"; return; fi
  say "Debian packages: installing ${#missing[@]} of ${#packages[@]} (${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd apt-get update -q
  sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

setup_node() {
  local bin
  bin="$(scripts/setup-node.sh | tail -n 1)"
  export PATH="$bin:$PATH"
  # node-gyp builds native modules (keytar) against these headers, not the system Node's.
  export npm_config_nodedir
  npm_config_nodedir="$(dirname "$bin")"
  say "node $(node --version), npm $(npm --version) from .tools/node"
}

setup_npm() {
  # npm ci again only when the lockfile changed since the last install.
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
    say "npm packages: installed"
    return
  fi
  say "npm ci"
  npm ci --no-audit --no-fund </dev/null
}

setup() {
  setup_debian
  setup_node
  setup_npm
}

start() {
  setup
  # Electron's binary is fetched on first launch (from GitHub); where that is impossible, say so.
  if ! node -e "require('electron')" >/dev/null 2>&1; then
    cat >&2 <<'EOF'

The Electron binary could not be downloaded on this machine (it comes from GitHub on first launch).
You can still run the whole console in a browser, with simulated cameras:

  bash scripts/console.sh demo

or against your own cameras, with the engine in host mode (open the URL it prints):

  bash scripts/console.sh host --data-dir ./console-data

EOF
    exit 3
  fi
  if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    echo "No display here (DISPLAY/WAYLAND_DISPLAY unset): the desktop app needs one. Try: bash scripts/console.sh demo" >&2
    exit 3
  fi
  say "starting the console (the engine runs inside the app; recording stops when it closes)"
  exec npm start
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  demo) setup; exec npm run demo -- "${@:2}" ;;
  host) setup; exec npm run host -- "${@:2}" ;;
  test) setup; exec npm test ;;
  *)
    echo "usage: bash scripts/console.sh start|test|demo|host|setup" >&2
    exit 2
    ;;
esac
