// Control transfer: Jcc, JMP, CALL, RET near and far, LOOP/LOOPE/LOOPNE/JCXZ, ENTER/LEAVE.
// Far transfers in protected mode go to code segments of the current privilege level; call
// gates, task switches and privilege changes stop with INTERNAL_ERROR until the protected-mode
// issue implements them.

import { SEG_CS, SEG_SS } from "../abi/run-page";
import { opSize, addr32, decodeModrm, readE, fetch8, fetch16, fetchImm, fetchSimm8, readEa16, readEa32, requireMemoryOperand } from "./decode";
import { eip, setEip, reg16, reg32, setReg16, setReg32, segSelector, segBase, protectedMode, REG_ECX, REG_EBP, REG_ESP, cpl } from "./state";
import { condition, getZF, flagBit, FLAG_VM } from "./flags";
import { pushN, popN, adjustSp, stack32 } from "./stack";
import { loadSegment, readDescriptor, descAccess, descDpl, descLo, loadCodeSegmentFromDescriptor } from "./segments";
import { taskSwitch, TASK_JMP, TASK_CALL } from "./task";
import { readLinN } from "../mmu/memory";
import { unimplemented, raiseFault, EXC_GP, EXC_NP } from "./fault";

/** EIP + rel, truncated to 16 bits for a 16-bit operand size. */
@inline function target(rel: u32): u32 { const t = eip + rel; return opSize == 4 ? t : t & 0xffff; }

// 70-7F: Jcc rel8; 0F 80-8F: Jcc rel16/32.
export function opJccJb(cc: i32): void { const rel = fetchSimm8(); if (condition(cc)) setEip(target(rel)); }
export function opJccJz(cc: i32): void { const rel = fetchImm(); if (condition(cc)) setEip(target(rel)); }
// EB, E9: JMP rel.
export function opJmpJb(): void { const rel = fetchSimm8(); setEip(target(rel)); }
export function opJmpJz(): void { const rel = fetchImm(); setEip(target(rel)); }
// E8: CALL rel.
export function opCallJz(): void { const rel = fetchImm(); pushN(opSize, eip); setEip(target(rel)); }
// C3, C2: RET near (optionally releasing imm16 bytes).
export function opRet(): void { const t = popN(opSize); setEip(t); }
export function opRetIw(): void { const n = fetch16(); const t = popN(opSize); adjustSp(n); setEip(t); }
// FF /2, /4: CALL and JMP near indirect (ModR/M decoded).
export function callE(): void { const t = readE(opSize); pushN(opSize, eip); setEip(t); }
export function jmpE(): void { setEip(readE(opSize)); }

// E0-E3: LOOPNE, LOOPE, LOOP, JCXZ (the counter is CX or ECX per address size).
export function opLoopJb(kind: i32): void {
  const rel = fetchSimm8();
  let count: u32;
  if (kind == 3) { // JCXZ / JECXZ
    count = addr32 ? reg32(REG_ECX) : reg16(REG_ECX);
    if (count == 0) setEip(target(rel));
    return;
  }
  if (addr32) { count = reg32(REG_ECX) - 1; setReg32(REG_ECX, count); }
  else { count = (reg16(REG_ECX) - 1) & 0xffff; setReg16(REG_ECX, count); }
  let take = count != 0;
  if (kind == 0) take = take && !getZF(); // LOOPNE
  else if (kind == 1) take = take && getZF(); // LOOPE
  if (take) setEip(target(rel));
}

/** Jump to sel:off. In protected mode only code segments at the current privilege. */
function farJump(sel: u32, off: u32): void {
  if (protectedMode() && !flagBit(FLAG_VM)) {
    if (isTaskTarget(sel)) { taskJump(sel, TASK_JMP); return; }
    checkFarTarget(sel);
    loadCodeSegmentFromDescriptor((sel & 0xfffc) | cpl);
  } else {
    loadSegment(SEG_CS, sel);
  }
  setEip(off);
}
/** The selector names a TSS or a task gate (a task switch rather than a far transfer). */
function isTaskTarget(sel: u32): bool {
  if ((sel & 0xfffc) == 0) return false;
  readDescriptor(sel);
  const t = descAccess() & 0x1f;
  return t == 0x09 || t == 0x0b || t == 0x01 || t == 0x03 || t == 0x05;
}
/** JMP/CALL to a TSS descriptor or through a task gate (SDM 7.3: DPL >= max(CPL, RPL)). */
function taskJump(sel: u32, kind: i32): void {
  readDescriptor(sel);
  const ar = descAccess();
  if (descDpl() < cpl || descDpl() < (sel & 3)) raiseFault(EXC_GP, <i32>(sel & 0xfffc));
  if ((ar & 0x80) == 0) raiseFault(EXC_NP, <i32>(sel & 0xfffc));
  let tss = sel;
  if ((ar & 0x1f) == 0x05) tss = descLo >>> 16; // task gate: the TSS selector is in the gate
  taskSwitch(tss, kind, eip, -1);
}

