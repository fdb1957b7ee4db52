// The interfaces between a device and the rest of the VM. A device sees offsets, never its base
// address (the bus owns base and length), and gets its side effects through small injected
// interfaces, so a unit test needs no worker, no VM and no DOM.

/** Access width in bytes. */
export type AccessSize = 1 | 2 | 4;

/** A device on the port bus or the MMIO bus. */
export interface BusDevice {
  /** Short name shown in exit statistics and error messages. */
  readonly name: string;
  /** Read `size` bytes at `offset` from the device's base. */
  read(offset: number, size: AccessSize): number;
  /** Write `size` bytes of `value` at `offset`. */
  write(offset: number, size: AccessSize, value: number): void;
}

/** One interrupt request line (KVM_IRQ_LINE): the device drives its level. */
export interface IrqLine {
  set(level: boolean): void;
}

/** Where a character device sends its output bytes (a terminal, stdout, a test buffer). */
export interface ByteSink {
  write(bytes: Uint8Array): void;
}

/** An IrqLine that goes nowhere, for devices whose interrupt is not wired. */
export const NO_IRQ: IrqLine = { set() {} };

/** A ByteSink that collects bytes, for tests. */
export class ByteCollector implements ByteSink {
  private chunks: number[] = [];
  write(bytes: Uint8Array): void {
    for (const b of bytes) this.chunks.push(b);
  }
  /** Everything written so far, as Latin-1 text. */
  text(): string {
    return String.fromCharCode(...this.chunks);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}
