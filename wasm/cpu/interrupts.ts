// Interrupt and exception delivery, and IRET (SDM vol. 3, 6.12 and IRET in vol. 2).
// Real mode: through the IVT at IDTR.base (FLAGS, CS, IP pushed; IF, TF, AC cleared).
// Protected mode: 16- and 32-bit interrupt and trap gates, to the same privilege level or to an
// inner one with the stack switched from the TSS (32-bit TSS). Task gates (hardware task switch)
// and virtual-8086 mode stop the VM with INTERNAL_ERROR_EMULATION until they are implemented.
// Fault safety: the new stack frame is written before any register changes, so a fault while
// delivering leaves the state as it was (and becomes #DF in fault.ts).

import { SEG_CS, SEG_SS, SEG_ES, SEG_DS, SEG_FS, SEG_GS, SEG_TR, RP_IDTR_BASE, RP_IDTR_LIMIT } from "../abi/run-page";
import {
  vcpu, eip, setEip, segSelector, segBase, segLimit, segAccess, setSegment, protectedMode, cpl,
  reg32, setReg32, refreshCodeSize, REG_ESP, AR_PRESENT, AR_DB,
} from "./state";
import {
  getFlags, setFlags, setFlagBit, flagsBase, FLAG_IF, FLAG_TF, FLAG_NT, FLAG_RF, FLAG_VM, FLAG_AC, FLAG_IOPL,
} from "./flags";
import { push16, push32, pop16, pop32, pushN, popN, stack32 } from "./stack";
import {
  loadSegment, readDescriptor, descAccess, descBase, descLimit, descDpl, loadCodeSegmentFromDescriptor,
  markDescriptor,
} from "./segments";
import { readLin16, readLin32, writeLinN } from "../mmu/memory";
import { beginSystemAccess, endSystemAccess } from "../mmu/tlb";
import { raiseFault, unimplemented, EXC_GP, EXC_NP, EXC_TS, EXC_SS } from "./fault";
import { taskSwitch, TASK_CALL, TASK_IRET } from "./task";

/**
 * Deliver interrupt `vector`. `errorCode` < 0 means none is pushed; `software` is true for INT n,
 * INT3 and INTO (gate DPL is checked). EIP must already be the return address.
 */
export function deliverInterrupt(vector: i32, errorCode: i32, software: bool): void {
  if (!protectedMode()) { deliverReal(vector); return; }
  deliverProtected(vector, errorCode, software);
}

function deliverReal(vector: i32): void {
  // An IVT entry beyond IDTR.limit is #GP; failing again makes #DF, then a triple fault.
  if ((<u32>vector << 2) + 3 > load<u32>(vcpu, RP_IDTR_LIMIT)) raiseFault(EXC_GP, (vector << 3) | 2);
  const entry = load<u32>(vcpu, RP_IDTR_BASE) + (<u32>vector << 2);
  const newIp = readLin16(entry);
  const newCs = readLin16(entry + 2);
  push16(getFlags());
  push16(segSelector(SEG_CS));
  push16(eip);
  setFlagBit(FLAG_IF, false);
  setFlagBit(FLAG_TF, false);
  setFlagBit(FLAG_AC, false);
  loadSegment(SEG_CS, newCs);
  setEip(newIp);
}

/** Write `v` below `sp` on a stack segment (base, 16/32-bit pointer); returns the new pointer. */
@inline function pushOn(base: u32, sp: u32, big: bool, size: i32, v: u32): u32 {
  const n = big ? sp - <u32>size : (sp - <u32>size) & 0xffff;
  writeLinN(base + n, size, v);
  return n;
}

