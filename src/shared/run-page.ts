// A typed view of one vCPU's run page for TypeScript code on either thread. Every offset comes
// from wasm/abi/run-page.ts (shared with the core); nothing here writes a number of its own.
// The handshake word is only touched through Atomics.

import * as RP from "../../wasm/abi/run-page";
import { RUN_PAGES_BASE, RUN_PAGE_SIZE } from "../../wasm/layout";

export { RP };

/** A segment register as the run page holds it. */
export interface Segment {
  selector: number;
  base: number;
  limit: number;
  /** VMX-layout access rights (type, S, DPL, P, AVL, L, D/B, G). */
  access: number;
}

export const SEGMENT_NAMES = ["es", "cs", "ss", "ds", "fs", "gs", "tr", "ldtr"] as const;
export const GPR_NAMES = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] as const;

export class RunPageView {
  /** Byte offset of this run page in the shared memory. */
  readonly base: number;
  private readonly i32: Int32Array;
  private readonly dv: DataView;

  constructor(readonly buffer: SharedArrayBuffer, readonly vcpuId: number) {
    this.base = RUN_PAGES_BASE + vcpuId * RUN_PAGE_SIZE;
    this.i32 = new Int32Array(buffer, this.base, RUN_PAGE_SIZE / 4);
    this.dv = new DataView(buffer, this.base, RUN_PAGE_SIZE);
  }

  // ---- handshake ----
  /** Index of RP_STATE in the Int32Array, for Atomics.wait/waitAsync. */
  get stateIndex(): number { return RP.RP_STATE / 4; }
  get stateArray(): Int32Array { return this.i32; }
  loadState(): number { return Atomics.load(this.i32, RP.RP_STATE / 4); }
  /** Set the handshake word and wake whoever waits on it. */
  publishState(state: number): void {
    Atomics.store(this.i32, RP.RP_STATE / 4, state);
    Atomics.notify(this.i32, RP.RP_STATE / 4);
  }

  // ---- header ----
  get exitReason(): number { return this.u32(RP.RP_EXIT_REASON); }
  set exitReason(v: number) { this.setU32(RP.RP_EXIT_REASON, v); }
  get immediateExit(): boolean { return Atomics.load(this.i32, RP.RP_IMMEDIATE_EXIT / 4) !== 0; }
  set immediateExit(v: boolean) { Atomics.store(this.i32, RP.RP_IMMEDIATE_EXIT / 4, v ? 1 : 0); }
  get ifFlag(): boolean { return this.u32(RP.RP_IF_FLAG) !== 0; }
  get readyForInterruptInjection(): boolean { return this.u32(RP.RP_READY_FOR_INTERRUPT_INJECTION) !== 0; }
  get validRegs(): number { return this.u32(RP.RP_VALID_REGS); }
  get dirtyRegs(): number { return this.u32(RP.RP_DIRTY_REGS); }
  /** Mark register groups (RP.SYNC_*) as edited by the host. */
  markDirty(groups: number): void { this.setU32(RP.RP_DIRTY_REGS, this.dirtyRegs | groups); }

  // ---- exit data ----
  get ioDirection(): number { return this.dv.getUint8(RP.RP_IO_DIRECTION); }
  get ioSize(): 1 | 2 | 4 { return this.dv.getUint8(RP.RP_IO_SIZE) as 1 | 2 | 4; }
  get ioPort(): number { return this.dv.getUint16(RP.RP_IO_PORT, true); }
  get ioCount(): number { return this.u32(RP.RP_IO_COUNT); }
  /** The first element of IO data (OUT value, or where the host puts the IN value). */
  get ioData(): number { return this.u32(this.u32(RP.RP_IO_DATA_OFFSET)); }
  set ioData(v: number) { this.setU32(this.u32(RP.RP_IO_DATA_OFFSET), v); }
  get mmioPhysAddr(): number { return this.u32(RP.RP_MMIO_PHYS_ADDR); }
  get mmioLen(): 1 | 2 | 4 { return this.u32(RP.RP_MMIO_LEN) as 1 | 2 | 4; }
  get mmioIsWrite(): boolean { return this.dv.getUint8(RP.RP_MMIO_IS_WRITE) !== 0; }
  get mmioData(): number { return this.u32(RP.RP_MMIO_DATA); }
  set mmioData(v: number) { this.setU32(RP.RP_MMIO_DATA, v); }
  get systemEventType(): number { return this.u32(RP.RP_SYSTEM_EVENT_TYPE); }
  get debugException(): number { return this.u32(RP.RP_DEBUG_EXCEPTION); }
  get debugPc(): number { return this.u32(RP.RP_DEBUG_PC); }
  get internalSuberror(): number { return this.u32(RP.RP_INTERNAL_SUBERROR); }
  get internalCs(): number { return this.u32(RP.RP_INTERNAL_CS); }
  get internalEip(): number { return this.u32(RP.RP_INTERNAL_EIP); }
  get internalBytes(): Uint8Array {
    const n = Math.min(16, this.u32(RP.RP_INTERNAL_BYTE_COUNT));
    return new Uint8Array(this.buffer, this.base + RP.RP_INTERNAL_BYTES, n).slice();
  }
  internalData(i: number): number { return this.u32(RP.RP_INTERNAL_DATA + 4 * i); }

