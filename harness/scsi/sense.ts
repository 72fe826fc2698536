// Sense data: decoding both formats, naming sense keys and ASC/ASCQ codes, and one line for a person.
export { decodeSense, type SenseData } from './sense/sense-data';
export { describeSense } from './sense/describe-sense';
export { SenseKey, senseKeyName } from './sense/sense-key';
export { ascAscqName, describeAscAscq } from './sense/asc-ascq';
export { type SenseKeySpecific, describeSenseKeySpecific } from './sense/sense-key-specific';
export { type SenseDescriptor } from './sense/sense-descriptors';
