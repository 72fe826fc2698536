import { MfiRegister } from './mfi-registers';

/**
 * What tells QEMU's two MFI adapters apart to a driver. megasas.c serves both with one register handler; they
 * differ in PCI id, in which BAR holds the registers (megasas_devices[].mmio_bar) and in the interrupt bits
 * Linux's megaraid_sas enables (its ppc template for the 1078, its gen2 template for the 2108).
 */
export interface MegasasVariant {
  readonly model: 'megasas' | 'megasas-gen2';
  readonly vendorId: number;
  readonly deviceId: number;
  readonly registerBar: number;
  /** Where megaraid_sas reads the firmware state; megasas.c answers outbound message 0 and scratch pad 0 alike. */
  readonly firmwareStatusRegister: number;
  /** What megaraid_sas writes to the outbound interrupt mask to enable its reply interrupt. */
  readonly interruptEnableMask: number;
}

const lsiLogic = 0x1000;

/** LSI MegaRAID SAS 1078 (PCI_DEVICE_ID_LSI_SAS1078): registers in the 64-bit memory BAR 0, I/O ports in BAR 2. */
export const megasasGen1: MegasasVariant = {
  model: 'megasas',
  vendorId: lsiLogic,
  deviceId: 0x0060,
  registerBar: 0,
  firmwareStatusRegister: MfiRegister.outboundMessage0,
  interruptEnableMask: ~0x80000000 >>> 0,
};

/** LSI MegaRAID SAS 2108 (PCI_DEVICE_ID_LSI_SAS0079): I/O ports in BAR 0, registers in the 64-bit memory BAR 1. */
export const megasasGen2: MegasasVariant = {
  model: 'megasas-gen2',
  vendorId: lsiLogic,
  deviceId: 0x0079,
  registerBar: 1,
  firmwareStatusRegister: MfiRegister.outboundScratchPad0,
  interruptEnableMask: ~0x5 >>> 0,
};
