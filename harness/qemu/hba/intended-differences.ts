import type { PolicyRule } from '../../diff/policy';
import { resetKinds } from '../../scsi/reset-kind';
import { HbaDriver } from './hba-driver';


/** A reset its guest driver does not carry out fails with EIO on this HBA's paths where another HBA's succeeds. */
const resetRules = (driver: HbaDriver): PolicyRule[] =>
  resetKinds
    .filter((kind) => !driver.guestResets.includes(kind))
    .map((kind) => ({
      id: `${driver.model}-driver-has-no-${kind}-reset`,
      between: [`${driver.model}:*`, '*:*'],
      reset: kind,
      field: 'status',
      reason: `Linux's ${driver.guestDriver} does not carry out a ${kind} reset on ${driver.model} (no handler for it, or one that refuses on this adapter): asked without escalation, the ioctl fails with EIO`,
    }));

/** Everything an HBA's file says it answers differently by design, as policy rules with their reasons. */
export const hbaIntendedDifferences = (driver: HbaDriver): PolicyRule[] => [...(driver.intendedDifferences ?? []), ...resetRules(driver)];
