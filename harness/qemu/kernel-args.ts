import { readFileSync } from 'node:fs';
import { Accelerator } from './cmdline';

/**
 * Under TCG about one boot in five hangs in calibrate_delay when the host is busy (PIT calibration
 * fails); telling the kernel the TSC rate skips the calibration. The guest's TSC under TCG is the host's.
 */
const hostTscKhz = (): number | undefined => {
  const match = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
};

export const guestKernelArgs = (accelerator: Accelerator, extra: readonly string[] = []): string[] => {
  const tsc = accelerator === 'tcg' ? hostTscKhz() : undefined;
  return [
    'console=ttyS0',
    // A panic reboots, and -no-reboot turns that into QEMU exiting: a panic is seen at once, not as a hang.
    'panic=-1',
    ...(tsc ? [`tsc_early_khz=${tsc}`] : []),
    // A busy host stalls the guest for longer than the clocksource watchdog allows, which then marks the TSC
    // unstable and falls back to jiffies: every SG_IO duration the agent measures becomes 0 or 4 ms.
    ...(accelerator === 'tcg' ? ['tsc=reliable'] : []),
    ...extra,
  ];
};
