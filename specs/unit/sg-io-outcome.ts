import { CommandOutcome } from '../../harness/execute/step-outcome';
import { SgIoDetails, sgIoDelivery } from '../../harness/guest/sg-io-delivery';

/** The delivery and transport fields of an outcome whose SG_IO fields are these (all zero unless given). */
export const viaSgIo = (fields: Partial<Omit<SgIoDetails, 'transport'>> = {}): Pick<CommandOutcome, 'delivery' | 'transport'> => {
  const details = { errno: 0, hostStatus: 0, driverStatus: 0, ...fields };
  return { delivery: sgIoDelivery(details), transport: { transport: 'sg-io', ...details } };
};
