/**
 * The CDB length an opcode's group code (bits 7-5) implies (SPC-5): undefined for group 3, which
 * is reserved but for the variable-length 7Eh and 7Fh, and for the vendor-specific groups 6 and 7.
 */
export const cdbLengthOfGroup = (opcode: number): number | undefined => [6, 10, 10, undefined, 16, 12, undefined, undefined][(opcode >> 5) & 7];

export const groupCode = (opcode: number): number => (opcode >> 5) & 7;
