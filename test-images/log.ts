/** One line per build step, so a slow build shows where its time goes. */
export function logStep(line: string): void {
  process.stdout.write(`[images] ${line}\n`);
}
