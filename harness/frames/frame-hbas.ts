import { UserError } from '../errors/user-error';
import { MegasasMutationTarget } from './megasas-mutation-target';
import { answerNeutralMfi, MfiMutation, mfiMutationArbitrary } from './mfi-mutation';
import type { FrameHba } from './mutation-target';
import { VirtioMutationTarget } from './virtio-mutation-target';
import { answerNeutralVirtio, VirtioMutation, virtioMutationArbitrary } from './virtio-mutation';

const overriddenFields = (mutation: { readonly overrides: readonly { readonly field: string }[] }): string[] => [...new Set(mutation.overrides.map((override) => override.field))].sort();

const mfiHba = (model: 'megasas' | 'megasas-gen2'): FrameHba<MfiMutation> => ({
  model,
  mutation: mfiMutationArbitrary,
  answerNeutral: answerNeutralMfi,
  overriddenFields,
  target: (driver, machine, timeoutMs) => MegasasMutationTarget.over(driver, machine.memory, timeoutMs),
});

const virtioHba: FrameHba<VirtioMutation> = {
  model: 'virtio-scsi',
  mutation: virtioMutationArbitrary,
  answerNeutral: answerNeutralVirtio,
  overriddenFields,
  target: (driver, machine, timeoutMs) => VirtioMutationTarget.over(driver, machine.qtest, machine.memory, timeoutMs),
};

/** The HBAs whose frames hbadiff mutates: adding one is its mutation, its target, and a line here. */
export const frameHbas = {
  megasas: mfiHba('megasas'),
  'megasas-gen2': mfiHba('megasas-gen2'),
  'virtio-scsi': virtioHba,
} as const;

export type FrameHbaName = keyof typeof frameHbas;

export const frameHbaNamed = (name: string, flag: string): FrameHba<MfiMutation> | FrameHba<VirtioMutation> => {
  if (!Object.hasOwn(frameHbas, name)) throw new UserError(`${flag}: ${JSON.stringify(name)} is not an HBA whose frames hbadiff mutates (${Object.keys(frameHbas).join(', ')})`);
  return frameHbas[name as FrameHbaName];
};
