// The host's view of the POST code latch. The latch itself runs in the vCPU worker
// (wasm/devices/post-code.ts: port 0x80 writes never exit); it publishes the last code and a
// count in shared memory, read here for the exit panel and the CLI's final report.

import { MACHINE_BASE, MACHINE_POST_LAST, MACHINE_POST_COUNT, MACHINE_POST_PORT2 } from "../../wasm/layout";

/** The POST codes seen, shared by every POST code port of one VM. */
export class PostCodeLog {
  private readonly words: Int32Array;
  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer, MACHINE_BASE, 4);
  }
  /** Last code written, or null if none yet. */
  get last(): number | null {
    return Atomics.load(this.words, (MACHINE_POST_COUNT - MACHINE_BASE) / 4) === 0
      ? null
      : Atomics.load(this.words, (MACHINE_POST_LAST - MACHINE_BASE) / 4) >>> 0;
  }
  /** How many codes were written. */
  get count(): number {
    return Atomics.load(this.words, (MACHINE_POST_COUNT - MACHINE_BASE) / 4);
  }
  /** Forget the codes (reset). */
  clear(): void {
    Atomics.store(this.words, (MACHINE_POST_COUNT - MACHINE_BASE) / 4, 0);
    Atomics.store(this.words, (MACHINE_POST_LAST - MACHINE_BASE) / 4, 0);
  }
  /** Make `port` a second POST code port (handled in the worker too). */
  setSecondPort(port: number): void {
    Atomics.store(this.words, (MACHINE_POST_PORT2 - MACHINE_BASE) / 4, port);
  }
}
