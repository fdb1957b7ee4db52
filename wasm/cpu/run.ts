// The run loop, reset, and moving state in and out of the run page.
// run() executes instructions until an exit is requested or the slice set by setSlice() is
// used up. The slice lives in a global, so a run() cut short by a trap (fault.ts) continues the
// same slice when the worker calls it again.

import {
  EXIT_NONE, EXIT_DEBUG, RP_EIP, RP_IF_FLAG, RP_READY_FOR_INTERRUPT_INJECTION, RP_VALID_REGS,
  RP_DIRTY_REGS, RP_INSTRUCTIONS_RETIRED, SYNC_ALL, SYNC_REGS, SYNC_SREGS, SYNC_EVENTS,
  RP_EVENT_EXCEPTION_PENDING, RP_EVENT_EXCEPTION_VECTOR, RP_EVENT_EXCEPTION_ERROR_CODE,
  RP_EVENT_INTERRUPT_SHADOW, RP_EVENT_HALTED, RP_IMMEDIATE_EXIT, RP_DR6, RP_INTERRUPTS_DELIVERED, EXIT_HALT_SLEEP, RP_DEBUG_EXCEPTION, RP_DEBUG_PC, RP_GPR, RP_CR0, RP_CR2, RP_CR3,
  RP_CR4, RP_EFER, RP_GDTR_BASE, RP_GDTR_LIMIT, RP_IDTR_BASE, RP_IDTR_LIMIT, RP_APIC_BASE,
  SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_TR, SEG_LDTR,
} from "../abi/run-page";
import {
  vcpu, eip, setEip, markInstructionStart, setSegment, segBase, refreshCodeSize, AR_REAL_DATA,
  AR_REAL_CODE,
} from "./state";
import { flagsOut, flagsIn, setFlags, getFlags, flagsBase, FLAG_IF, FLAG_TF } from "./flags";
import { IRQ_LINES_BASE, IRQ_CHANGE_SEQ_INDEX, MACHINE_A20_MASKED } from "../layout";
import { setA20 } from "../mmu/tlb";
import { picReset, picSampleHostLines, picInterruptPending, picAcknowledge } from "../devices/pic";
import { pitReset, pitPoll, pitNextDeadline } from "../devices/pit";
import { nowNanos } from "./clock";
import { fpuReset } from "./fpu/state";
import { ioReplayPending, instructionIncomplete, clearInstructionIncomplete } from "./ops-io";
import { mmioReplayPending } from "../mmu/memory";
@inline function readReplayPending(): bool { return ioReplayPending() || mmioReplayPending(); }
import {
  exitReason, setExitReason, exceptionPending, pendingVector, pendingErrorCode, setDelivering,
  clearPendingException, setPendingException,
} from "./fault";
import { executeOne } from "./table";
import { beginSlice, retiredNow, resetRetired } from "./counters";
import { deliverInterrupt } from "./interrupts";
import { advanceInterruptShadow, interruptShadow, setShadowState } from "./shadow";
import { clearMmioWrite, invalidateFetch } from "../mmu/memory";

let sliceRemaining: i32 = 0;

/** Run at most `n` more instructions in the current slice. */
export function setSlice(n: i32): void {
  beginSlice(n, sliceRemaining);
  sliceRemaining = n;
}
export function getSliceRemaining(): i32 { return sliceRemaining; }

// Guest debugging (KVM_SET_GUEST_DEBUG): single-step and up to four linear breakpoints.
let singleStep: bool = false;
let breakpointCount: i32 = 0;
let bp0: u32 = 0; let bp1: u32 = 0; let bp2: u32 = 0; let bp3: u32 = 0;
/** Skip the breakpoint check once, so resuming at a breakpoint makes progress (like EFLAGS.RF). */
let skipBreakpointOnce: bool = false;
export function setGuestDebug(step: bool, count: i32, a0: u32, a1: u32, a2: u32, a3: u32): void {
  singleStep = step; breakpointCount = count; bp0 = a0; bp1 = a1; bp2 = a2; bp3 = a3;
  skipBreakpointOnce = true;
}
function atBreakpoint(lin: u32): bool {
  if (breakpointCount == 0) return false;
  return lin == bp0 || (breakpointCount > 1 && lin == bp1) || (breakpointCount > 2 && lin == bp2) || (breakpointCount > 3 && lin == bp3);
}
function debugExit(exception: u32): i32 {
  store<u32>(vcpu, exception, RP_DEBUG_EXCEPTION);
  store<u32>(vcpu, segBase(SEG_CS) + eip, RP_DEBUG_PC);
  return EXIT_DEBUG;
}

