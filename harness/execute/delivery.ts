/**
 * How the transport says a command went, beside the device's own answer: decoded once, by the executor that
 * knows the transport (SG_IO's errno and host and driver status; an HBA frame's completion code), so that the
 * comparison, the model and the findings read one shape whatever carried the command.
 */
export interface Delivery {
  /** The device's status, sense and data came back; false when the command never reached it or never came back. */
  readonly answered: boolean;
  /**
   * The transport's words for what went wrong on the way (`SG_IO errno 5`, `host 0x0007`, `MFI_STAT_DEVICE_NOT_FOUND`),
   * undefined when it reports nothing wrong.
   */
  readonly problem: string | undefined;
  /** The whole completion as paths of one transport are compared on it: `host 0x0000 driver 0x0000`, `VIRTIO_SCSI_S_OK`. */
  readonly completion: string;
}
