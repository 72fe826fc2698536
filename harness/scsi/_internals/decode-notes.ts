/** What every data-in decoder says besides the fields: whether it saw all of the structure, and what looks wrong. */
export interface DecodeNotes {
  /**
   * The bytes stop before the structure does, by its own length field or its fixed size; fields past the
   * end read as zero or empty. Normal when the allocation length was short, so not a problem by itself.
   */
  readonly truncated: boolean;
  /** What in the bytes themselves contradicts the standard or itself, in words. */
  readonly problems: readonly string[];
}

/** The `truncated` and `problems` lines a describe function ends with, when there is anything to say. */
export const notesEntries = (notes: DecodeNotes): [string, string][] => [
  ...(notes.truncated ? [['truncated', 'yes'] as [string, string]] : []),
  ...notes.problems.map((problem): [string, string] => ['problem', problem]),
];
