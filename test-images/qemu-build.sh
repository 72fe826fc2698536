#!/usr/bin/env bash
# Builds qemu-system-x86_64 from any QEMU checkout with the configure options hbadiff's other builds use
# (test-images/qemu-source-build.sh, shared with qemu-stable.sh), and prints the binary's path on stdout.
# The build directory is SRC_DIR/build-hbadiff, or SRC_DIR/build-hbadiff-asan with --asan (AddressSanitizer
# and UBSan), so that it stays out of the checkout's own build/; it is configured once and rebuilt
# incrementally by ninja under nice and ccache (~/.cache/hbadiff/qemu-build/ccache), so a checkout moved
# by git costs only what changed.
#
#   hbadiff replay --qemu "$(bash test-images/qemu-build.sh ~/qemu --asan)" case.json
#                                              # or: npm run -s qemu-build -- ~/qemu --asan
#
# Exit status: 0 built, 2 for bad arguments, 1 when a step failed.
set -euo pipefail
say() { printf 'qemu-build: %s\n' "$*" >&2; }
usage_error() { say "$*"; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=qemu-source-build.sh
source "$here/qemu-source-build.sh"
parse_build_arguments "usage: qemu-build.sh SRC_DIR [--asan]" "$@"
((${#operands[@]} == 1)) || usage_error "usage: qemu-build.sh SRC_DIR [--asan]"
[[ -f ${operands[0]}/configure && -f ${operands[0]}/VERSION ]] || usage_error "${operands[0]}: not a QEMU source tree (no configure or VERSION)"
src=$(cd "${operands[0]}" && pwd)
build=$src/build-hbadiff${sanitize:+-asan}

# One build at a time: two would only share the 2 cores, and the same checkout must not be configured twice.
cache=${HBADIFF_QEMU_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hbadiff/qemu-build}
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9

# shellcheck source=debian-source.sh
source "$here/debian-source.sh"

require_packages "${qemu_build_packages[@]}"
started=$SECONDS
export CCACHE_DIR=$cache/ccache
build_qemu "$src" "$build" "$sanitize"
say "built $("$build/qemu-system-x86_64" --version | head -1) in $((SECONDS - started)) s"
echo "$build/qemu-system-x86_64"
