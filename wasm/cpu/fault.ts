// Leaving an instruction early. AssemblyScript has no exceptions, so the core unwinds with a
// Wasm trap: it records *why* in `unwindKind`, executes `unreachable`, and the worker's run loop
// catches the RuntimeError and calls afterTrap(). State lives in memory and globals, so it
// survives the trap. A trap with unwindKind == UNWIND_NONE is a core bug and is reported as
// INTERNAL_ERROR_CORE_TRAP, never swallowed.
// Invariant: an instruction that unwinds has no architectural effect: afterTrap() rolls EIP and
// ESP back to the instruction's start, and ops write other registers only after their last
// memory access.

import {
  EXIT_NONE, EXIT_INTERNAL_ERROR, EXIT_SHUTDOWN,
  RP_INTERNAL_SUBERROR, RP_INTERNAL_CS, RP_INTERNAL_EIP, RP_INTERNAL_BYTE_COUNT, RP_INTERNAL_BYTES,
  RP_INTERNAL_DATA, INTERNAL_ERROR_CORE_TRAP, INTERNAL_ERROR_EMULATION, SEG_CS,
} from "../abi/run-page";
import { PAGE_MAP_BASE, PME_PRESENT } from "../layout";
import { vcpu, eip, setEip, instrStartEip, instrStartEsp, setReg32, REG_ESP, segSelector, segBase, refreshCodeSize } from "./state";

export const UNWIND_NONE = 0;
/** A guest exception (fault): deliver it, then continue. */
export const UNWIND_EXCEPTION = 1;
/** Stop before the instruction completes and exit with `exitReason` (MMIO read, internal error). */
export const UNWIND_EXIT = 2;

export let unwindKind: i32 = UNWIND_NONE;

/** Exit reason requested by the current instruction; the run loop stops after it when non-zero. */
export let exitReason: i32 = EXIT_NONE;
export function setExitReason(r: i32): void { exitReason = r; }

/** An exception waiting to be delivered at the next run() entry. */
export let exceptionPending: bool = false;
export let pendingVector: i32 = 0;
export let pendingErrorCode: i32 = -1; // -1: the exception pushes no error code
/** True while an exception is being delivered (a fault now is a double fault). */
export let delivering: bool = false;
export function setDelivering(v: bool): void { delivering = v; }
export function clearPendingException(): void { exceptionPending = false; }
/** Queue an exception for delivery at the next run() (host injection through SYNC_EVENTS). */
export function setPendingException(vector: i32, errorCode: i32): void {
  exceptionPending = true;
  pendingVector = vector;
  pendingErrorCode = errorCode;
}

// Exception vectors (SDM vol. 3, table 6-1).
export const EXC_DE = 0;
export const EXC_DB = 1;
export const EXC_BP = 3;
export const EXC_OF = 4;
export const EXC_BR = 5;
export const EXC_UD = 6;
export const EXC_NM = 7;
export const EXC_DF = 8;
export const EXC_TS = 10;
export const EXC_NP = 11;
export const EXC_SS = 12;
export const EXC_GP = 13;
export const EXC_PF = 14;

/** Raise a fault: the instruction is undone and `vector` is delivered. Never returns. */
export function raiseFault(vector: i32, errorCode: i32): void {
  if (delivering) firstVector = pendingVector; // the exception whose delivery faulted
  exceptionPending = true;
  pendingVector = vector;
  pendingErrorCode = errorCode;
  unwindKind = UNWIND_EXCEPTION;
  unreachable();
}

/** Stop before the current instruction completes and exit with `reason`. Never returns. */
export function exitBeforeCompletion(reason: i32): void {
  exitReason = reason;
  unwindKind = UNWIND_EXIT;
  unreachable();
}

/** Stop with INTERNAL_ERROR: `suberror`, the instruction's CS:EIP and bytes, and two data words. */
export function internalError(suberror: i32, data0: u32, data1: u32): void {
  fillInternalError(suberror, data0, data1);
  exitBeforeCompletion(EXIT_INTERNAL_ERROR);
}

/** An opcode or operand form the core does not implement. */
export function unimplemented(): void {
  internalError(INTERNAL_ERROR_EMULATION, 0, 0);
}

function fillInternalError(suberror: i32, data0: u32, data1: u32): void {
  store<u32>(vcpu, suberror, RP_INTERNAL_SUBERROR);
  store<u32>(vcpu, segSelector(SEG_CS), RP_INTERNAL_CS);
  store<u32>(vcpu, instrStartEip, RP_INTERNAL_EIP);
  // Copy up to 15 instruction bytes, stopping at the first byte not backed by memory.
  const lin = segBase(SEG_CS) + instrStartEip;
  let n: u32 = 0;
  while (n < 15) {
    const a = lin + n;
    const e = load<u32>(PAGE_MAP_BASE + ((a >>> 12) << 2));
    if ((e & PME_PRESENT) == 0) break;
    store<u8>(vcpu + n, load<u8>((e & ~0xfff) + (a & 0xfff)), RP_INTERNAL_BYTES);
    n++;
  }
  store<u32>(vcpu, n, RP_INTERNAL_BYTE_COUNT);
  store<u32>(vcpu, data0, RP_INTERNAL_DATA);
  store<u32>(vcpu, data1, RP_INTERNAL_DATA + 4);
}

/**
 * Called by the worker after it caught a trap from run(). Rolls the instruction back and returns
 * the exit to publish, or EXIT_NONE to call run() again (which delivers a pending exception).
 */
export function afterTrap(): i32 {
  const kind = unwindKind;
  unwindKind = UNWIND_NONE;
  if (kind == UNWIND_NONE) {
    fillInternalError(INTERNAL_ERROR_CORE_TRAP, eip, 0);
    exitReason = EXIT_INTERNAL_ERROR;
    return EXIT_INTERNAL_ERROR;
  }
  if (kind == UNWIND_EXIT) {
    rollback();
    return exitReason;
  }
  // A guest exception.
  if (delivering) {
    // A fault while delivering (SDM vol. 3, 6.15, table 6-5): contributory after contributory,
    // or contributory/#PF after #PF, becomes #DF; a fault while delivering #DF shuts down;
    // otherwise (after a benign exception, or #PF after a contributory one) the second is
    // delivered serially.
    delivering = false;
    rollback();
    if (firstVector == EXC_DF) {
      exceptionPending = false;
      exitReason = EXIT_SHUTDOWN;
      return EXIT_SHUTDOWN;
    }
    const pf = firstVector == EXC_PF;
    if ((contributory(firstVector) || pf) && (contributory(pendingVector) || (pf && pendingVector == EXC_PF))) {
      pendingVector = EXC_DF;
      pendingErrorCode = 0;
    }
    return EXIT_NONE;
  }
  rollback();
  return EXIT_NONE;
}
let firstVector: i32 = 0;
@inline function contributory(v: i32): bool { return v == EXC_DE || (v >= EXC_TS && v <= EXC_GP); }

function rollback(): void {
  setEip(instrStartEip);
  setReg32(REG_ESP, instrStartEsp);
  refreshCodeSize(); // also ends any system-access override the unwound code had begun
}
