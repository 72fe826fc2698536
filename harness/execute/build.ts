import { PathId } from '../qemu/topology';

/** Which of two QEMU builds a path ran on, when a run compares a patched build with its baseline. */
export type Build = 'baseline' | 'patched';

const buildSuffix = /@(baseline|patched)$/;

/** `megasas:scsi-hd@patched`: the same path, on one build; reports and signatures show which. */
export const onBuild = (path: PathId, build: Build): PathId => `${path}@${build}` as PathId;

export const buildOf = (path: PathId): Build | undefined => buildSuffix.exec(path)?.[1] as Build | undefined;

export const withoutBuild = (path: PathId): PathId => path.replace(buildSuffix, '') as PathId;
