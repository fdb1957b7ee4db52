// Protected-mode system instructions: group 6 (SLDT STR LLDT LTR VERR VERW), LAR, LSL, ARPL,
// BOUND, and MOV to/from the debug registers (kept, not acted on: hardware breakpoints are not
// implemented; DR6/DR7 read back their fixed bits).

import {
  SEG_TR, SEG_LDTR, RP_DR0, RP_DR6, RP_DR7, RP_CR4,
} from "../abi/run-page";
import {
  vcpu, protectedMode, cpl, segSelector, setSegment, setRegN, reg32, setReg32, AR_PRESENT,
} from "./state";
import {
  opSize, modrmMod, modrmReg, modrmRm, decodeModrm, readE, writeE, readG, writeG, eaLinear,
  requireMemoryOperand, setModrmRegisterForm, fetch8,
} from "./decode";
import { readLinN } from "../mmu/memory";
import { lookupDescriptor, readDescriptor, descAccess, descBase, descLimit, descDpl, markDescriptor, descHi } from "./segments";
import { setArithFlags, flagBit, FLAG_ZF, FLAG_VM } from "./flags";
import { raiseFault, EXC_GP, EXC_UD, EXC_NP, EXC_BR } from "./fault";

function requirePmode(): void { if (!protectedMode() || flagBit(FLAG_VM)) raiseFault(EXC_UD, -1); }
function requireCpl0(): void { if (cpl != 0) raiseFault(EXC_GP, 0); }

// 0F 00: group 6.
export function opGroup6(): void {
  decodeModrm();
  switch (modrmReg) {
    case 0: requirePmode(); storeSelector(segSelector(SEG_LDTR)); return; // SLDT
    case 1: requirePmode(); storeSelector(segSelector(SEG_TR)); return; // STR
    case 2: requirePmode(); requireCpl0(); lldt(readE(2)); return; // LLDT
    case 3: requirePmode(); requireCpl0(); ltr(readE(2)); return; // LTR
    case 4: requirePmode(); verify(readE(2), false); return; // VERR
    case 5: requirePmode(); verify(readE(2), true); return; // VERW
    default: raiseFault(EXC_UD, -1);
  }
}
/** SLDT/STR: a register destination gets the selector zero-extended to the operand size. */
function storeSelector(sel: u32): void {
  if (modrmMod == 3) setRegN(modrmRm, opSize, sel); else writeE(2, sel);
}

function lldt(sel: u32): void {
  if ((sel & 0xfffc) == 0) { setSegment(SEG_LDTR, 0, 0, 0, 0); return; }
  if (sel & 4) raiseFault(EXC_GP, <i32>(sel & 0xfffc));
  readDescriptor(sel);
  const ar = descAccess();
  if ((ar & 0x1f) != 0x02) raiseFault(EXC_GP, <i32>(sel & 0xfffc)); // LDT descriptor
  if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, <i32>(sel & 0xfffc));
  setSegment(SEG_LDTR, sel, descBase(), descLimit(), ar);
}

function ltr(sel: u32): void {
  const err = <i32>(sel & 0xfffc);
  if ((sel & 0xfffc) == 0 || (sel & 4) != 0) raiseFault(EXC_GP, err);
  readDescriptor(sel);
  const ar = descAccess();
  const type = ar & 0x1f;
  if (type != 0x09 && type != 0x01) raiseFault(EXC_GP, err); // available 32- or 16-bit TSS
  if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, err);
  markDescriptor(2); // busy
  setSegment(SEG_TR, sel, descBase(), descLimit(), ar | 2);
}

/** Can the current privilege use `sel`'s segment? (the common test of VERR VERW LAR LSL). */
function visible(sel: u32): bool {
  if ((sel & 0xfffc) == 0) return false;
  if (!lookupDescriptor(sel)) return false;
  readDescriptor(sel);
  const ar = descAccess();
  const conformingCode = (ar & 0x1c) == 0x1c;
  const dpl = descDpl();
  return conformingCode || (dpl >= cpl && dpl >= (sel & 3));
}
function verify(sel: u32, write: bool): void {
  let ok = visible(sel);
  if (ok) {
    const ar = descAccess();
    if ((ar & 0x10) == 0) ok = false; // system segment
    else if (write) ok = (ar & 0xa) == 0x2; // writable data
    else ok = (ar & 0xa) != 0x8; // data, or readable code
  }
  setArithFlags(FLAG_ZF, ok ? FLAG_ZF : 0);
}

