// A POST code port (0x80, and optionally a second one such as 0x190): firmware writes progress
// codes here. The last code is kept for the exit panel and the CLI's final report; reads return
// the last code written, as on boards with a POST display latch.

import type { AccessSize, BusDevice } from "../vmm/device";

/** The POST codes seen, shared by every POST code port of one VM. */
export class PostCodeLog {
  /** Last code written, or null if none yet. */
  last: number | null = null;
  /** How many codes were written. */
  count = 0;
  record(code: number): void {
    this.last = code;
    this.count++;
  }
}

export class PostCodePort implements BusDevice {
  constructor(readonly name: string, private readonly log: PostCodeLog) {}
  read(_offset: number, _size: AccessSize): number {
    return this.log.last ?? 0xff;
  }
  write(_offset: number, size: AccessSize, value: number): void {
    this.log.record(size === 1 ? value & 0xff : size === 2 ? value & 0xffff : value >>> 0);
  }
}