function deliverProtected(vector: i32, errorCode: i32, software: bool): void {
  const ext = software ? 0 : 1;
  const gateErr = (vector << 3) | 2 | ext;
  if (flagsBase & FLAG_VM) unimplemented(); // from virtual-8086 mode
  const sys = beginSystemAccess();
  if ((<u32>vector << 3) + 7 > load<u32>(vcpu, RP_IDTR_LIMIT)) raiseFault(EXC_GP, gateErr);
  const gate = load<u32>(vcpu, RP_IDTR_BASE) + (<u32>vector << 3);
  const lo = readLin32(gate);
  const hi = readLin32(gate + 4);
  const type = (hi >> 8) & 0x1f;
  const gateDpl = (hi >> 13) & 3;
  if (type != 0x05 && type != 0x06 && type != 0x07 && type != 0x0e && type != 0x0f) raiseFault(EXC_GP, gateErr);
  if (software && gateDpl < cpl) raiseFault(EXC_GP, gateErr);
  if ((hi & 0x8000) == 0) raiseFault(EXC_NP, gateErr);
  if (type == 0x05) { // task gate: switch to the TSS it names
    endSystemAccess(sys);
    taskSwitch(lo >>> 16, TASK_CALL, eip, errorCode);
    return;
  }
  const selector = lo >>> 16;
  const size = (type & 8) != 0 ? 4 : 2;
  const offset = size == 4 ? (lo & 0xffff) | (hi & 0xffff0000) : lo & 0xffff;
  const selErr = <i32>(selector & 0xfffc) | ext;
  if ((selector & 0xfffc) == 0) raiseFault(EXC_GP, ext);
  readDescriptor(selector);
  const ar = descAccess();
  if ((ar & 0x18) != 0x18) raiseFault(EXC_GP, selErr); // must be a code segment
  const dpl = descDpl();
  const conforming = (ar & 4) != 0;
  if (dpl > cpl) raiseFault(EXC_GP, selErr);
  if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, selErr);
  const csBase = descBase(), csLimit = descLimit(), csAccess = ar;
  const flags = getFlags();
  const oldCs = segSelector(SEG_CS);
  const oldSs = segSelector(SEG_SS);
  const oldEsp = reg32(REG_ESP);

  if (!conforming && dpl < cpl) {
    // Inner privilege: stack from the TSS.
    const trAccess = segAccess(SEG_TR);
    if ((trAccess & 0xf) != 0x9 && (trAccess & 0xf) != 0xb) unimplemented(); // 16-bit TSS
    const slot: u32 = 4 + dpl * 8;
    if (slot + 5 > segLimit(SEG_TR)) raiseFault(EXC_TS, <i32>(segSelector(SEG_TR) & 0xfffc) | ext);
    const newEsp = readLin32(segBase(SEG_TR) + slot);
    const newSs = readLin16(segBase(SEG_TR) + slot + 4);
    const ssErr = <i32>(newSs & 0xfffc) | ext;
    if ((newSs & 0xfffc) == 0) raiseFault(EXC_TS, ext);
    readDescriptor(newSs, EXC_TS);
    const ssAr = descAccess();
    if ((newSs & 3) != dpl || descDpl() != dpl || (ssAr & 0x1a) != 0x12) raiseFault(EXC_TS, ssErr);
    if ((ssAr & AR_PRESENT) == 0) raiseFault(EXC_SS, ssErr);
    const ssBase = descBase(), ssLimit = descLimit();
    const big = (ssAr & AR_DB) != 0;
    markDescriptor(1);
    // The frame goes onto the inner stack with supervisor privilege.
    let sp = newEsp;
    sp = pushOn(ssBase, sp, big, size, oldSs);
    sp = pushOn(ssBase, sp, big, size, oldEsp);
    sp = pushOn(ssBase, sp, big, size, flags);
    sp = pushOn(ssBase, sp, big, size, oldCs);
    sp = pushOn(ssBase, sp, big, size, eip);
    if (errorCode >= 0) sp = pushOn(ssBase, sp, big, size, <u32>errorCode);
    // Commit.
    setSegment(SEG_SS, (newSs & 0xfffc) | dpl, ssBase, ssLimit, ssAr | 1);
    setReg32(REG_ESP, big ? sp : (newEsp & 0xffff0000) | sp);
    readDescriptor(selector);
    loadCodeSegmentFromDescriptor((selector & 0xfffc) | dpl);
  } else {
    // Same privilege (or a conforming segment): the current stack.
    endSystemAccess(sys);
    pushN(size, flags);
    pushN(size, oldCs);
    pushN(size, eip);
    if (errorCode >= 0) pushN(size, <u32>errorCode);
    setSegment(SEG_CS, (selector & 0xfffc) | cpl, csBase, csLimit, csAccess | 1);
  }
  setEip(offset);
  setFlagBit(FLAG_TF, false);
  setFlagBit(FLAG_NT, false);
  setFlagBit(FLAG_RF, false);
  setFlagBit(FLAG_VM, false);
  if ((type & 1) == 0) setFlagBit(FLAG_IF, false); // interrupt gate
  refreshCodeSize(); // CPL and the TLB's access mode follow the new CS
}

