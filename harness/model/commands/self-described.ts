/**
 * How much a device moves of data that says its own length in a header field: the whole of it, up to the
 * allocation length. `header` is how many bytes the length field needs; `total` reads the whole length
 * from them. Data shorter than the header cannot say, unless the allocation length was shorter still.
 */
export const selfDescribedTransfer =
  (allocation: number, header: number, total: (data: Buffer) => number) =>
  (data: Buffer): number | undefined => {
    if (allocation < header) return allocation;
    return data.length >= header ? Math.min(allocation, total(data)) : undefined;
  };

/** Where two answers to the same question disagree over the bytes both hold, in words; empty when they agree. */
export const inconsistency = (earlier: Buffer | undefined, now: Buffer, what: string): string[] => {
  if (!earlier) return [];
  const length = Math.min(earlier.length, now.length);
  for (let offset = 0; offset < length; offset++) {
    if (earlier[offset] !== now[offset]) return [`${what} byte ${offset} is ${now[offset]}; the device answered ${earlier[offset]} before`];
  }
  return [];
};

/** Keeps the longest answer seen, so later shorter ones are checked against it too. */
export const recordLongest = (records: Map<string, Buffer>, key: string, data: Buffer | undefined): void => {
  const earlier = records.get(key);
  if (data && (!earlier || data.length > earlier.length)) records.set(key, Buffer.from(data));
};
