import { cannotTestExitCode, UserError } from '../errors/user-error';
import type { HbaModel } from '../qemu/hba/registry';
import type { FrameDriverFactory } from './frame-driver';
import { megasasFrameDriverFactory, megasasGen2FrameDriverFactory } from './megasas';
import { virtioScsiFrameDriverFactory } from './virtio-scsi';

/** The HBAs hbadiff speaks to at frame level: adding one is its driver file and one line here. */
const frameDriverFactories: readonly FrameDriverFactory[] = [megasasFrameDriverFactory, megasasGen2FrameDriverFactory, virtioScsiFrameDriverFactory];

export const frameLevelModels: readonly HbaModel[] = frameDriverFactories.map((factory) => factory.model);

export const frameDriverFor = (model: HbaModel): FrameDriverFactory => {
  const factory = frameDriverFactories.find((candidate) => candidate.model === model);
  if (!factory) {
    throw new UserError(`${model} has no frame-level driver yet (--transport qtest speaks ${frameLevelModels.join(', ')})`, cannotTestExitCode);
  }
  return factory;
};
