import type { FrameDriverContext, FrameDriverFactory } from './frame-driver';
import type { MegasasFrameKind } from './megasas-command-frame';
import { MegasasFrameDriver } from './megasas-driver';
import { megasasGen1, megasasGen2, MegasasVariant } from './megasas-variant';

export interface MegasasFrameDriverFactory extends FrameDriverFactory {
  readonly model: MegasasVariant['model'];
  init(context: FrameDriverContext): Promise<MegasasFrameDriver>;
}

/**
 * A factory for one of QEMU's MFI adapters. `frameKind` chooses the frames SCSI commands travel in; by default
 * those Linux's megaraid_sas sends to QEMU's disks, so answers compare with what the guest path saw.
 */
export const megasasFrameDriverFactoryFor = (variant: MegasasVariant, frameKind: MegasasFrameKind = 'linux'): MegasasFrameDriverFactory => ({
  model: variant.model,
  vendorId: variant.vendorId,
  deviceId: variant.deviceId,
  init: (context) => MegasasFrameDriver.init(variant, context, frameKind),
});

export const megasasFrameDriverFactory = megasasFrameDriverFactoryFor(megasasGen1);
export const megasasGen2FrameDriverFactory = megasasFrameDriverFactoryFor(megasasGen2);