/** A far JMP/CALL target in protected mode: a code segment at the current privilege (SDM 5.8.1). */
function checkFarTarget(sel: u32): void {
  const err = <i32>(sel & 0xfffc);
  if ((sel & 0xfffc) == 0) raiseFault(EXC_GP, 0);
  readDescriptor(sel);
  const ar = descAccess();
  if ((ar & 0x10) == 0) unimplemented(); // call gate: not implemented yet
  if ((ar & 0x08) == 0) raiseFault(EXC_GP, err); // data segment
  const dpl = descDpl();
  const conforming = (ar & 0x04) != 0;
  if (conforming ? dpl > cpl : (dpl != cpl || (sel & 3) > cpl)) raiseFault(EXC_GP, err);
  if ((ar & 0x80) == 0) raiseFault(EXC_NP, err);
}
function farCall(sel: u32, off: u32): void {
  const pm = protectedMode() && !flagBit(FLAG_VM);
  if (pm && isTaskTarget(sel)) { taskJump(sel, TASK_CALL); return; }
  if (pm) checkFarTarget(sel);
  const oldCs = segSelector(SEG_CS);
  const ret = eip;
  // Write the return frame below the stack pointer before loading CS, so a fault undoes cleanly.
  pushN(opSize, oldCs);
  pushN(opSize, ret);
  if (pm) loadCodeSegmentFromDescriptor((sel & 0xfffc) | cpl); else loadSegment(SEG_CS, sel);
  setEip(off);
}
// EA, 9A: JMP/CALL ptr16:16/32.
export function opJmpAp(): void { const off = fetchImm(); const sel = fetch16(); farJump(sel, off); }
export function opCallAp(): void { const off = fetchImm(); const sel = fetch16(); farCall(sel, off); }
// FF /5, /3: JMP/CALL m16:16/32 (ModR/M decoded).
export function jmpFarE(): void {
  requireMemoryOperand();
  const off = opSize == 4 ? readEa32(0) : readEa16(0);
  farJump(readEa16(<u32>opSize), off);
}
export function callFarE(): void {
  requireMemoryOperand();
  const off = opSize == 4 ? readEa32(0) : readEa16(0);
  farCall(readEa16(<u32>opSize), off);
}
// CB, CA: RETF (optionally releasing imm16 bytes).
function retFar(release: u32): void {
  const off = popN(opSize);
  const sel = popN(opSize) & 0xffff;
  if (protectedMode() && !flagBit(FLAG_VM)) {
    if ((sel & 0xfffc) != 0 && (sel & 3) < cpl) raiseFault(EXC_GP, <i32>(sel & 0xfffc)); // SDM RET: RPL < CPL
    if ((sel & 3) != cpl) unimplemented(); // return to an outer privilege level
    checkFarTarget(sel);
    loadCodeSegmentFromDescriptor(sel);
  } else {
    loadSegment(SEG_CS, sel);
  }
  adjustSp(release);
  setEip(off);
}
export function opRetf(): void { retFar(0); }
export function opRetfIw(): void { const n = fetch16(); retFar(n); }

// C8: ENTER Iw,Ib. C9: LEAVE.
export function opEnterIwIb(): void {
  const size = fetch16();
  const level = fetch8() & 31;
  const bp = stack32() ? reg32(REG_EBP) : reg16(REG_EBP);
  pushN(opSize, opSize == 4 ? reg32(REG_EBP) : reg16(REG_EBP));
  const frame = stack32() ? reg32(REG_ESP) : reg16(REG_ESP);
  if (level > 0) {
    let p = bp;
    for (let i: u32 = 1; i < level; i++) {
      p = stack32() ? p - <u32>opSize : (p - <u32>opSize) & 0xffff;
      pushN(opSize, readLinN(segBase(SEG_SS) + p, opSize));
    }
    pushN(opSize, frame);
  }
  if (opSize == 4) setReg32(REG_EBP, frame); else setReg16(REG_EBP, frame);
  adjustSp(0 - size);
}
export function opLeave(): void {
  if (stack32()) setReg32(REG_ESP, reg32(REG_EBP)); else setReg16(REG_ESP, reg16(REG_EBP));
  const v = popN(opSize);
  if (opSize == 4) setReg32(REG_EBP, v); else setReg16(REG_EBP, v);
}