/** IRET / IRETD with operand size `size`. */
export function iret(size: i32): void {
  if (!protectedMode()) {
    const newIp = popN(size);
    const newCs = popN(size);
    const f = popN(size);
    loadSegment(SEG_CS, newCs);
    setEip(size == 4 ? newIp : newIp & 0xffff);
    const keep = size == 4 ? FLAG_VM : 0xffff0000;
    setFlags((getFlags() & keep) | (f & ~keep));
    return;
  }
  if (flagsBase & FLAG_VM) unimplemented(); // from virtual-8086 mode
  if (flagsBase & FLAG_NT) { // nested task: return to the task in the back link
    const sys = beginSystemAccess();
    const link = readLin16(segBase(SEG_TR));
    endSystemAccess(sys);
    taskSwitch(link, TASK_IRET, eip, -1);
    return;
  }
  const newIp = popN(size);
  const newCs = popN(size) & 0xffff;
  const f = popN(size);
  if (size == 4 && (f & FLAG_VM) != 0 && cpl == 0) unimplemented(); // return to virtual-8086 mode
  const rpl = newCs & 3;
  const csErr = <i32>(newCs & 0xfffc);
  if ((newCs & 0xfffc) == 0 || rpl < cpl) raiseFault(EXC_GP, csErr);
  readDescriptor(newCs);
  const ar = descAccess();
  if ((ar & 0x18) != 0x18) raiseFault(EXC_GP, csErr);
  const conforming = (ar & 4) != 0;
  if (conforming ? descDpl() > rpl : descDpl() != rpl) raiseFault(EXC_GP, csErr);
  if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, csErr);
  // EFLAGS rules use the privilege the IRET runs at.
  const oldCpl = cpl;
  let keep: u32 = size == 4 ? FLAG_VM : 0xffff0000 | FLAG_VM;
  if (oldCpl > 0) keep |= FLAG_IOPL;
  if (oldCpl > ((getFlags() & FLAG_IOPL) >> 12)) keep |= FLAG_IF;
  if (rpl > oldCpl) {
    // Return to an outer privilege level: SS:ESP come off the stack too.
    const newEsp = popN(size);
    const newSs = popN(size) & 0xffff;
    const ssErr = <i32>(newSs & 0xfffc);
    if ((newSs & 0xfffc) == 0 || (newSs & 3) != rpl) raiseFault(EXC_GP, ssErr);
    readDescriptor(newSs);
    const ssAr = descAccess();
    if ((ssAr & 0x1a) != 0x12 || descDpl() != rpl) raiseFault(EXC_GP, ssErr);
    if ((ssAr & AR_PRESENT) == 0) raiseFault(EXC_SS, ssErr);
    const ssBase = descBase(), ssLimit = descLimit();
    markDescriptor(1);
    setSegment(SEG_SS, newSs, ssBase, ssLimit, ssAr | 1);
    if ((ssAr & AR_DB) != 0) setReg32(REG_ESP, newEsp); else setReg32(REG_ESP, (reg32(REG_ESP) & 0xffff0000) | (newEsp & 0xffff));
    readDescriptor(newCs);
    loadCodeSegmentFromDescriptor(newCs);
    setEip(newIp);
    setFlags((getFlags() & keep) | (f & ~keep));
    refreshCodeSize();
    // Data segments the outer level may not use become null (SDM IRET, RETURN-TO-OUTER-PRIVILEGE-LEVEL).
    nullIfInaccessible(SEG_ES); nullIfInaccessible(SEG_DS); nullIfInaccessible(SEG_FS); nullIfInaccessible(SEG_GS);
    return;
  }
  loadCodeSegmentFromDescriptor(newCs);
  setEip(newIp);
  setFlags((getFlags() & keep) | (f & ~keep));
  refreshCodeSize();
}


function nullIfInaccessible(s: i32): void {
  const ar = segAccess(s);
  const dpl = (ar >> 5) & 3;
  const dataOrNonConforming = (ar & 0x8) == 0 || (ar & 0x4) == 0;
  if ((ar & AR_PRESENT) != 0 && dataOrNonConforming && dpl < cpl) setSegment(s, 0, 0, 0, 0);
}
