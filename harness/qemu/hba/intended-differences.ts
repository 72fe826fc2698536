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

/** An HBA that does not tell the guest of an unplug leaves the guest showing the device, where another's lets go. */
const hotplugRules = (driver: HbaDriver): PolicyRule[] =>
  driver.tellsGuestOfHotplug
    ? []
    : [
        {
          id: `${driver.model}-guest-not-told-of-unplug`,
          between: [`${driver.model}:*`, '*:*'],
          host: 'unplug',
          field: 'status',
          reason: `QEMU's ${driver.model} has no hot-plug event for the guest: ${driver.guestDriver} keeps a disk unplugged from under it, whose commands then fail on the transport`,
        },
      ];

/** Everything an HBA's file says it answers differently by design, as policy rules with their reasons. */
export const hbaIntendedDifferences = (driver: HbaDriver): PolicyRule[] => [...(driver.intendedDifferences ?? []), ...resetRules(driver), ...hotplugRules(driver)];
