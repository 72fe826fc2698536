import { ResetKind } from '../scsi/reset-kind';
import { DataDirection } from '../scsi/cdb';
import { CaseDisk, CaseProvenance, HostEvent, StepExpectation } from './case-types';

// The JSON shape of a case as case-schema.json admits it, before paths, hex and sizes are checked.

export interface CommandStepDocument {
  readonly cdb: string;
  readonly dir: DataDirection;
  readonly length?: number;
  readonly data?: string;
  readonly timeoutMs?: number;
  readonly queued?: boolean;
  readonly expect?: StepExpectation;
}

export interface ResetStepDocument {
  readonly reset: ResetKind;
  readonly path?: string;
  readonly queued?: boolean;
  readonly expect?: StepExpectation;
}

export interface HostStepDocument {
  readonly host: HostEvent['kind'];
  /** resize only: the disks' new size. */
  readonly bytes?: number;
  /** io-error only: which requests fail, and the 512-byte sector they must cover. */
  readonly io?: 'read' | 'write';
  readonly sector?: number;
  /** hold only: how long QEMU holds the disks' requests. */
  readonly ms?: number;
  readonly expect?: StepExpectation;
}

export type StepDocument = CommandStepDocument | ResetStepDocument | HostStepDocument;

export interface CaseDocument {
  readonly format: string;
  readonly paths?: readonly string[];
  readonly disk?: CaseDisk;
  readonly provenance?: CaseProvenance;
  readonly steps: readonly StepDocument[];
}
