// The legacy I/O port map: every range the VM registers, one line each, labelled like Ralf
// Brown's port list. A device is placed by naming its entry here; nothing else in the code base
// writes a port number. `where` tells whether the range is handled in the vCPU worker (no exit)
// or on the host (an exit per access).

/** One port range of the PC. */
export interface PortRange {
  base: number;
  length: number;
  /** What lives there. */
  label: string;
  /** "worker": handled inside the vCPU worker; "host": exits to the device host. */
  where: "worker" | "host";
}

function range(base: number, length: number, label: string, where: "worker" | "host" = "host"): PortRange {
  return { base, length, label, where };
}

/** Ports of the tabvisor PC. */
export const PORTS = {
  PIC_MASTER: range(0x0020, 2, "8259A PIC master (command, data)", "worker"),
  PIT: range(0x0040, 4, "8254 PIT: channels 0-2, control word", "worker"),
  KBC_DATA: range(0x0060, 1, "8042 keyboard controller: data"),
  SYSTEM_CONTROL_B: range(0x0061, 1, "port B: PIT channel 2 gate/output, speaker, refresh toggle", "worker"),
  KBC_COMMAND: range(0x0064, 1, "8042 keyboard controller: status / command"),
  CMOS: range(0x0070, 2, "MC146818 RTC and CMOS RAM: index (bit 7 masks NMI), data; IRQ 8"),
  SYSTEM_CONTROL_A: range(0x0092, 1, "system control port A: fast A20 (bit 1), fast reset (bit 0)"),
  PIC_SLAVE: range(0x00a0, 2, "8259A PIC slave (command, data), cascaded on IR2", "worker"),
  ELCR: range(0x04d0, 2, "edge/level control for IRQ 0-7, 8-15 (PIIX ELCR)", "worker"),
  POST_CODE: range(0x0080, 1, "POST diagnostic code latch; Linux's outb_p I/O delay (no exit)", "worker"),
  DEBUG_EXIT: range(0x00f4, 1, "QEMU isa-debug-exit: writing v ends the run with status (v << 1) | 1"),
  DEBUGCON: range(0x00e9, 1, "Bochs/QEMU debug console: each byte written is printed"),
  COM1: range(0x03f8, 8, "COM1: 16550A UART, IRQ 4"),
} as const;

/** IRQ numbers of the ISA devices (the in-worker PIC's inputs). */
export const IRQS = {
  KEYBOARD: 1,
  COM1: 4,
  RTC: 8,
  MOUSE: 12,
} as const;
