import { flag, number, required } from '../layout/field';
import { dataIn, defineCommand } from '../layout/command-layout';
import { encoderFor } from '../layout/encode-cdb';
import { wholeBytes } from '../layout/field-place';
import { vpdPageNames } from '../data-in/vpd/vpd-page-names';
import { hexByte, Opcode } from './opcode';

/** INQUIRY (SPC-5): standard data, or with EVPD the vital product data page PAGE CODE names. */
export const inquiryLayout = defineCommand({
  name: 'INQUIRY',
  opcode: Opcode.inquiry,
  length: 6,
  direction: 'from-device',
  fields: {
    evpd: flag('EVPD', 1, 0),
    pageCode: number('PAGE CODE', wholeBytes(2, 1), { names: vpdPageNames }),
    allocationLength: required(number('ALLOCATION LENGTH', wholeBytes(3, 2))),
  },
  transfer: ({ allocationLength }) => dataIn(allocationLength),
  // SPC-5: a PAGE CODE without EVPD is an invalid field in the CDB.
  oddities: ({ evpd, pageCode }) => (!evpd && pageCode !== 0 ? ['PAGE CODE is set but EVPD is not'] : []),
  familyMember: ({ evpd, pageCode }) => (evpd ? hexByte(pageCode) : 'standard'),
});

export const inquiry = encoderFor(inquiryLayout);