  // ---- counters ----
  get instructionsRetired(): number { return this.dv.getFloat64(RP.RP_INSTRUCTIONS_RETIRED, true); }
  get haltWaits(): number { return this.dv.getFloat64(RP.RP_HALT_WAITS, true); }
  countHaltWait(): void { this.dv.setFloat64(RP.RP_HALT_WAITS, this.haltWaits + 1, true); }
  get interruptsDelivered(): number { return this.dv.getFloat64(RP.RP_INTERRUPTS_DELIVERED, true); }
  get halted(): boolean { return this.u32(RP.RP_EVENT_HALTED) !== 0; }
  exitCount(reason: number): number { return this.dv.getFloat64(RP.RP_EXIT_COUNTS + 8 * reason, true); }
  countExit(reason: number): void {
    const o = RP.RP_EXIT_COUNTS + 8 * Math.min(reason, RP.EXIT_REASON_COUNT - 1);
    this.dv.setFloat64(o, this.dv.getFloat64(o, true) + 1, true);
  }
  /** Zero every exit counter (reset). */
  clearExitCounts(): void {
    for (let r = 0; r < RP.EXIT_REASON_COUNT; r++) this.dv.setFloat64(RP.RP_EXIT_COUNTS + 8 * r, 0, true);
  }

  // ---- sync regs ----
  gpr(n: number): number { return this.u32(RP.RP_GPR + 4 * n); }
  setGpr(n: number, v: number): void { this.setU32(RP.RP_GPR + 4 * n, v); this.markDirty(RP.SYNC_REGS); }
  get eip(): number { return this.u32(RP.RP_EIP); }
  set eip(v: number) { this.setU32(RP.RP_EIP, v); this.markDirty(RP.SYNC_REGS); }
  get eflags(): number { return this.u32(RP.RP_EFLAGS); }
  set eflags(v: number) { this.setU32(RP.RP_EFLAGS, v); this.markDirty(RP.SYNC_REGS); }
  segment(s: number): Segment {
    const o = RP.RP_SEGS + s * RP.SEG_SIZE;
    return {
      selector: this.u32(o + RP.SEG_SELECTOR),
      base: this.u32(o + RP.SEG_BASE),
      limit: this.u32(o + RP.SEG_LIMIT),
      access: this.u32(o + RP.SEG_ACCESS),
    };
  }
  setSegment(s: number, seg: Segment): void {
    const o = RP.RP_SEGS + s * RP.SEG_SIZE;
    this.setU32(o + RP.SEG_SELECTOR, seg.selector);
    this.setU32(o + RP.SEG_BASE, seg.base);
    this.setU32(o + RP.SEG_LIMIT, seg.limit);
    this.setU32(o + RP.SEG_ACCESS, seg.access);
    this.markDirty(RP.SYNC_SREGS);
  }
  get cr0(): number { return this.u32(RP.RP_CR0); }
  set cr0(v: number) { this.setU32(RP.RP_CR0, v); this.markDirty(RP.SYNC_SREGS); }
  get cr2(): number { return this.u32(RP.RP_CR2); }
  get cr3(): number { return this.u32(RP.RP_CR3); }
  get cr4(): number { return this.u32(RP.RP_CR4); }
  setTables(gdtr: { base: number; limit: number }, idtr: { base: number; limit: number }): void {
    this.setU32(RP.RP_GDTR_BASE, gdtr.base);
    this.setU32(RP.RP_GDTR_LIMIT, gdtr.limit);
    this.setU32(RP.RP_IDTR_BASE, idtr.base);
    this.setU32(RP.RP_IDTR_LIMIT, idtr.limit);
    this.markDirty(RP.SYNC_SREGS);
  }
  setControlRegisters(cr0: number, cr2: number, cr3: number, cr4: number): void {
    this.setU32(RP.RP_CR0, cr0);
    this.setU32(RP.RP_CR2, cr2);
    this.setU32(RP.RP_CR3, cr3);
    this.setU32(RP.RP_CR4, cr4);
    this.markDirty(RP.SYNC_SREGS);
  }
  get gdtr(): { base: number; limit: number } { return { base: this.u32(RP.RP_GDTR_BASE), limit: this.u32(RP.RP_GDTR_LIMIT) }; }
  get idtr(): { base: number; limit: number } { return { base: this.u32(RP.RP_IDTR_BASE), limit: this.u32(RP.RP_IDTR_LIMIT) }; }

  /** "CS:EIP" of the current instruction pointer, as 4:8 hex digits. */
  csEip(): string {
    return `${hex4(this.segment(RP.SEG_CS).selector)}:${hex8(this.eip)}`;
  }

  private u32(o: number): number { return this.dv.getUint32(o, true); }
  private setU32(o: number, v: number): void { this.dv.setUint32(o, v >>> 0, true); }
}

export function hex4(n: number): string { return (n >>> 0).toString(16).toUpperCase().padStart(4, "0"); }
export function hex8(n: number): string { return (n >>> 0).toString(16).toUpperCase().padStart(8, "0"); }

/** Human names of exit reasons (for panels, reports and errors). */
export const EXIT_NAMES: Record<number, string> = {
  [RP.EXIT_IO]: "IO",
  [RP.EXIT_DEBUG]: "DEBUG",
  [RP.EXIT_HLT]: "HLT",
  [RP.EXIT_MMIO]: "MMIO",
  [RP.EXIT_IRQ_WINDOW_OPEN]: "IRQ_WINDOW_OPEN",
  [RP.EXIT_SHUTDOWN]: "SHUTDOWN",
  [RP.EXIT_INTR]: "INTR",
  [RP.EXIT_INTERNAL_ERROR]: "INTERNAL_ERROR",
  [RP.EXIT_SYSTEM_EVENT]: "SYSTEM_EVENT",
  [RP.EXIT_BUDGET]: "BUDGET",
};
