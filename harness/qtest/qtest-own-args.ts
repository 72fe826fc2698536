/**
 * A reproducer's QEMU arguments split from the ones that belong to qtest itself: where the protocol runs
 * (`-qtest stdio`), its log, and the qtest accelerator (`-machine accel=qtest`, `-accel qtest`). Those depend
 * on how the reproducer is run, so a reproducer keeps the rest, and each runner adds its own.
 */
export interface SplitQemuArgs {
  /** The arguments a reproducer keeps. */
  readonly args: string[];
  /** The values of `-qtest` (where the protocol was to run), in order. */
  readonly qtestChardevs: string[];
}

/** QEMU takes `-opt` and `--opt` alike. */
const optionName = (word: string): string | undefined => /^--?([A-Za-z][A-Za-z0-9-]*)$/.exec(word)?.[1];

/** `accel=qtest` taken out of a `-machine` value; undefined when nothing of it is left. */
const withoutQtestAccel = (machine: string): string | undefined => {
  const kept = machine.split(',').filter((property) => property !== 'accel=qtest');
  return kept.length > 0 ? kept.join(',') : undefined;
};

export const splitQtestOwnArgs = (words: readonly string[]): SplitQemuArgs => {
  const args: string[] = [];
  const qtestChardevs: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const name = optionName(words[index]);
    const value = words[index + 1];
    if ((name === 'qtest' || name === 'qtest-log') && value !== undefined) {
      if (name === 'qtest') qtestChardevs.push(value);
      index += 1;
    } else if (name === 'accel' && value === 'qtest') {
      index += 1;
    } else if ((name === 'machine' || name === 'M') && value !== undefined) {
      const machine = withoutQtestAccel(value);
      if (machine !== undefined) args.push(words[index], machine);
      index += 1;
    } else {
      args.push(words[index]);
    }
  }
  return { args, qtestChardevs };
};
