#!/usr/bin/env bash
# Builds tgtd from Debian 12's tgt source package (the installed tgt's version, else bookworm's) with
# AddressSanitizer, so that a crash of the target under a campaign names its cause instead of a bare SIGSEGV,
# and prints the path of the built binary on stdout. Everything lives in test-images/cache/tgtd-asan/: the
# source package is fetched through a private apt configuration there (test-images/debian-source.sh; the
# host's apt sources stay as they are), unpacked with Debian's patches, and only tgtd with the iSCSI
# transport is built (no iSER/RDMA, Ceph RBD, GlusterFS nor systemd notification). A binary built once for
# the same version and flags is reused at no cost.
#
#   HBADIFF_TGTD="$(bash test-images/tgtd-asan.sh)" hbadiff run ...     # or: npm run tgtd-asan
#
# Exit status: 0 built or reused, 1 when a step failed.
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${HBADIFF_TGTD_ASAN_CACHE:-$here/cache/tgtd-asan}

say() { printf 'tgtd-asan: %s\n' "$*" >&2; }
trap 'say "failed (line $LINENO)"; exit 1' ERR

flags='-g -O1 -fno-omit-frame-pointer -fsanitize=address'
# gcc and libasan, and libaio for the bs_aio backing store that Debian's build has too.
build_packages=(gcc make libc6-dev dpkg-dev libaio-dev)

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9

# shellcheck source=debian-source.sh
source "$here/debian-source.sh"

installed=$(dpkg-query -W -f='${Version}' tgt 2>/dev/null || true)
spec=tgt/bookworm
[[ -n $installed ]] && spec="tgt=$installed"
key="$spec $flags"
binary=$cache/tgtd

if [[ -x $binary && -f $cache/tgtd.key && $(cat "$cache/tgtd.key") == "$key" ]]; then
  echo "$binary"
  exit 0
fi

require_packages "${build_packages[@]}"
started=$SECONDS
if [[ ! -f $cache/src/spec || $(cat "$cache/src/spec") != "$spec" ]]; then
  say "fetching Debian's tgt source package ($spec)"
  fetch_source_package "$spec" "$cache/src"
  echo "$spec" >"$cache/src/spec"
fi

say "unpacking $(basename "$cache"/src/tgt_*.dsc) with Debian's patches"
rm -rf "$cache/tree"
dpkg-source -q -x "$cache"/src/tgt_*.dsc "$cache/tree" >&2

# Read after usr/Makefile, so that these come last on each command line: -O1 over the Makefile's -O2.
# Warnings stay warnings, since -O1 and ASan make gcc warn where the project's -O2 build does not.
cat >"$cache/asan.mk" <<EOF
CFLAGS += $flags -Wno-error
LDFLAGS += -fsanitize=address
EOF
say "building tgtd with $flags"
nice -n 19 make -C "$cache/tree/usr" -f Makefile -f "$cache/asan.mk" -j"${HBADIFF_BUILD_JOBS:-2}" \
  VERSION="$(sed -n 's/^VERSION ?= //p' "$cache/tree/Makefile")" EXTRAVERSION=-asan DEB_HOST_MULTIARCH="$(dpkg-architecture -qDEB_HOST_MULTIARCH)" tgtd >&2

"$cache/tree/usr/tgtd" --help >/dev/null 2>&1 || { say "the built tgtd does not run"; exit 1; }
# grep without -q reads all of nm's output: under pipefail, nm killed by SIGPIPE would fail the check.
nm "$cache/tree/usr/tgtd" | grep __asan_init >/dev/null || { say "the built tgtd has no AddressSanitizer"; exit 1; }
cp "$cache/tree/usr/tgtd" "$binary.partial"
mv "$binary.partial" "$binary"
echo "$key" >"$cache/tgtd.key"
say "built in $((SECONDS - started)) s"
echo "$binary"
