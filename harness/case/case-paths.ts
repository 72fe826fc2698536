import { HbaModel, hbaModels, isHbaModel } from '../qemu/hba/registry';
import { defaultTopology, DiskKind, diskKinds, layoutTopology, PathId } from '../qemu/topology';
import { CaseProblem } from './case-problem';
import { maxCdbBytes } from './max-cdb-bytes';
import { quote } from './message-text';

export const defaultCasePaths: readonly PathId[] = layoutTopology(defaultTopology).map((layout) => layout.path);

const PATH_SYNTAX = /^([^:#]*):([^:#]*)(?:#(.*))?$/;
/** layoutTopology writes no number on a pair's first use and #2, #3… on the uses after it. */
const REPEAT_NUMBER = /^[1-9][0-9]*$/;

const isDiskKind = (name: string): name is DiskKind => (diskKinds as readonly string[]).includes(name);

/**
 * Checks a case's `paths`, each a PathId of some topology: an HBA of the registry, a disk kind, and where a
 * topology repeats the pair, its number. A case may name any of a topology's paths, `#2` without the first.
 */
export const checkCasePaths = (paths: readonly string[]): PathId[] =>
  paths.map((text, index) => {
    const field = ['paths', index];
    const match = PATH_SYNTAX.exec(text);
    if (!match) throw new CaseProblem(field, `must be <hba>:<disk>, e.g. megasas:scsi-hd, not ${quote(text)}`);
    const [, hba = '', disk = '', repeat] = match;
    if (!isHbaModel(hba)) throw new CaseProblem(field, `unknown HBA ${quote(hba)}; known: ${hbaModels.join(', ')}`);
    if (!isDiskKind(disk)) throw new CaseProblem(field, `unknown disk ${quote(disk)}; known: ${diskKinds.join(', ')}`);
    if (repeat !== undefined && !(REPEAT_NUMBER.test(repeat) && repeat !== '1')) {
      const rule = 'a repeated pair is numbered #2, #3…, and its first use has no number';
      throw new CaseProblem(field, `${quote(text)}: ${rule}`);
    }
    const earlier = paths.indexOf(text);
    if (earlier < index) throw new CaseProblem(field, `${quote(text)} is already paths[${earlier}]`);
    return text as PathId;
  });

const hbaOf = (path: PathId): HbaModel => path.slice(0, path.indexOf(':')) as HbaModel;

/** The longest CDB every one of `paths` carries, and the first path that limits it, for messages. */
export const cdbLimitOf = (paths: readonly PathId[]): { readonly maxBytes: number; readonly limitedBy: PathId } =>
  paths
    .map((path) => ({ maxBytes: maxCdbBytes[hbaOf(path)], limitedBy: path }))
    .reduce((tightest, candidate) => (candidate.maxBytes < tightest.maxBytes ? candidate : tightest));
