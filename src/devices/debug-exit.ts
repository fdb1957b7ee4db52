// QEMU's isa-debug-exit (port 0xF4): writing v ends the run with exit status (v << 1) | 1, so a
// test program's own status can never be confused with a clean 0. Reads return all ones.

import type { AccessSize, BusDevice } from "../vmm/device";

export class DebugExit implements BusDevice {
  readonly name = "debug-exit";
  /** Called with the exit status the write asks for. */
  constructor(private readonly onExit: (status: number) => void) {}
  read(_offset: number, size: AccessSize): number {
    return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
  }
  write(_offset: number, size: AccessSize, value: number): void {
    const v = size === 1 ? value & 0xff : size === 2 ? value & 0xffff : value >>> 0;
    this.onExit(((v << 1) | 1) >>> 0);
  }
}
