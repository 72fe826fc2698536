/**
 * COMPARE AND WRITE's data out (SBC-4): the verify instance, the blocks the medium must hold, then the
 * write instance, the blocks to write if they do; both as long as NUMBER OF LOGICAL BLOCKS says.
 */
export const compareAndWriteData = ({ compare, write }: { readonly compare: Uint8Array; readonly write: Uint8Array }): Buffer => {
  if (compare.length !== write.length) {
    throw new RangeError(`COMPARE AND WRITE needs as many bytes to write (${write.length}) as to compare (${compare.length})`);
  }
  return Buffer.concat([compare, write]);
};
