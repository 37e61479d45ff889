#!/usr/bin/env bash
# Installs the Debian packages crosscheck builds and tests with, when any is missing.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail

packages=(build-essential cmake pkg-config liblua5.4-dev libsqlite3-dev libpcre2-dev
          libcmocka-dev libutf8proc-dev libjansson-dev libxxhash-dev libxml2-dev libarchive-dev zlib1g-dev libmimalloc2.0 zstd
          python3 sqlite3 clang)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "crosscheck needs these Debian packages: ${missing[*]}" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
