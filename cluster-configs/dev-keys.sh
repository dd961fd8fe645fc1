#!/usr/bin/env bash
# Writes the dev guardian key files that devnet/, local-4/ and local-7/ name:
# .devnet/keys/guardian-<i>.json for i in 0..COUNT-1 (default 7), skipping files that exist.
#
# LOCAL USE ONLY: dev key i is keccak256("vigil-devnet-guardian-" + i), which anyone can compute;
# the files are encrypted with the throwaway password in dev-password.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
count="${1:-7}"
mkdir -p "$root/.devnet/keys"
for ((i = 0; i < count; i++)); do
  f="$root/.devnet/keys/guardian-$i.json"
  if [ -e "$f" ]; then
    echo "exists: $f"
    continue
  fi
  "$root/vigil" keygen --dev-index "$i" --out "$f" --password-file "$here/dev-password.txt"
done
