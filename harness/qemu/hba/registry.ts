import { HbaDriver } from './hba-driver';
import { lsi53c895a } from './lsi53c895a';
import { megasas } from './megasas';
import { megasasGen2 } from './megasas-gen2';
import { mptsas1068 } from './mptsas1068';
import { pvscsi } from './pvscsi';
import { virtioScsi } from './virtio-scsi';
import { virtioScsiIothread } from './virtio-scsi-iothread';
import { lsi53c810 } from './lsi53c810';
import { am53c974 } from './am53c974';
import { dc390 } from './dc390';
import { usbBot, usbUas } from './usb-storage';

const drivers = [megasas, megasasGen2, virtioScsi, virtioScsiIothread, mptsas1068, lsi53c895a, pvscsi, lsi53c810, am53c974, dc390, usbUas, usbBot] as const;

export const hbaDrivers: readonly HbaDriver[] = drivers;

/** Every emulation once, in its plain form: what `--hbas all` takes, without the variants (an iothread) a user names. */
export const hbaEmulations: readonly HbaDriver[] = hbaDrivers.filter((driver) => driver.variantOf === undefined);

export type HbaModel = (typeof drivers)[number]['model'];

export const hbaModels: readonly string[] = drivers.map((driver) => driver.model);

export const isHbaModel = (name: string): name is HbaModel => hbaModels.includes(name);

export const hbaDriver = (model: HbaModel): HbaDriver => {
  const driver = drivers.find((candidate) => candidate.model === model);
  if (!driver) throw new Error(`no HBA driver for model ${model}`);
  return driver;
};
