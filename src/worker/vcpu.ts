// The vCPU: runs the Wasm core in a worker, like KVM_RUN. Exits go out through the run page:
// write the exit, notify, wait (a brief spin, then Atomics.wait) until the host answers with
// RUN_STATE_RUNNING (resume) or RUN_STATE_RETURN (leave run()). No postMessage per exit.
// Environment-agnostic: the browser and Node entry points only expose it over Comlink.

import type { GuestDebug, MemoryRegion, VcpuApi } from "../shared/api";
import { readCpuState, writeCpuState, type CpuState } from "../shared/cpu-state";
import { RP, RunPageView } from "../shared/run-page";
import type { CoreExports } from "../shared/core-exports";
import { IRQ_LINES_BASE, IRQ_CHANGE_SEQ_INDEX } from "../../wasm/layout";


/** The clock shared with the host: nanoseconds since the Unix epoch on every thread. */
export function nowNanos(): number {
  return (performance.timeOrigin + performance.now()) * 1e6;
}

/** Instructions per core call between checks of immediate_exit and the budget. */
const SLICE = 250_000;
/** How long the worker polls for the host's answer before sleeping (µs). */
const SPIN_MICROS = 50;

const SLOT_ERRORS: Record<number, string> = {
  1: "slot number out of range",
  2: "gpa, size and offset must be multiples of 4 KiB",
  3: "backing range lies outside the guest area of the shared memory",
  4: "overlaps another slot",
  5: "extends past 4 GiB",
};

export class Vcpu implements VcpuApi {
  private core!: CoreExports;
  private rp!: RunPageView;
  /** The IRQ lines' change counter (host bumps it; a halted vCPU sleeps on it). */
  private irqSeq!: Int32Array;
  private budget: number | null = null;
  /** The exit last published, whose completion (IN / MMIO read data) applies on resume. */
  private lastExit = RP.EXIT_NONE;
  private lastExitWasRead = false;

  init(memory: WebAssembly.Memory, core: WebAssembly.Module, vcpuId: number): void {
    // Traps are the core's unwinding path: skip the stack-trace capture they would cost.
    (Error as unknown as { stackTraceLimit: number }).stackTraceLimit = 0;
    const instance = new WebAssembly.Instance(core, { env: { memory, nowNanos } });
    this.core = instance.exports as unknown as CoreExports;
    if (this.core.init(vcpuId) !== 0) throw new Error(`vCPU id ${vcpuId} has no run page in the memory layout`);
    this.rp = new RunPageView(memory.buffer as unknown as SharedArrayBuffer, vcpuId);
    this.irqSeq = new Int32Array(memory.buffer, IRQ_LINES_BASE, IRQ_CHANGE_SEQ_INDEX + 1);
  }

  setMemoryRegion(r: MemoryRegion): void {
    const err = this.core.setMemoryRegion(r.slot, r.gpa >>> 0, r.size >>> 0, r.offset >>> 0, r.flags);
    if (err !== 0) {
      throw new Error(`memory slot ${r.slot} (gpa 0x${(r.gpa >>> 0).toString(16)}, ${r.size} bytes): ${SLOT_ERRORS[err] ?? `error ${err}`}`);
    }
  }

  reset(): void {
    this.core.reset();
    this.rp.clearExitCounts();
    this.lastExit = RP.EXIT_NONE;
    this.lastExitWasRead = false;
  }

  setBudget(maxInstructions: number | null): void {
    this.budget = maxInstructions;
  }

  setGuestDebug(d: GuestDebug): void {
    const b = d.breakpoints.slice(0, 4);
    this.core.setGuestDebug(d.singleStep ? 1 : 0, b.length, b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, b[3] ?? 0);
  }

  getState(): CpuState {
    this.core.syncOut();
    return readCpuState(this.rp);
  }

  setState(state: CpuState): void {
    writeCpuState(this.rp, state);
    this.core.syncIn();
  }

  run(): void {
    const rp = this.rp;
    const core = this.core;
    this.completeLastExit();
    for (;;) {
      if (rp.immediateExit) {
        rp.immediateExit = false;
        if (this.publish(RP.EXIT_INTR)) return;
        continue;
      }
      let slice = SLICE;
      if (this.budget !== null) {
        const left = this.budget - rp.instructionsRetired;
        if (left <= 0) {
          if (this.publish(RP.EXIT_BUDGET)) return;
          continue;
        }
        slice = Math.min(slice, left);
      }
      core.setSlice(slice);
      const reason = this.runCore();
      core.syncOut();
      if (reason === RP.EXIT_NONE) continue;
      if (reason === RP.EXIT_HALT_SLEEP) {
        this.sleepInHalt();
        continue;
      }
      if (this.publish(reason)) return;
    }
  }

  /**
   * HLT with IF=1: sleep until an IRQ line changes (the host bumps the counter and notifies) or
   * the next timer deadline. Waiting on the counter value the PIC last sampled means a change
   * that raced with the HLT wakes us at once.
   */
  private sleepInHalt(): void {
    if (this.rp.immediateExit) return;
    const deadline = this.core.nextDeadline();
    const timeout = deadline === Infinity ? Infinity : Math.max(0, (deadline - nowNanos()) / 1e6);
    this.rp.countHaltWait();
    Atomics.wait(this.irqSeq, IRQ_CHANGE_SEQ_INDEX, this.core.picSampledSeq(), timeout);
  }

  /** core.run(), re-entered after each trap the core used to unwind. */
  private runCore(): number {
    for (;;) {
      try {
        return this.core.run();
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        const r = this.core.afterTrap();
        if (r !== RP.EXIT_NONE) return r;
      }
    }
  }

  /** Publish an exit and wait for the host. Returns true if the host said RETURN. */
  private publish(reason: number): boolean {
    const rp = this.rp;
    rp.exitReason = reason;
    rp.countExit(reason);
    this.lastExit = reason;
    this.lastExitWasRead =
      (reason === RP.EXIT_IO && rp.ioDirection === RP.IO_DIRECTION_IN) || (reason === RP.EXIT_MMIO && !rp.mmioIsWrite);
    rp.publishState(RP.RUN_STATE_EXIT);
    let s = rp.loadState();
    if (s === RP.RUN_STATE_EXIT) {
      const until = performance.now() + SPIN_MICROS / 1000;
      while ((s = rp.loadState()) === RP.RUN_STATE_EXIT && performance.now() < until);
    }
    while ((s = rp.loadState()) === RP.RUN_STATE_EXIT) Atomics.wait(rp.stateArray, rp.stateIndex, RP.RUN_STATE_EXIT);
    if (s === RP.RUN_STATE_RETURN) return true;
    this.completeLastExit();
    return false;
  }

  /** Apply the host's answer to the last exit (IN value, MMIO read data) and its register edits. */
  private completeLastExit(): void {
    if (this.lastExitWasRead) {
      if (this.lastExit === RP.EXIT_IO) this.core.completeIoIn();
      else this.core.completeMmioRead();
      this.lastExitWasRead = false;
    }
    this.lastExit = RP.EXIT_NONE;
    this.core.syncIn();
  }
}
