import { CommandContext } from '../command-context';
import { DeviceState } from '../device-state';
import { ModelAnswer, Rejection, completes, invalidFieldInCdb, invalidFieldInParameters, parameterListLengthError, permitting, unjudged } from '../model-answer';
import { Requirements } from '../requirement';
import { sectorBytes } from '../block-content';
import { PageControl, forgetCurrentValues, pageKeyOf, pagesIn, valuesKey } from './mode-pages';

const requirement = Requirements.modeSelect;

/** What a parameter list asks for, and every way it is wrong (the device reports one of them: the order of checks is its own). */
interface SelectRequest {
  readonly required: Rejection[];
  readonly permitted: Rejection[];
  readonly blockLength: number | undefined;
  readonly pages: { readonly key: string; readonly bytes: Buffer }[];
}

/** The block descriptor (SBC-4 6.5.2): a new LOGICAL BLOCK LENGTH the device may take or refuse. */
const blockDescriptor = (list: Buffer, at: number, long: boolean, request: SelectRequest, state: DeviceState): number | undefined => {
  const blockLength = long ? list.readUInt32BE(at + 12) : list.readUIntBE(at + 5, 3);
  if (blockLength === state.blockBytes) return undefined;
  request.permitted.push(invalidFieldInParameters(requirement, ...(long ? [at + 12, at + 13, at + 14, at + 15] : [at + 5, at + 6, at + 7])));
  return blockLength > 0 && blockLength % sectorBytes === 0 ? blockLength : undefined;
};

/** One page sent: a page the device lacks, the wrong length, or a value changed the device does not let change, is invalid. */
const checkPage = (page: ReturnType<typeof pagesIn>[number], state: DeviceState, request: SelectRequest): void => {
  const key = pageKeyOf(page.pageCode, page.subpageCode);
  if (page.truncated) {
    request.required.push(parameterListLengthError(requirement));
    return;
  }
  const pointer = invalidFieldInParameters(requirement, page.offset, page.offset + 1);
  // SPC-5 7.5.7: PS is reserved in MODE SELECT; page 00h is vendor specific.
  if (page.ps) request.permitted.push(pointer);
  if (page.pageCode === 0) {
    request.permitted.push(pointer);
    return;
  }
  if (state.choices.absentModePages.has(key)) {
    request.required.push(pointer);
    return;
  }
  const current = state.choices.modePages.get(valuesKey(page.pageCode, page.subpageCode, PageControl.current));
  const changeable = state.choices.modePages.get(valuesKey(page.pageCode, page.subpageCode, PageControl.changeable));
  const reference = current ?? changeable;
  if (!reference) {
    request.permitted.push(invalidFieldInParameters(requirement, ...Array.from({ length: page.bytes.length }, (_, index) => page.offset + index)));
    return;
  }
  if (reference.length !== page.bytes.length) {
    request.required.push(invalidFieldInParameters(requirement, page.offset + 1, page.offset + 2, page.offset + 3));
    return;
  }
  const headerLength = page.subpageCode === 0 && (page.bytes[0] & 0x40) === 0 ? 2 : 4;
  const changed = Array.from({ length: page.bytes.length - headerLength }, (_, index) => index + headerLength).filter((index) => {
    if (!current || !changeable) return false;
    return ((page.bytes[index] ^ current[index]) & ~changeable[index] & 0xff) !== 0;
  });
  if (changed.length > 0) request.required.push(invalidFieldInParameters(requirement, ...changed.map((index) => page.offset + index)));
  else if (!current || !changeable) request.permitted.push(invalidFieldInParameters(requirement, ...Array.from({ length: page.bytes.length }, (_, index) => page.offset + index)));
  request.pages.push({ key: valuesKey(page.pageCode, page.subpageCode, PageControl.current), bytes: page.bytes });
};

