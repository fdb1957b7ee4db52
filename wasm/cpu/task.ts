// Hardware task switching (SDM vol. 3, 7.3), 32-bit TSSs: through a task gate in the IDT (an
// interrupt or exception; Linux uses one for #DF), JMP/CALL to a TSS descriptor or a task gate,
// and IRET with EFLAGS.NT set (back to the previous task via the back link).
// 16-bit TSSs and a new task in virtual-8086 mode stop with INTERNAL_ERROR_EMULATION.
// Order (7.3): checks → save the current state in the current TSS → busy bits and back link →
// TR, CR0.TS → load CR3, EIP, EFLAGS, GPRs, LDTR, then segment registers (faults here are #TS
// in the new task's context).

import {
  vcpu, setEip, reg32, setReg32, segSelector, segBase, segLimit, segAccess, setSegment,
  refreshCodeSize, AR_PRESENT,
} from "./state";
import {
  SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_TR, SEG_LDTR, RP_CR0, RP_CR3,
} from "../abi/run-page";
import { getFlags, setFlags, FLAG_NT, FLAG_VM } from "./flags";
import { readDescriptor, descAccess, descBase, descLimit, descAddr, loadSegment, loadCodeSegmentFromDescriptor } from "./segments";
import { readLin16, readLin32, writeLin16, writeLin32, readLin8, writeLin8 } from "../mmu/memory";
import { beginSystemAccess, endSystemAccess, flushNonGlobal, pagingEnabled } from "../mmu/tlb";
import { raiseFault, unimplemented, EXC_GP, EXC_NP, EXC_TS } from "./fault";
import { pushN } from "./stack";

/** Why the switch happens: decides busy bits, NT and the back link. */
export const TASK_JMP = 0;
export const TASK_CALL = 1; // also INT n / exceptions through a task gate
export const TASK_IRET = 2;

// 32-bit TSS field offsets.
const TSS_LINK: u32 = 0x00;
const TSS_CR3: u32 = 0x1c;
const TSS_EIP: u32 = 0x20;
const TSS_EFLAGS: u32 = 0x24;
const TSS_EAX: u32 = 0x28; // EAX ECX EDX EBX ESP EBP ESI EDI follow, 4 bytes each
const TSS_ES: u32 = 0x48; // ES CS SS DS FS GS follow, 4 bytes each
const TSS_LDT: u32 = 0x60;
const TSS_MIN_LIMIT: u32 = 0x67;

/** Flip the busy bit (type bit 1) of the TSS descriptor for `selector` in the GDT. */
function setBusy(selector: u32, busy: bool): void {
  readDescriptor(selector);
  const a = descAddr + 5;
  const was = beginSystemAccess();
  const v = readLin8(a);
  writeLin8(a, busy ? v | 2 : v & ~2);
  endSystemAccess(was);
}

/**
 * Switch to the task whose TSS selector is `selector`. `returnEip` is saved as the old task's EIP.
 * `errorCode` (>= 0) is pushed on the new task's stack (exceptions through a task gate).
 */
export function taskSwitch(selector: u32, kind: i32, returnEip: u32, errorCode: i32): void {
  const err = <i32>(selector & 0xfffc);
  if ((selector & 4) != 0 || (selector & 0xfffc) == 0) raiseFault(EXC_GP, err); // must be in the GDT
  readDescriptor(selector);
  const ar = descAccess();
  const type = ar & 0x1f;
  if (type == 0x01 || type == 0x03) unimplemented(); // 16-bit TSS
  if (kind == TASK_IRET) { if (type != 0x0b) raiseFault(EXC_TS, err); } // must be busy
  else if (type != 0x09) raiseFault(EXC_GP, err); // must be available
  if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, err);
  const newBase = descBase();
  if (descLimit() < TSS_MIN_LIMIT) raiseFault(EXC_TS, err);

  // Save the current task.
  const oldSel = segSelector(SEG_TR);
  const oldBase = segBase(SEG_TR);
  if (segLimit(SEG_TR) < TSS_MIN_LIMIT) raiseFault(EXC_TS, <i32>(oldSel & 0xfffc));
  const sys = beginSystemAccess();
  let flags = getFlags();
  if (kind == TASK_IRET) flags &= ~FLAG_NT;
  writeLin32(oldBase + TSS_EIP, returnEip);
  writeLin32(oldBase + TSS_EFLAGS, flags);
  for (let r: u32 = 0; r < 8; r++) writeLin32(oldBase + TSS_EAX + (r << 2), reg32(<i32>r));
  for (let s: u32 = 0; s < 6; s++) writeLin16(oldBase + TSS_ES + (s << 2), segSelector(<i32>s));

  // Read the whole new state before changing anything else.
  const newCr3 = readLin32(newBase + TSS_CR3);
  const newEip = readLin32(newBase + TSS_EIP);
  let newFlags = readLin32(newBase + TSS_EFLAGS);
  if (newFlags & FLAG_VM) unimplemented(); // a virtual-8086 task
  const ldt = readLin16(newBase + TSS_LDT);
  if (kind == TASK_CALL) writeLin16(newBase + TSS_LINK, oldSel);
  endSystemAccess(sys);

  if (kind == TASK_JMP || kind == TASK_IRET) setBusy(oldSel, false);
  if (kind != TASK_IRET) setBusy(selector, true);
  if (kind == TASK_CALL) newFlags |= FLAG_NT;

  readDescriptor(selector);
  setSegment(SEG_TR, selector, newBase, descLimit(), descAccess() | 2);
  store<u32>(vcpu, load<u32>(vcpu, RP_CR0) | 8, RP_CR0); // CR0.TS: the FPU state belongs to the old task
  if (pagingEnabled()) { store<u32>(vcpu, newCr3, RP_CR3); flushNonGlobal(); }

  const sys2 = beginSystemAccess();
  for (let r: u32 = 0; r < 8; r++) setReg32(<i32>r, readLin32(newBase + TSS_EAX + (r << 2)));
  const es = readLin16(newBase + TSS_ES);
  const cs = readLin16(newBase + TSS_ES + 4);
  const ss = readLin16(newBase + TSS_ES + 8);
  const ds = readLin16(newBase + TSS_ES + 12);
  const fs = readLin16(newBase + TSS_ES + 16);
  const gs = readLin16(newBase + TSS_ES + 20);
  endSystemAccess(sys2);
  setFlags(newFlags);
  setEip(newEip);

  // LDTR, then CS (it sets the CPL the other loads are checked against), then the rest.
  if ((ldt & 0xfffc) == 0) setSegment(SEG_LDTR, 0, 0, 0, 0);
  else {
    readDescriptor(ldt, EXC_TS);
    if ((descAccess() & 0x1f) != 0x02) raiseFault(EXC_TS, <i32>(ldt & 0xfffc));
    setSegment(SEG_LDTR, ldt, descBase(), descLimit(), descAccess());
  }
  if ((cs & 0xfffc) == 0) raiseFault(EXC_TS, 0);
  readDescriptor(cs, EXC_TS);
  if ((descAccess() & 0x18) != 0x18) raiseFault(EXC_TS, <i32>(cs & 0xfffc));
  loadCodeSegmentFromDescriptor(cs);
  refreshCodeSize();
  loadSegment(SEG_SS, ss);
  loadSegment(SEG_ES, es);
  loadSegment(SEG_DS, ds);
  loadSegment(SEG_FS, fs);
  loadSegment(SEG_GS, gs);
  if (errorCode >= 0) pushN((segAccess(SEG_CS) & 0x4000) != 0 ? 4 : 2, <u32>errorCode);
}
