// The sg_raw script, a case as shell commands for sg3-utils 1.46+ (docs/corpus-format.md): what the writer
// writes and the reader recognises, line by line.

export const SCRIPT_EXTENSION = '.sh';

/** The case's annotation (paths, disk, provenance), as JSON on one line. */
export const CASE_MARKER = '# hbadiff-case: ';
/** A step's annotation (timeout, expectation, a no-data command's buffer), on the line before its command. */
export const STEP_MARKER = '# hbadiff-step: ';

/** sg_raw refuses shorter CDBs ("Between 6 and 260 command bytes"). */
export const SG_RAW_MIN_CDB_BYTES = 6;

/** Every script's lines after its header comments: the devices, a data file, and `nth` to pick one device. */
export const SCRIPT_PREAMBLE: readonly string[] = [
  'set -u',
  '[ $# -gt 0 ] || set -- ${HBADIFF_DEVICES:-}',
  '[ $# -gt 0 ] || { echo "usage: $0 DEVICE... (one SCSI generic node per path), or HBADIFF_DEVICES" >&2; exit 2; }',
  'data=$(mktemp) || exit 1',
  `trap 'rm -f "$data"' EXIT`,
  'nth() { shift "$1"; dev=$1; }',
];

export const DATA_BEGIN = '{';
export const DATA_END = '} >"$data"';
/** The block's one command when the data is empty: sh allows no empty braces. */
export const NO_DATA = ':';
/** Literal bytes per printf line. */
export const PRINTF_BYTES = 16;

export const RESET_FLAGS = { device: '--device', target: '--target', bus: '--bus', host: '--host' } as const;
