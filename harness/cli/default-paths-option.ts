import { UserError } from '../errors/user-error';
import { defaultTopology, layoutTopology, PathId } from '../qemu/topology';

/** `--paths a,b`: names of the default topology's paths, each once; a name it lacks is the user's mistake. */
export const defaultPathsNamed = (list: string): PathId[] => {
  const known = layoutTopology(defaultTopology).map((layout) => layout.path);
  const chosen = list.split(',').map((name) => name.trim() as PathId);
  const unknown = chosen.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UserError(`--paths: unknown path ${unknown.join(', ')} (the default topology has ${known.join(', ')})`);
  return [...new Set(chosen)];
};
