#!/usr/bin/env bash
# Finds the upstream stable update (7.2.1 ... 7.2.22, as Debian 12 ships them) that changed how a case
# behaves: turns the stable levels into a local git history, one commit per level, and runs `git bisect run`
# with a step that builds the commit's level (test-images/qemu-stable.sh: incrementally, cached) and replays
# the case on it with `hbadiff replay`.
#
#   bash test-images/bisect-stable.sh [--from 7.2.A] [--to 7.2.B] CASE.json [REPLAY OPTIONS...]
#
# REPLAY OPTIONS go to every `hbadiff replay`, e.g. `--baseline-qemu B` to judge each level against build B
# rather than its paths against each other (paths in them must be absolute: the steps run in the history). The direction is whatever the case shows: the ends are replayed
# first, and the bisection looks for the first level that behaves as the last one does (a divergence that
# appears, or one that goes away). It prints git's verdict ("<commit> is the first changed commit", with the
# stable level in its subject) and keeps the history in ~/.cache/hbadiff/qemu-stable/bisect.
#
# Exit status: 0 a level was named, 1 the ends behave alike (nothing to bisect), 2 bad input, 125 an end could
# not be built or tested.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${HBADIFF_QEMU_STABLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hbadiff/qemu-stable}
hbadiff=$here/../harness/cli/hbadiff.sh
history=$cache/bisect

say() { printf 'bisect-stable: %s\n' "$*" >&2; }
usage_error() { say "$*"; exit 2; }
level_of() { [[ $2 =~ ^7\.2\.([0-9]+)$ ]] || usage_error "$1 $2: expected 7.2.N"; echo $((10#${BASH_REMATCH[1]})); }

# `bisect-stable.sh --step VERDICT CASE [REPLAY OPTIONS...]`, run by git bisect in the history: builds the
# checked-out level and says 0 ("unchanged") when its replay gives the first level's VERDICT, 1 ("changed")
# when it gives the other, 125 (skip) when the level cannot be built or tested, 128 (stop) on anything else.
replay_level() {
  local binary
  binary=$(bash "$here/qemu-stable.sh" "$1") || return 125
  say "$1: hbadiff replay --qemu $binary ${*:2}"
  local status=0
  "$hbadiff" replay --qemu "$binary" "${@:2}" || status=$?
  return "$status"
}

if [[ ${1:-} == --step ]]; then
  first_verdict=$2
  status=0
  replay_level "$(cat level)" "${@:3}" || status=$?
  case $status in
    125) exit 125 ;;
    0 | 1) [[ $status == "$first_verdict" ]] && exit 0 || exit 1 ;;
    *) exit 128 ;;
  esac
fi

# npm runs scripts from the package's root; the user means paths from where they ran npm.
cd "${INIT_CWD:-$PWD}"
from=7.2.0 to=
while [[ ${1:-} == --from || ${1:-} == --to ]]; do
  [[ $# -ge 2 ]] || usage_error "$1 needs a level"
  if [[ $1 == --from ]]; then from=$2; else to=$2; fi
  shift 2
done
[[ $# -ge 1 ]] || usage_error "usage: bisect-stable.sh [--from 7.2.A] [--to 7.2.B] CASE.json [REPLAY OPTIONS...]"
[[ -f $1 ]] || usage_error "$1: no such case file"
case_file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
first=$(level_of --from "$from")

# The first level's build also fetches the source package, whose diffs the history is made of.
bash "$here/qemu-stable.sh" "7.2.$first" >/dev/null || exit 125
available=0
while [[ -f $cache/debian/patches/v7.2.$((available + 1)).diff ]]; do available=$((available + 1)); done
last=$available
if [[ -n $to ]]; then last_asked=$(level_of --to "$to"); ((last_asked <= last)) || usage_error "--to $to: the source package ends at 7.2.$last"; last=$last_asked; fi
((first < last)) || usage_error "--from $from must come before --to 7.2.$last"

# One commit per level, dated and signed as the stable diff is, so the same diffs always make the same
# history: level 7.2.N holds the file `level` and the diffs that led to it.
git_in() { git -C "$history" -c user.name=hbadiff -c user.email=hbadiff@invalid "$@"; }
header_field() { sed -n "s/^$1: //p;/^diff /q" "$2" | head -1; }
if [[ ! -f $history/.complete ]]; then
  say "writing the stable levels as a git history in $history"
  rm -rf "$history" && mkdir -p "$history"
  git_in init -q -b stable
  echo 7.2.0 >"$history/level"
  git_in add level
  GIT_AUTHOR_DATE='2022-12-14T00:00:00Z' GIT_COMMITTER_DATE='2022-12-14T00:00:00Z' git_in commit -q -m '7.2.0: upstream release'
  for ((n = 1; n <= available; n++)); do
    diff=$cache/debian/patches/v7.2.$n.diff
    mkdir -p "$history/stable" && cp "$diff" "$history/stable/"
    echo "7.2.$n" >"$history/level"
    git_in add level stable
    date=$(header_field Date "$diff")
    # The subject is the level; the body the diff's own header: what it is and which files it touches.
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git_in commit -q \
      -m "7.2.$n: upstream stable update 7.2.$((n - 1)) -> 7.2.$n" -m "$(sed '/^diff /,$d' "$diff" | sed '1,/^$/d')"
  done
  touch "$history/.complete"
fi
commit_of() { git_in log --format=%H --grep="^7\.2\.$1: " -n 1 refs/heads/stable --; }

replay_end() {
  local level=$1 status=0
  shift
  replay_level "7.2.$level" "$case_file" "$@" >&2 || status=$?
  echo "$status"
}
first_verdict=$(replay_end "$first" "$@")
last_verdict=$(replay_end "$last" "$@")
for verdict in "$first_verdict" "$last_verdict"; do
  [[ $verdict == 0 || $verdict == 1 ]] || { say "could not test an end of the range (replay exited $verdict)"; exit 125; }
done
if [[ $first_verdict == "$last_verdict" ]]; then
  say "7.2.$first and 7.2.$last behave alike on $case_file (replay exits $first_verdict on both): nothing to bisect"
  exit 1
fi
say "7.2.$first: replay exits $first_verdict, 7.2.$last: $last_verdict; bisecting"

git_in bisect reset >/dev/null 2>&1 || true
git_in bisect start --term-old=unchanged --term-new=changed "$(commit_of "$last")" "$(commit_of "$first")" >/dev/null
status=0
(cd "$history" && git bisect run bash "$here/bisect-stable.sh" --step "$first_verdict" "$case_file" "$@") || status=$?
git_in bisect log
git_in bisect reset >/dev/null 2>&1
exit "$status"
