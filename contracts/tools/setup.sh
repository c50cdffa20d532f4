#!/usr/bin/env bash
# Idempotent set-up of the contracts toolchain: npm packages (forge, anvil, cast, solc-js, the protocol
# sources and artifacts) and Morpho Blue compiled as Morpho ships it. A second run costs about a second.
# Called by the Maven build and by the ./unwind launcher; safe to run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "unwind setup: $*" >&2; exit 1; }

command -v node >/dev/null || die "Node.js 20+ is required (it runs solc-js and npm). Install Node.js 20 or newer."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js 20+ is required, found $(node --version). Install Node.js 20 or newer."
command -v npm >/dev/null || die "npm is required (it ships with Node.js)."

# 1. npm packages, exactly as locked. The stamp is the lock file's hash at the last successful install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.unwind-lock-hash
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "unwind setup: installing the contracts toolchain from package-lock.json (npm ci)..."
  # No install scripts are needed: the Foundry packages ship their binaries, solc-js is plain JS.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2 || die "npm ci failed (see above)"
  echo "$lock_hash" > "$stamp"
fi

for bin in forge anvil cast; do
  [ -x "node_modules/@foundry-rs/$bin-linux-amd64/bin/$bin" ] || die "$bin is missing from node_modules; delete contracts/node_modules and run again"
done
chmod +x tools/solc-* 2>/dev/null || true

# 2. Morpho Blue 1.0.0 from its npm source, with solc 0.8.19 and via-IR like upstream (out-morpho/).
if [ ! -f out-morpho/Morpho.sol/Morpho.json ] || [ ! -f out-morpho/IrmMock.sol/IrmMock.json ]; then
  echo "unwind setup: compiling Morpho Blue from @morpho-org/morpho-blue (about 20 s, once)..."
  FOUNDRY_PROFILE=morpho node_modules/@foundry-rs/forge-linux-amd64/bin/forge build --quiet >&2 \
    || die "compiling Morpho Blue failed (see above)"
fi
