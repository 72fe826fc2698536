import { Delivery } from '../execute/delivery';
import type { Answer } from '../scsi/outcome';

/** SG_IO's own fields of an answer: the ioctl's errno, and the host (DID_*) and driver status Linux set. */
export interface SgIoDetails {
  readonly transport: 'sg-io';
  readonly errno: number;
  readonly hostStatus: number;
  readonly driverStatus: number;
}

/** Linux sets DRIVER_SENSE whenever sense came back: the sense says it already. */
const driverSense = 0x08;

const hex = (value: number): string => `0x${value.toString(16).padStart(4, '0')}`;

/** What SG_IO's fields say of the delivery: the ioctl failed (no device saw the command), or the host or driver status is not clean. */
export const sgIoDelivery = ({ errno, hostStatus, driverStatus }: Omit<SgIoDetails, 'transport'>): Delivery => {
  if (errno !== 0) return { answered: false, problem: `SG_IO errno ${errno}`, completion: `SG_IO errno ${errno}` };
  const driver = driverStatus & ~driverSense;
  const problems = [...(hostStatus !== 0 ? [`host ${hex(hostStatus)}`] : []), ...(driver !== 0 ? [`driver ${hex(driver)}`] : [])];
  return { answered: true, problem: problems.length > 0 ? problems.join(' ') : undefined, completion: `host ${hex(hostStatus)} driver ${hex(driver)}` };
};

/** A reset's ioctl: carried out, or refused with an errno. */
export const sgIoResetDelivery = (errno: number): Delivery => ({
  answered: errno === 0,
  problem: errno === 0 ? undefined : `SG_IO errno ${errno}`,
  completion: `errno ${errno}`,
});

/** An answer SG_IO's fields describe (an EXEC result, a logged ioctl), as a person reads it. */
export const sgIoAnswer = (result: Omit<SgIoDetails, 'transport'> & { readonly status: number; readonly sense: Buffer }): Answer => ({
  delivery: sgIoDelivery(result),
  status: result.status,
  sense: result.sense,
});
