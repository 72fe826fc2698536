import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

/** The 1-, 5- and 15-minute load averages: other people's QEMUs share this machine, and the figures say how much. */
export const loadAverage = (): readonly [number, number, number] => {
  const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [one, five, fifteen];
};

/** Resident memory of a process, KiB (VmRSS), or undefined once it is gone. */
export const residentKiB = (pid: number): number | undefined => {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
};

export const describeHost = (): string =>
  `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, Node.js ${process.version}`;
