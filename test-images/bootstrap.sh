#!/usr/bin/env bash
# Brings a fresh Debian 12 machine (Node.js 20 and npm only) to where `npm start` and `npm test` run, and
# costs well under a second when nothing is missing. Idempotent: every step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bootstrap: %s\n' "$*" >&2; }

# What the harness runs on the host (QEMU and its iSCSI driver, tgtd) and what builds the guest image
# (busybox, sg3-utils, libiscsi's conformance suite, gcc with a static libc, kmod's depmod, xz for the kernel), plus node-gyp's tools.
packages=(qemu-system-x86 qemu-block-extra tgt busybox-static sg3-utils libiscsi-bin gcc libc6-dev kmod xz-utils zstd cpio
  make g++ python3)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  say "installing Debian packages: ${missing[*]}"
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { say "need root (or sudo) to install: ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q >&2
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# npm ci only when the lock file changed since the last install; node-pty's native module must really
# load (npm 11 can skip install scripts), so check it and rebuild it if it does not.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.hbadiff-lock.sha256
if [[ ! -f $stamp || $(cat "$stamp") != "$lock_hash" ]]; then
  say "npm ci"
  npm ci --no-audit --no-fund >&2
  echo "$lock_hash" >"$stamp"
fi
if ! node -e "require('node-pty')" 2>/dev/null; then
  say "building node-pty's native module"
  npm rebuild node-pty >&2
  node -e "require('node-pty')"
fi

# The guest image is content-addressed: this is a cache hit unless an input changed.
node_modules/.bin/tsx test-images/build.ts >&2
