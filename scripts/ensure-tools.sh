#!/usr/bin/env bash
# Installs what Kinesim's build (`web`) or test run (`test`) needs and is missing; every step
# is skipped when its tool is already there, so a second run costs seconds.
# Nothing here downloads binaries from GitHub: cargo tools come from crates.io, Chromium from Debian.
set -euo pipefail
need="${1:-web}"
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly, or the generated glue refuses the module.
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version from crates.io (about 10 minutes on 2 cores)"
  # Not --locked: its lock file pins a crate version this registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

[ "$need" = test ] || exit 0

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack from crates.io (about 8 minutes on 2 cores)"
  cargo install wasm-pack --locked || cargo install wasm-pack
fi

if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  say "installing Debian's chromium and chromium-driver"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# pyarrow reads Kinesim's Parquet output in the tests, as an independent reader.
if ! python3 -c 'import pyarrow' 2>/dev/null; then
  say "installing pyarrow from PyPI"
  python3 -m pip install --quiet pyarrow
fi

# npm ci only when the lock file is newer than the installed tree.
if ! [ -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi
