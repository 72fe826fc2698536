// @ts-check
'use strict';
/*
 * Runs detached from the harness, in its own process group, so that neither a Ctrl-C at the terminal nor
 * the harness dying by SIGKILL reaches it first. The harness tells it, one JSON object a line on stdin,
 * what it must clean up should the harness vanish: processes to kill and paths to remove. The end of
 * stdin means the harness is gone, however it went, and whatever is still registered is reaped.
 * Plain JavaScript so that it starts in milliseconds, with no TypeScript loader.
 */
const fs = require('node:fs');

/** @type {Map<string, {pid: number, startTime: string}>} */
const processes = new Map();
/** @type {Set<string>} */
const paths = new Set();

const startTimeOf = (/** @type {number} */ pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
};

const reap = () => {
  for (const { pid, startTime } of processes.values()) {
    // The start time guards against killing an unrelated process that reused the pid.
    if (startTimeOf(pid) === startTime) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  for (const path of paths) fs.rmSync(path, { recursive: true, force: true });
  process.exit(0);
};

const handle = (/** @type {string} */ line) => {
  if (line.trim() === '') return;
  const message = JSON.parse(line);
  if (message.process !== undefined) {
    const startTime = startTimeOf(message.process.pid);
    if (startTime !== undefined) processes.set(message.process.key, { pid: message.process.pid, startTime });
  } else if (message.path !== undefined) paths.add(message.path);
  else if (message.forgetProcess !== undefined) processes.delete(message.forgetProcess);
  else if (message.forgetPath !== undefined) paths.delete(message.forgetPath);
};

process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('SIGHUP', () => {});

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  lines.forEach(handle);
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
