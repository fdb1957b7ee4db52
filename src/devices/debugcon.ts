// The Bochs/QEMU debug console (port 0xE9, QEMU's -debugcon): every byte written is output.
// Reading returns 0xE9, which is how guests detect that the port is present.

import type { AccessSize, BusDevice, ByteSink } from "../vmm/device";

/** Value a read returns (QEMU's default "readback" for the debugcon). */
export const DEBUGCON_READBACK = 0xe9;

export class DebugCon implements BusDevice {
  readonly name = "debugcon";
  constructor(private readonly output: ByteSink) {}
  read(_offset: number, _size: AccessSize): number {
    return DEBUGCON_READBACK;
  }
  write(_offset: number, _size: AccessSize, value: number): void {
    this.output.write(Uint8Array.of(value & 0xff));
  }
}