// 0F 02: LAR Gv,Ew; 0F 03: LSL Gv,Ew.
export function opLarGvEw(): void {
  requirePmode();
  decodeModrm();
  const sel = readE(2);
  if (!visible(sel) || !larType(descAccess())) { setArithFlags(FLAG_ZF, 0); return; }
  writeG(opSize, opSize == 4 ? descHiMasked() : descHiMasked() & 0xff00);
  setArithFlags(FLAG_ZF, FLAG_ZF);
}
export function opLslGvEw(): void {
  requirePmode();
  decodeModrm();
  const sel = readE(2);
  if (!visible(sel) || !lslType(descAccess())) { setArithFlags(FLAG_ZF, 0); return; }
  writeG(opSize, descLimit());
  setArithFlags(FLAG_ZF, FLAG_ZF);
}
function descHiMasked(): u32 { return descHi & 0x00f0ff00; }
function larType(ar: u32): bool {
  if (ar & 0x10) return true;
  const t = ar & 0xf;
  return t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 0xb || t == 0xc;
}
function lslType(ar: u32): bool {
  if (ar & 0x10) return true;
  const t = ar & 0xf;
  return t == 1 || t == 2 || t == 3 || t == 9 || t == 0xb;
}

// 63: ARPL Ew,Gw.
export function opArplEwGw(): void {
  requirePmode();
  decodeModrm();
  const dst = readE(2);
  const src = readG(2);
  if ((dst & 3) < (src & 3)) {
    writeE(2, (dst & ~3) | (src & 3));
    setArithFlags(FLAG_ZF, FLAG_ZF);
  } else {
    setArithFlags(FLAG_ZF, 0);
  }
}

// 62: BOUND Gv,Ma (signed bounds; #BR when outside).
export function opBoundGvMa(): void {
  decodeModrm();
  requireMemoryOperand();
  const lower = readLinN(eaLinear(0), opSize);
  const upper = readLinN(eaLinear(<u32>opSize), opSize);
  const v = readG(opSize);
  let out: bool;
  if (opSize == 4) out = <i32>v < <i32>lower || <i32>v > <i32>upper;
  else out = <i16>v < <i16>lower || <i16>v > <i16>upper;
  if (out) raiseFault(EXC_BR, -1);
}

// 0F 21: MOV Rd,Dd; 0F 23: MOV Dd,Rd. DR4/DR5 alias DR6/DR7 while CR4.DE is clear.
function drOffset(n: i32): i32 {
  const de = (load<u32>(vcpu, RP_CR4) & 0x8) != 0;
  if (n == 4 || n == 5) { if (de) raiseFault(EXC_UD, -1); n += 2; }
  return n;
}
export function opMovRdDd(): void {
  const m = fetch8();
  setModrmRegisterForm((m >> 3) & 7, m & 7);
  if (protectedMode() && cpl != 0) raiseFault(EXC_GP, 0);
  const n = drOffset(modrmReg);
  let v: u32;
  if (n < 4) v = load<u32>(vcpu + (<u32>n << 2), RP_DR0);
  else if (n == 6) v = load<u32>(vcpu, RP_DR6) | 0xffff0ff0;
  else v = (load<u32>(vcpu, RP_DR7) & ~0xd000) | 0x400;
  setReg32(modrmRm, v);
}
export function opMovDdRd(): void {
  const m = fetch8();
  setModrmRegisterForm((m >> 3) & 7, m & 7);
  if (protectedMode() && cpl != 0) raiseFault(EXC_GP, 0);
  const n = drOffset(modrmReg);
  const v = reg32(modrmRm);
  if (n < 4) store<u32>(vcpu + (<u32>n << 2), v, RP_DR0);
  else if (n == 6) store<u32>(vcpu, v, RP_DR6);
  else store<u32>(vcpu, v, RP_DR7);
}
