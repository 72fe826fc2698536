/** The MFI registers a driver uses, as offsets into megasas.c's register BAR (mfi.h). */
export const MfiRegister = {
  /** Firmware state, max SGEs and max commands; the 1078's driver reads it here. */
  outboundMessage0: 0x18,
  /** All ones disables the interrupt, which megasas.c takes as a soft reset back to READY. */
  outboundInterruptMask: 0x34,
  /** A frame's address with its frame count in bits 1–4 (megasas.c masks the address with ~0x1f). */
  inboundQueuePort: 0x40,
  outboundDoorbellClear: 0xa0,
  /** The same word as outbound message 0; gen2's driver reads it here. */
  outboundScratchPad0: 0xb0,
} as const;

/** Firmware states in the status word's top nibble (MFI_FWSTATE_*). */
export const MfiFirmwareState = {
  mask: 0xf0000000,
  ready: 0xb0000000,
} as const;

/** The status word's low 16 bits: how many frames the firmware takes at once, and so how long its reply queue is. */
export const mfiMaxCommandsMask = 0xffff;

export const mfiInterruptsDisabled = 0xffffffff;

/** What megaraid_sas writes to the outbound doorbell clear register before enabling interrupts. */
export const mfiClearAllDoorbells = 0xffffffff;
