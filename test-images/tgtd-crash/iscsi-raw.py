#!/usr/bin/env python3
"""One SCSI command on a new iSCSI session, no initiator stack needed: discovery-less login with no
authentication (operational stage straight to full feature), TEST UNIT READY to take the power-on unit
attention, then the command; prints the target's answer, or exit 3 when the connection closes unanswered.

  iscsi-raw.py HOST:PORT TARGET-IQN LUN EDTL READ(0|1) CDB-HEX...

EDTL is the Expected Data Transfer Length of the SCSI Command PDU; READ sets its R bit. Loopback only
in hbadiff (reproduce.sh)."""
import socket, struct, sys
hostport, iqn, lun, edtl, read = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == '1'
cdb = bytes.fromhex(''.join(sys.argv[6:]))
host, port = hostport.split(':')
ini = 'iqn.2026-12.org.hbadiff:raw'
s = socket.create_connection((host, int(port)), timeout=5)
def pad(b): return b + b'\0' * (-len(b) % 4)
def recv_pdu():
    bhs = b''
    while len(bhs) < 48:
        c = s.recv(48 - len(bhs))
        if not c: raise EOFError('connection closed by target')
        bhs += c
    ahs = bhs[4] * 4; dlen = int.from_bytes(bhs[5:8], 'big')
    rest = ahs + dlen + (-dlen % 4); data = b''
    while len(data) < rest:
        c = s.recv(rest - len(data))
        if not c: raise EOFError('connection closed by target')
        data += c
    return bhs, data[ahs:ahs + dlen]
keys = (f'InitiatorName={ini}\0SessionType=Normal\0TargetName={iqn}\0HeaderDigest=None\0DataDigest=None\0'
        'MaxRecvDataSegmentLength=65536\0InitialR2T=Yes\0ImmediateData=No\0MaxConnections=1\0ErrorRecoveryLevel=0\0').encode()
# Login request: immediate, T=1, CSG=operational(1), NSG=full feature(3)
bhs = bytes([0x43, 0x87, 0, 0, 0]) + len(keys).to_bytes(3, 'big') + bytes.fromhex('400001370000') + b'\0\0' \
    + struct.pack('>IHHII', 1, 0, 0, 1, 0) + b'\0' * 16
s.sendall(bhs + pad(keys))
r, d = recv_pdu()
assert r[0] & 0x3f == 0x23, r.hex()
if r[36] != 0: sys.exit(f'login refused: class {r[36]} detail {r[37]}')
statsn = struct.unpack('>I', r[24:28])[0]
lunf = bytes([0, lun, 0, 0, 0, 0, 0, 0])
flags = 0x80 | (0x40 if read else 0) | 1
cmd = bytes([0x01, flags, 0, 0, 0, 0, 0, 0]) + lunf + struct.pack('>IIII', 2, edtl, 2, statsn + 1) + cdb.ljust(16, b'\0')
# A TEST UNIT READY first takes the unit attention (29h, power on) that a new session's first command gets.
tur = bytes([0x01, 0x81, 0, 0, 0, 0, 0, 0]) + lunf + struct.pack('>IIII', 1, 0, 1, statsn + 1) + bytes(16)
s.sendall(tur); r, d = recv_pdu(); print(f'TEST UNIT READY: status {r[3]:#04x}')
cmd = cmd[:24] + struct.pack('>II', 2, statsn + 2) + cmd[32:]
s.sendall(cmd)
try:
    while True:
        r, d = recv_pdu()
        op = r[0] & 0x3f
        if op == 0x25:  # data-in
            print(f'data-in {len(d)} bytes: {d[:32].hex()}')
            if r[1] & 0x01: print(f'status {r[3]:#04x} (in data-in)'); break
        elif op == 0x21:
            print(f'response {r[2]:#04x} status {r[3]:#04x} residual {struct.unpack(">I", r[44:48])[0]} sense {d[2:].hex()}'); break
        else:
            print(f'pdu {op:#04x}')
except (EOFError, ConnectionResetError, socket.timeout) as e:
    print(f'no answer: {e}'); sys.exit(3)
