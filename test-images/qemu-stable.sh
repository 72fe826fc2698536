#!/usr/bin/env bash
# Builds upstream QEMU 7.2.N's qemu-system-x86_64 from Debian 12's source package, which holds the pristine
# 7.2.0 tarball and each upstream stable update as its own diff (debian/patches/v7.2.N.diff), and prints
# the path of the built binary on stdout. Everything lives in ~/.cache/hbadiff/qemu-stable/ (outside the clone, so a fresh clone finds what was built): the source
# package is fetched through a private apt configuration there (the host's apt sources stay as they are),
# one source tree is patched forward or back to the level asked for and rebuilt incrementally under
# ccache, and each level's binary is kept in levels/7.2.N/, so a level built once costs nothing again.
# --asan builds with AddressSanitizer and UBSan (test-images/qemu-source-build.sh) in its own build
# directory of the same tree (tree/build-asan beside tree/build) into levels/7.2.N-asan/: both build
# directories follow the tree when it moves level, since ninja rebuilds whatever the patches touched.
#
#   bash test-images/qemu-stable.sh [--asan] 7.2.0      # or: npm run qemu-stable -- [--asan] 7.2.0
#
# Exit status: 0 built or reused, 2 for a level the source package does not have, 1 when a step failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${HBADIFF_QEMU_STABLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hbadiff/qemu-stable}

say() { printf 'qemu-stable: %s\n' "$*" >&2; }
usage_error() { say "$*"; exit 2; }

# shellcheck source=qemu-source-build.sh
source "$here/qemu-source-build.sh"

usage="usage: qemu-stable.sh [--asan] 7.2.N (N from 0 to the source package's last stable update)"
parse_build_arguments "$usage" "$@"
[[ ${#operands[@]} == 1 && ${operands[0]} =~ ^7\.2\.([0-9]+)$ ]] || usage_error "$usage"
level=$((10#${BASH_REMATCH[1]}))

# Debian's QEMU 7.2 source package and the two of its own patches the +dfsg tarball needs to configure: the
# firmware blobs it lacks are not linked into the build, nor wanted by the qtests.
build_patches=(skip-meson-pc-bios.diff ignore-roms-dependency-in-qtest.patch)

suffix=${sanitize:+-asan}
build=$cache/tree/build$suffix
name=7.2.$level$suffix
binary=$cache/levels/$name/qemu-system-x86_64

# A level is moved into levels/ whole once built, so one that is there is complete: no need to wait for the
# lock while another level builds.
[[ -x $binary ]] && { echo "$binary"; exit 0; }

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9

# shellcheck source=debian-source.sh
source "$here/debian-source.sh"

fetch_source() {
  [[ -d $cache/debian/patches ]] && return
  say "fetching Debian's qemu source package"
  fetch_source_package qemu/bookworm "$cache/src"
  local staging=$cache/.debian.partial
  rm -rf "$staging" && mkdir -p "$staging"
  tar -C "$staging" --strip-components=1 -xJf "$cache"/src/qemu_*.debian.tar.xz
  mv "$staging" "$cache/debian"
}

stable_count() {
  local count=0
  while [[ -f $cache/debian/patches/v7.2.$((count + 1)).diff ]]; do count=$((count + 1)); done
  echo "$count"
}

# The tree's patch stack is the stable diffs up to its level, then the build patches; $cache/tree-level
# says the level. Moving a level takes the build patches off, moves the stable diffs, and puts them back.
patch_build() { local direction=$1 p; for p in "${build_patches[@]}"; do patch -s -p1 -d "$cache/tree" $direction <"$cache/debian/patches/$p" >&2; done; }
stable_diff() { patch -s -p1 -d "$cache/tree" "${@:2}" <"$cache/debian/patches/v7.2.$1.diff" >&2; }

prepare_tree() {
  [[ -f $cache/tree-level ]] && return
  say "unpacking QEMU 7.2.0"
  rm -rf "$cache/tree" && mkdir -p "$cache/tree"
  tar -C "$cache/tree" --strip-components=1 -xJf "$cache"/src/qemu_*.orig.tar.xz
  patch_build -N
  echo 0 >"$cache/tree-level"
}

move_tree_to() {
  local target=$1 current n
  current=$(cat "$cache/tree-level")
  ((current == target)) && return
  say "patching the tree from 7.2.$current to 7.2.$target"
  # A move that fails half way leaves a tree whose level nobody knows: forget it, and unpack afresh next time.
  rm "$cache/tree-level"
  patch_build -R
  for ((n = current + 1; n <= target; n++)); do stable_diff "$n" -N; done
  for ((n = current; n > target; n--)); do stable_diff "$n" -R; done
  patch_build -N
  echo "$target" >"$cache/tree-level"
}

# Another run may have built it while this one waited for the lock.
if [[ ! -x $binary ]]; then
  require_packages "${qemu_build_packages[@]}"
  fetch_source
  last=$(stable_count)
  ((level <= last)) || usage_error "7.2.$level: Debian's source package has stable updates up to 7.2.$last"
  prepare_tree
  started=$SECONDS
  move_tree_to "$level"
  export CCACHE_DIR=$cache/ccache
  build_qemu "$cache/tree" "$build" "$sanitize"
  built=$("$build/qemu-system-x86_64" --version | head -1)
  [[ $built == *"version 7.2.$level"* ]] || { say "the tree built '$built', not 7.2.$level"; exit 1; }
  mkdir -p "$cache/levels/.partial"
  cp "$build/qemu-system-x86_64" "$cache/levels/.partial/"
  rm -rf "$cache/levels/$name" && mv "$cache/levels/.partial" "$cache/levels/$name"
  say "built $name in $((SECONDS - started)) s"
fi
echo "$binary"