/** Execute until an exit or the end of the slice. Returns the exit reason (EXIT_NONE: slice done). */
export function run(): i32 {
  setExitReason(EXIT_NONE);
  clearMmioWrite();
  clearInstructionIncomplete();
  const a20 = load<i32>(MACHINE_A20_MASKED) == 0;
  if (a20 != a20Open) { a20Open = a20; setA20(a20); }
  // Host devices change lines mostly while handling an exit: look right after each one.
  picSampleHostLines(load<i32>(IRQ_LINES_BASE + (IRQ_CHANGE_SEQ_INDEX << 2)));
  if (exceptionPending) deliverPending();
  if (stepTrapPending) { stepTrapPending = false; deliverSingleStep(); }
  if (halted) {
    // Asleep in HLT: only an interrupt (or the host) ends it.
    pollDevices();
    if (!interruptDeliverable()) return EXIT_HALT_SLEEP;
    halted = false;
  }
  const debugging = singleStep || breakpointCount != 0;
  while (sliceRemaining > 0) {
    if (--pollCountdown == 0) {
      pollDevices();
      // The host wants the vCPU back (pause, stop): honour it within 128 instructions.
      if (atomic.load<i32>(vcpu + RP_IMMEDIATE_EXIT) != 0) return EXIT_NONE;
    }
    if (picInterruptPending && interruptDeliverable()) deliverExternalInterrupt();
    if (debugging) {
      if (!skipBreakpointOnce && atBreakpoint(segBase(SEG_CS) + eip)) return debugExit(3);
      skipBreakpointOnce = false;
    }
    markInstructionStart();
    sliceRemaining--;
    // EFLAGS.TF as the instruction starts: a single-step #DB trap follows it (SDM vol. 3,
    // 17.3.1.4). An instruction that sets TF (POPF, IRET) traps only after the next one; INT n,
    // INT3 and INTO clear TF on entry to their handler, so they do not trap.
    const stepping = (flagsBase & FLAG_TF) != 0;
    executeOne();
    advanceInterruptShadow();
    if (stepping && (flagsBase & FLAG_TF) != 0 && !instructionIncomplete()) {
      if (exitReason == EXIT_NONE) deliverSingleStep();
      else stepTrapPending = true; // the instruction completed and exited: trap on resume
    }
    if (exitReason != EXIT_NONE) {
      // HLT with an interrupt already latched (it arrived while IF was 0): wake at once rather
      // than sleeping on a line change that has already happened.
      if (exitReason == EXIT_HALT_SLEEP && picInterruptPending) { setExitReason(EXIT_NONE); continue; }
      return exitReason;
    }
    if (singleStep) { skipBreakpointOnce = true; return debugExit(1); }
  }
  return EXIT_NONE;
}

/** The A20 gate as last applied to the TLB (the host changes MACHINE_A20_MASKED during exits). */
let a20Open: bool = true;

/** HLT with IF=1 put the vCPU to sleep (cleared when an interrupt is delivered). */
let halted: bool = false;
export function enterHalt(): void { halted = true; }
export function isHalted(): bool { return halted; }
/** Instructions between looks at the clock (PIT deadlines) and the host's IRQ lines. */
const POLL_INTERVAL: i32 = 128;
let pollCountdown: i32 = POLL_INTERVAL;
function pollDevices(): void {
  pollCountdown = POLL_INTERVAL;
  pitPoll(nowNanos());
  picSampleHostLines(load<i32>(IRQ_LINES_BASE + (IRQ_CHANGE_SEQ_INDEX << 2)));
}
@inline function interruptDeliverable(): bool {
  // Not between an IN/MMIO exit and the re-execution that consumes the host's value: that
  // instruction is still in progress.
  return picInterruptPending && (flagsBase & FLAG_IF) != 0 && !interruptShadow && !readReplayPending();
}
/** When the sleeping vCPU must wake for the PIT (ns since the epoch, or Infinity). */
export function nextDeadline(): f64 { return pitNextDeadline(); }

/** A single-step trap owed by an instruction that completed with an exit (OUT, HLT...). */
let stepTrapPending: bool = false;

/** #DB for a single step: DR6.BS set, delivered as a trap (EIP already past the instruction). */
function deliverSingleStep(): void {
  store<u32>(vcpu, load<u32>(vcpu, RP_DR6) | 0x4000, RP_DR6);
  markInstructionStart();
  deliverInterrupt(1, -1, false);
}

let interruptsDelivered: f64 = 0;
function deliverExternalInterrupt(): void {
  halted = false;
  const vector = picAcknowledge();
  markInstructionStart();
  deliverInterrupt(vector, -1, false);
  interruptsDelivered += 1;
}

