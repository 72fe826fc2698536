import fc from 'fast-check';
import { Case } from '../case/case-types';
import { PathId } from '../qemu/topology';
import { DiskGeometry } from '../generate/disk-geometry';
import { plainSequences, sequenceArbitrary, SequenceOptions } from '../generate/sequence-arbitrary';

/** The case for one seed, on the given paths: fast-check draws it, so the same seed gives the same case. */
export const caseGenerator =
  (geometry: DiskGeometry, paths: readonly PathId[] | undefined, options: SequenceOptions = plainSequences) =>
  (seed: number): Case => {
    const [steps] = fc.sample(sequenceArbitrary(geometry, undefined, options), { seed, numRuns: 1 });
    return { ...(paths ? { paths } : {}), steps, provenance: { seed } };
  };
