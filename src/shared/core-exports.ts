// The functions the Wasm core (wasm/index.ts) exports, typed for the TypeScript that drives it:
// the vCPU worker, and the in-process test harness.

/** The functions wasm/index.ts exports. */
export interface CoreExports {
  init(id: number): number;
  setMemoryRegion(slot: number, gpa: number, size: number, offset: number, flags: number): number;
  completeMmioRead(): void;
  completeIoIn(): void;
  afterTrap(): number;
  run(): number;
  setSlice(n: number): void;
  reset(): void;
  syncIn(): void;
  syncOut(): void;
  setGuestDebug(step: number, count: number, a0: number, a1: number, a2: number, a3: number): void;
  nextDeadline(): number;
  picSampledSeq(): number;
}