function deliverPending(): void {
  markInstructionStart();
  setDelivering(true);
  const e = pendingErrorCode;
  deliverInterrupt(pendingVector, e, false);
  setDelivering(false);
  clearPendingException();
}

/** Architectural state after RESET (SDM vol. 3, table 9-1), P6 family. */
export function reset(): void {
  for (let r = 0; r < 8; r++) store<u32>(vcpu + (<u32>r << 2), 0, RP_GPR);
  store<u32>(vcpu, 0x0000_0633, RP_GPR + 8); // EDX: family 6, model 3, stepping 3
  setFlags(0x2);
  setEip(0xfff0);
  store<u32>(vcpu, 0x6000_0010, RP_CR0);
  store<u32>(vcpu, 0, RP_CR2);
  store<u32>(vcpu, 0, RP_CR3);
  store<u32>(vcpu, 0, RP_CR4);
  store<u32>(vcpu, 0, RP_EFER);
  store<u32>(vcpu, 0xfee0_0900, RP_APIC_BASE);
  setSegment(SEG_CS, 0xf000, 0xffff_0000, 0xffff, AR_REAL_CODE);
  setSegment(SEG_ES, 0, 0, 0xffff, AR_REAL_DATA);
  setSegment(SEG_SS, 0, 0, 0xffff, AR_REAL_DATA);
  setSegment(SEG_DS, 0, 0, 0xffff, AR_REAL_DATA);
  setSegment(SEG_FS, 0, 0, 0xffff, AR_REAL_DATA);
  setSegment(SEG_GS, 0, 0, 0xffff, AR_REAL_DATA);
  setSegment(SEG_LDTR, 0, 0, 0xffff, 0x82);
  setSegment(SEG_TR, 0, 0, 0xffff, 0x8b);
  store<u32>(vcpu, 0, RP_GDTR_BASE);
  store<u32>(vcpu, 0xffff, RP_GDTR_LIMIT);
  store<u32>(vcpu, 0, RP_IDTR_BASE);
  store<u32>(vcpu, 0xffff, RP_IDTR_LIMIT);
  store<u32>(vcpu, 0, RP_EVENT_EXCEPTION_PENDING);
  clearPendingException();
  setShadowState(false);
  refreshCodeSize();
  invalidateFetch();
  resetRetired(sliceRemaining);
  halted = false;
  stepTrapPending = false;
  picReset();
  pitReset();
  fpuReset();
  syncOut();
}

/** Publish registers to the run page (every exit). */
export function syncOut(): void {
  store<u32>(vcpu, eip, RP_EIP);
  flagsOut();
  const ifOn = (getFlags() & FLAG_IF) != 0;
  store<u32>(vcpu, ifOn ? 1 : 0, RP_IF_FLAG);
  store<u32>(vcpu, ifOn && !interruptShadow ? 1 : 0, RP_READY_FOR_INTERRUPT_INJECTION);
  store<u32>(vcpu, interruptShadow ? 1 : 0, RP_EVENT_INTERRUPT_SHADOW);
  store<u32>(vcpu, exceptionPending ? 1 : 0, RP_EVENT_EXCEPTION_PENDING);
  store<u32>(vcpu, <u32>pendingVector, RP_EVENT_EXCEPTION_VECTOR);
  store<u32>(vcpu, <u32>pendingErrorCode, RP_EVENT_EXCEPTION_ERROR_CODE);
  store<u32>(vcpu, SYNC_ALL, RP_VALID_REGS);
  store<f64>(vcpu, <f64>retiredNow(sliceRemaining), RP_INSTRUCTIONS_RETIRED);
  store<f64>(vcpu, interruptsDelivered, RP_INTERRUPTS_DELIVERED);
  store<u32>(vcpu, halted ? 1 : 0, RP_EVENT_HALTED);
}

/** Take the host's edits (dirty_regs) before resuming. */
export function syncIn(): void {
  const dirty = load<u32>(vcpu, RP_DIRTY_REGS);
  if (dirty == 0) return;
  if (dirty & SYNC_REGS) { setEip(load<u32>(vcpu, RP_EIP)); flagsIn(); }
  if (dirty & SYNC_SREGS) { refreshCodeSize(); invalidateFetch(); }
  if (dirty & SYNC_EVENTS) {
    setShadowState(load<u32>(vcpu, RP_EVENT_INTERRUPT_SHADOW) != 0);
    if (load<u32>(vcpu, RP_EVENT_EXCEPTION_PENDING) != 0) {
      setPendingException(<i32>load<u32>(vcpu, RP_EVENT_EXCEPTION_VECTOR), <i32>load<u32>(vcpu, RP_EVENT_EXCEPTION_ERROR_CODE));
    }
  }
  store<u32>(vcpu, 0, RP_DIRTY_REGS);
}
