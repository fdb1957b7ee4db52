// An in-process harness around the CPU core for unit tests: no worker, no device host. It
// instantiates wasm/build/core.wasm on a fresh shared memory with one RAM slot at 0, loads code,
// sets registers through the run page and runs until HLT, answering port I/O itself.

import { readFileSync } from "node:fs";
import { assemble } from "../helpers/nasm";
import { GUEST_BACKING_BASE, WASM_PAGE } from "../../wasm/layout";
import { RP, RunPageView } from "../../src/shared/run-page";
import { nowNanos } from "../../src/worker/vcpu";
import type { CoreExports } from "../../src/shared/core-exports";

const coreModule = new WebAssembly.Module(readFileSync(new URL("../../wasm/build/core.wasm", import.meta.url)));

/** Access rights of flat 32-bit segments (VMX layout): G, D/B, P, S, type. */
export const AR_CODE32 = 0xc09b;
export const AR_DATA32 = 0xc093;

export interface RunResult {
  reason: number;
  /** Bytes written to port 0xE9. */
  out: string;
  instructions: number;
}


export class CoreHarness {
  readonly memory: WebAssembly.Memory;
  readonly rp: RunPageView;
  readonly core: CoreExports;
  /** Values returned by IN, by port. */
  readonly inputs = new Map<number, number>();
  /** Called while an IN exit is being answered (the vCPU is stopped), e.g. to raise an IRQ line. */
  onIn: ((port: number) => void) | null = null;
  /** OUT writes seen, in order. */
  readonly outs: { port: number; size: number; value: number }[] = [];

  constructor(readonly ramSize = 0x100000) {
    const pages = (GUEST_BACKING_BASE + ramSize) / WASM_PAGE;
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.core = new WebAssembly.Instance(coreModule, { env: { memory: this.memory, nowNanos } }).exports as unknown as CoreExports;
    this.core.init(0);
    const err = this.core.setMemoryRegion(0, 0, ramSize, GUEST_BACKING_BASE, 0);
    if (err) throw new Error(`setMemoryRegion failed: ${err}`);
    this.core.reset();
    this.rp = new RunPageView(this.memory.buffer as unknown as SharedArrayBuffer, 0);
  }

  /** Guest RAM as bytes. */
  get ram(): Uint8Array {
    return new Uint8Array(this.memory.buffer, GUEST_BACKING_BASE, this.ramSize);
  }

  load(gpa: number, bytes: Uint8Array): void {
    this.ram.set(bytes, gpa);
  }

  /** Real mode, CS:IP = 0:`ip`, SS:SP = 0:0x8000, data segments 0. */
  real16(ip: number): void {
    for (const s of [RP.SEG_ES, RP.SEG_CS, RP.SEG_SS, RP.SEG_DS, RP.SEG_FS, RP.SEG_GS]) {
      this.rp.setSegment(s, { selector: 0, base: 0, limit: 0xffff, access: s === RP.SEG_CS ? 0x9b : 0x93 });
    }
    this.rp.eip = ip;
    this.rp.setGpr(4, 0x8000);
  }

  /** 32-bit protected mode with flat 4 GiB segments, EIP = `eip`, ESP = 0x80000. */
  flat32(eip: number): void {
    this.rp.cr0 = this.rp.cr0 | 1;
    for (const s of [RP.SEG_ES, RP.SEG_CS, RP.SEG_SS, RP.SEG_DS, RP.SEG_FS, RP.SEG_GS]) {
      this.rp.setSegment(s, { selector: s === RP.SEG_CS ? 0x08 : 0x10, base: 0, limit: 0xffffffff, access: s === RP.SEG_CS ? AR_CODE32 : AR_DATA32 });
    }
    this.rp.eip = eip;
    this.rp.setGpr(4, 0x80000);
  }

  /** Run until HLT or another stopping exit; port I/O is answered from `inputs` and logged. */
  run(maxInstructions = 1_000_000): RunResult {
    const core = this.core;
    let out = "";
    core.syncIn();
    core.setSlice(maxInstructions);
    for (;;) {
      let r: number;
      try {
        r = core.run();
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        r = core.afterTrap();
        if (r === RP.EXIT_NONE) continue;
      }
      core.syncOut();
      if (r === RP.EXIT_IO) {
        const rp = this.rp;
        if (rp.ioDirection === RP.IO_DIRECTION_OUT) {
          this.outs.push({ port: rp.ioPort, size: rp.ioSize, value: rp.ioData });
          if (rp.ioPort === 0xe9) out += String.fromCharCode(rp.ioData & 0xff);
        } else {
          this.onIn?.(rp.ioPort);
          rp.ioData = this.inputs.get(rp.ioPort) ?? 0xffffffff;
          core.completeIoIn();
        }
        continue;
      }
      return { reason: r, out, instructions: this.rp.instructionsRetired };
    }
  }

  gpr(n: number): number {
    return this.rp.gpr(n);
  }
}

/** Assemble `source` with nasm (-f bin) in `bits`-bit mode at origin `org`. */
export function nasm(source: string, bits: 16 | 32 = 32, org = 0x1000): Uint8Array {
  return assemble(`bits ${bits}\norg ${org}\n${source}\n`).bytes;
}

export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
