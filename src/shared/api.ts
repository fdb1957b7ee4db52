// The control plane between the device host and a vCPU worker (Comlink RPC, like KVM ioctls).
// Rare, asynchronous calls only; the per-exit data plane is the run page (run-page.ts).

/** A memory slot: guest-physical [gpa, gpa+size) backed by shared memory at [offset, offset+size). */
export interface MemoryRegion {
  slot: number;
  gpa: number;
  size: number;
  offset: number;
  /** SLOT_FLAG_* bits. */
  flags: number;
}
/** KVM_MEM_LOG_DIRTY_PAGES: writes set bits in the dirty bitmap. */
export const SLOT_FLAG_LOG_DIRTY = 1;
/** KVM_MEM_READONLY: writes exit as MMIO writes. */
export const SLOT_FLAG_READONLY = 2;

/** Guest debugging (KVM_SET_GUEST_DEBUG). */
export interface GuestDebug {
  singleStep: boolean;
  /** Up to four linear addresses. */
  breakpoints: number[];
}

import type { CpuState } from "./cpu-state";

/** What the vCPU worker offers the host. */
export interface VcpuApi {
  /** Instantiate the core on `memory` for vCPU `vcpuId`. */
  init(memory: WebAssembly.Memory, core: WebAssembly.Module, vcpuId: number): void;
  /** Create, replace or delete (size 0) a memory slot; throws with a readable message. */
  setMemoryRegion(region: MemoryRegion): void;
  /** Put the vCPU in its power-on state (F000:FFF0, real mode). */
  reset(): void;
  /** Stop with EXIT_BUDGET once this many instructions have retired since reset (null: no limit). */
  setBudget(maxInstructions: number | null): void;
  setGuestDebug(debug: GuestDebug): void;
  /** The vCPU's registers (KVM_GET_REGS + KVM_GET_SREGS). Only while it is not running. */
  getState(): CpuState;
  /** Replace the vCPU's registers (KVM_SET_REGS + KVM_SET_SREGS). Only while it is not running. */
  setState(state: CpuState): void;
  /**
   * Run guest code, publishing exits on the run page, until the host answers an exit with
   * RUN_STATE_RETURN. The host sets RUN_STATE_RUNNING before calling.
   */
  run(): void;
}
