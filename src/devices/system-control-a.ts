// System Control Port A (PS/2 "port 92h", "fast A20 and reset"): one byte register at offset 0.
//
// Invariants:
// - Bit 0 (fast reset) is a trigger, not storage: writing 1 calls `SystemControl.reset()` and the
//   bit always reads 0 (the reset pulse has completed by the time the guest can read again).
// - Bit 1 is this port's A20 gate. Every write reports it with `SystemControl.setA20`, even when
//   unchanged: the call is idempotent, and the VMM may combine it with the 8042's gate (on real
//   chipsets the two gates are ORed). The device never calls `setA20` on its own, so the VMM must
//   start its A20 state equal to the `a20Enabled` option.
// - Bit 3 (security lock) is a set-only latch: once written 1 it stays 1 until the device is
//   rebuilt (power-on), as on the IBM PS/2.
// - Every other bit (2, 4-7) reads back what was last written. Wide accesses act on the low byte.

import type { AccessSize, BusDevice } from "../vmm/device";

// Bits of System Control Port A (IBM PS/2 Technical Reference, "System Control Port A (Hex 0092)";
// Intel chipset datasheets, "Port 92h": bit 0 INIT_NOW / ALT_RST#, bit 1 ALT_A20_GATE).
/** Bit 0: alternate (fast) CPU reset; a write of 1 resets the CPU. */
export const PORT_A_FAST_RESET = 0x01;
/** Bit 1: alternate A20 gate; 1 = address line 20 enabled. */
export const PORT_A_A20 = 0x02;
/** Bit 3: security lock latch; set-only until power-on. */
export const PORT_A_LOCK = 0x08;

/** Machine-level controls that legacy devices can pull: the reset line and the A20 gate. */
export interface SystemControl {
  /** Reset the CPU (a warm reset: the VMM decides what else is reset). */
  reset(): void;
  /** This device's A20 gate changed (or was rewritten): `true` = address line 20 passes through. */
  setA20(enabled: boolean): void;
}

/** Snapshot of a {@link SystemControlA}: plain data, JSON-serializable. */
export interface SystemControlAState {
  version: 1;
  /** The register as it reads: bit 0 is always 0. */
  value: number;
}

/** Construction options for {@link SystemControlA}. */
export interface SystemControlAOptions {
  /** Bus name; defaults to "system-control-a". */
  name?: string;
  /** Where reset and A20 requests go. */
  system: SystemControl;
  /** Initial A20 gate (bit 1), as firmware leaves it; defaults to true (enabled). */
  a20Enabled?: boolean;
}

/** System Control Port A: fast reset, fast A20 gate and the security lock latch. */
export class SystemControlA implements BusDevice {
  readonly name: string;
  private readonly system: SystemControl;
  private value: number;

  constructor(options: SystemControlAOptions) {
    this.name = options.name ?? "system-control-a";
    this.system = options.system;
    this.value = (options.a20Enabled ?? true) ? PORT_A_A20 : 0;
  }

  /** The A20 gate as this port last set it. */
  get a20Enabled(): boolean {
    return (this.value & PORT_A_A20) !== 0;
  }

  /** Read the register; bit 0 reads 0. Sizes 2 and 4 return the byte zero-extended. */
  read(_offset: number, _size: AccessSize): number {
    return this.value;
  }

  /** Write the register (low byte of `value`): report A20, then reset if bit 0 is set. */
  write(_offset: number, _size: AccessSize, value: number): void {
    const v = value & 0xff;
    this.value = (v & ~PORT_A_FAST_RESET) | (this.value & PORT_A_LOCK);
    this.system.setA20((v & PORT_A_A20) !== 0);
    if (v & PORT_A_FAST_RESET) this.system.reset();
  }

  /** A snapshot of the device. */
  getState(): SystemControlAState {
    return { version: 1, value: this.value };
  }

  /** Restore a snapshot from {@link getState}; throws on a malformed one. Calls nothing. */
  setState(s: SystemControlAState): void {
    if (s === null || typeof s !== "object" || s.version !== 1) throw new Error(`${this.name}: unsupported state`);
    const v = s.value;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xff || (v & PORT_A_FAST_RESET) !== 0) {
      throw new Error(`${this.name}: bad state field value: ${String(v)}`);
    }
    this.value = v;
  }
}
