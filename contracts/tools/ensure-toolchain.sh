#!/usr/bin/env bash
# Installs the pinned EVM toolchain (forge, anvil, cast, solc-js; see package-lock.json) into
# contracts/node_modules, but only when it is missing or older than package-lock.json.
# Runs unattended (CI=true, no stdin); the npm registry is the only network it uses.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.vigil-toolchain-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ -x node_modules/.bin/forge ]; then
  exit 0
fi

command -v node >/dev/null || { echo "contracts: node not found; Node 20+ is needed for the EVM toolchain" >&2; exit 1; }
command -v npm >/dev/null || { echo "contracts: npm not found; it installs the EVM toolchain from package-lock.json" >&2; exit 1; }

echo "contracts: installing the EVM toolchain from package-lock.json (npm ci)"
npm ci --no-audit --no-fund --loglevel=error </dev/null
# npm may leave old mtimes from the tarballs; the stamp records when this install happened
touch "$stamp"
node_modules/.bin/forge --version | head -n1