/** SPC-5 7.5.5-7.5.7: the header (MODE DATA LENGTH reserved here), the block descriptors, the pages, none of them cut short. */
const parseList = (list: Buffer, ten: boolean, state: DeviceState): SelectRequest => {
  const request: SelectRequest = { required: [], permitted: [], blockLength: undefined, pages: [] };
  const headerLength = ten ? 8 : 4;
  if (list.length < headerLength) return { ...request, required: [parameterListLengthError(requirement)] };
  const modeDataLength = ten ? list.readUInt16BE(0) : list[0];
  const long = ten && (list[4] & 1) === 1;
  const descriptorLength = ten ? list.readUInt16BE(6) : list[3];
  if (modeDataLength !== 0) request.permitted.push(invalidFieldInParameters(requirement, 0, 1));
  if (list[ten ? 2 : 1] !== 0) request.permitted.push(invalidFieldInParameters(requirement, ten ? 2 : 1));
  if (list[ten ? 3 : 2] !== 0) request.permitted.push(invalidFieldInParameters(requirement, ten ? 3 : 2));
  if (ten && (list[4] & 0xfe) !== 0) request.permitted.push(invalidFieldInParameters(requirement, 4));
  const descriptorPointer = ten ? [6, 7] : [3];
  const descriptorSize = long ? 16 : 8;
  if (headerLength + descriptorLength > list.length) {
    request.required.push(parameterListLengthError(requirement), invalidFieldInParameters(requirement, ...descriptorPointer));
    return request;
  }
  if (descriptorLength % descriptorSize !== 0) request.required.push(invalidFieldInParameters(requirement, ...descriptorPointer), parameterListLengthError(requirement));
  else if (descriptorLength > descriptorSize) request.permitted.push(invalidFieldInParameters(requirement, ...descriptorPointer));
  const blockLength = descriptorLength >= descriptorSize ? blockDescriptor(list, headerLength, long, request, state) : undefined;
  for (const page of pagesIn(list, headerLength + descriptorLength, list.length)) checkPage(page, state, request);
  return { ...request, blockLength };
};

/** The current values after a MODE SELECT the device took: what was sent where the page may change, else forgotten. */
const applySelect = (request: SelectRequest) => (state: DeviceState): void => {
  if (request.blockLength !== undefined) state.blockBytes = request.blockLength;
  for (const page of request.pages) {
    if (state.choices.modePages.has(page.key)) state.choices.modePages.set(page.key, Buffer.from(page.bytes));
  }
};

/**
 * MODE SELECT (6/10), SPC-5 6.12-6.13: a PARAMETER LIST LENGTH of 0 changes nothing and is no error; a list
 * cut short anywhere is PARAMETER LIST LENGTH ERROR; anything the device does not take is INVALID FIELD IN
 * PARAMETER LIST, changing nothing. SP where the device cannot save, or RTD with a list, are INVALID FIELD
 * IN CDB. With PF 0 the pages are vendor specific.
 */
export const modeSelectAnswer = (context: CommandContext): ModelAnswer => {
  const ten = context.layout.length === 10;
  const length = context.number('parameterListLength');
  const state = context.state;
  const cdbChecks: Rejection[] = [];
  const saving = state.choices.savedPages;
  if (context.flag('sp') && saving.known && !saving.value) cdbChecks.push(invalidFieldInCdb(requirement, 1));
  if (context.flag('rtd') && length !== 0) cdbChecks.push(invalidFieldInCdb(requirement, 1, context.byteOf('parameterListLength')));
  // A device that keeps no vendor-specific page format may refuse PF 0 outright, empty list or not.
  const optionalBits = [
    ...(context.flag('sp') && !saving.known ? [invalidFieldInCdb(requirement, 1)] : []),
    ...(context.flag('rtd') ? [invalidFieldInCdb(requirement, 1)] : []),
    ...(context.flag('pf') ? [] : [invalidFieldInCdb(requirement, 1)]),
  ];
  if (cdbChecks.length > 0) return { required: cdbChecks, permitted: optionalBits, completion: undefined };
  if (length === 0) return permitting(completes({ transfer: 0, effect: context.flag('rtd') ? forgetCurrentValues : undefined }), ...optionalBits);
  if (!context.parameters) return { ...unjudged('the host sent less than the parameter list'), completion: { transfer: length, uncertain: forgetCurrentValues } };
  if (!context.flag('pf')) return { ...unjudged('with PF 0 the pages are vendor specific (SPC-5 6.12)'), completion: { transfer: length, uncertain: forgetCurrentValues } };
  const request = parseList(context.parameters, ten, state);
  const permitted = [...request.permitted, ...optionalBits];
  if (request.required.length > 0) return { required: request.required, permitted, completion: undefined };
  return permitting(completes({ transfer: length, effect: applySelect(request), uncertain: forgetCurrentValues }), ...permitted);
};
