#!/usr/bin/env bash
# Debian 13's QEMU on this Debian 12 machine, as a second real build: debootstraps a trixie root with
# qemu-system-x86 and qemu-block-extra into test-images/cache/qemu-trixie/root, writes a launcher beside it
# that behaves like a qemu-system-x86_64 binary, and prints the launcher's path on stdout. The root is built
# once and reused; it is built only when this script runs (never by npm test).
#
#   bash test-images/qemu-trixie.sh          # or: npm run qemu-trixie
#
# Exit status: 0 built or reused, 1 when a step failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${HBADIFF_QEMU_TRIXIE_CACHE:-$here/cache/qemu-trixie}
root=$cache/root
launcher=$cache/qemu-system-x86_64

say() { printf 'qemu-trixie: %s\n' "$*" >&2; }

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9

if [[ ! -x $root/usr/bin/qemu-system-x86_64 ]]; then
  command -v debootstrap >/dev/null || {
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >&2
  }
  staging=$cache/root.partial
  rm -rf "$staging"
  say "debootstrapping Debian 13 (trixie) with qemu-system-x86 and qemu-block-extra into $root"
  started=$SECONDS
  nice -n 19 debootstrap --variant=minbase --include=qemu-system-x86,qemu-block-extra \
    trixie "$staging" http://deb.debian.org/debian >&2
  rm -rf "$staging"/var/cache/apt/archives/*.deb
  rm -rf "$root" && mv "$staging" "$root"
  say "root ready in $((SECONDS - started)) s"
fi

# Debian 13 has no qboot: its bios-microvm.bin is SeaBIOS's microvm build, and under it the guest's kernel
# reads garbage ACPI tables and hangs at "ACPI: Core revision" before any driver loads. The firmware is not
# what hbadiff tests, so microvm boots Debian 12's qboot, found first in $cache/firmware; everything
# else comes from the root.
mkdir -p "$cache/firmware"
cp /usr/share/qemu/qboot.rom "$cache/firmware/bios-microvm.bin"

# QEMU 10.0 runs on the root's own loader and libraries, finds its firmware by -L and its modules in the
# root. QEMU_MODULE_DIR alone does not do for the modules: 10.0 also probes the host's module directory,
# finds Debian 12's 7.2 modules there and aborts ("Only modules from the same build can be loaded"), so
# the launcher runs QEMU in a private mount namespace with the root's module directory bound over the
# host's. Each step execs the next: QEMU keeps the launcher's pid, stdin, exit status and signals, and
# nothing but QEMU writes to the console.
modules=usr/lib/x86_64-linux-gnu/qemu
cat >"$launcher.partial" <<EOF
#!/bin/sh
root='$root'
export QEMU_MODULE_DIR="\$root/$modules"
exec unshare --mount --propagation private -- /bin/sh -c '
  root=\$1; shift
  if [ -d /$modules ]; then mount --bind "\$root/$modules" /$modules || exit 125; fi
  exec "\$root/lib64/ld-linux-x86-64.so.2" --library-path "\$root/usr/lib/x86_64-linux-gnu" \\
    "\$root/usr/bin/qemu-system-x86_64" -L '$cache/firmware' -L "\$root/usr/share/qemu" \\
    -L "\$root/usr/share/seabios" "\$@"
' qemu-trixie "\$root" "\$@"
EOF
chmod 755 "$launcher.partial"
mv "$launcher.partial" "$launcher"
version=$("$launcher" --version | head -1)
[[ $version == *"version 10."* ]] || { say "the root's QEMU says '$version'"; exit 1; }
echo "$launcher"
