import { hbaDrivers, HbaModel } from '../qemu/hba/registry';

/** The longest CDB each emulated HBA carries to its device: each HBA's file says it, with its reason. */
export const maxCdbBytes: Readonly<Record<HbaModel, number>> = Object.fromEntries(hbaDrivers.map((driver) => [driver.model, driver.maxCdbBytes])) as Record<HbaModel, number>;
