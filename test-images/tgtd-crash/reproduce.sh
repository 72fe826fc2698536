#!/usr/bin/env bash
# Sends one SCSI command to a private tgtd on 127.0.0.1 over iSCSI, without QEMU or an initiator stack, and
# says whether tgtd survived it (docs/tgtd-crash.md). Default: the crash, MODE SENSE(6) of all pages with
# ALLOCATION LENGTH 0 and no data buffer.
#
#   bash test-images/tgtd-crash/reproduce.sh                         # Debian's tgtd
#   TGTD="$(bash test-images/tgtd-asan.sh)" bash test-images/tgtd-crash/reproduce.sh
#   bash test-images/tgtd-crash/reproduce.sh EDTL READ(0|1) CDB-HEX...   # another command
#
# Exit status: 0 tgtd survived, 1 tgtd died (its last output is printed), 2 setup failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tgtd=${TGTD:-tgtd}
(($# > 0)) || set -- 0 0 1a 00 3f 00 00 00

work=$(mktemp -d)
control=$((20000 + RANDOM % 10000))
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
iqn=iqn.2026-12.org.hbadiff:reproduce
truncate -s 8M "$work/lun.img"
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=0} \
  "$tgtd" -f -C "$control" --iscsi "portal=127.0.0.1:$port" >"$work/tgtd.log" 2>&1 &
pid=$!
adm() { tgtadm -C "$control" "$@"; }
cleanup() {
  if kill -0 "$pid" 2>/dev/null; then
    # tgtd ignores SIGTERM while it has targets: delete them, then the system; SIGKILL last.
    adm --lld iscsi --op delete --mode target --tid 1 --force 2>/dev/null || true
    adm --op delete --mode system 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  rm -rf "$work" "/run/tgtd/socket.$control" "/run/tgtd/socket.$control.lock"
}
trap cleanup EXIT

for _ in $(seq 100); do adm --op show --mode system >/dev/null 2>&1 && break; sleep 0.1; done
adm --lld iscsi --op new --mode target --tid 1 -T "$iqn" &&
  adm --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$work/lun.img" &&
  adm --lld iscsi --op bind --mode target --tid 1 -I 127.0.0.1 || { echo "tgtd setup failed" >&2; exit 2; }

echo "$tgtd ($("$tgtd" --version 2>/dev/null || echo '?')): LUN 1, EDTL $1, READ $2, CDB ${*:3}"
python3 "$here/iscsi-raw.py" "127.0.0.1:$port" "$iqn" 1 "$@" || true
sleep 0.5
if kill -0 "$pid" 2>/dev/null; then
  echo "tgtd survived"
  exit 0
fi
status=0
wait "$pid" || status=$?
echo "tgtd DIED: $( ((status > 128)) && echo "signal $(kill -l $((status - 128)))" || echo "exit status $status")"
tail -n 30 "$work/tgtd.log"
exit 1
