// Instruction decoding state: prefixes, ModR/M + SIB and the effective address, and operand
// access helpers shared by every op family. One instruction is decoded at a time into globals
// (no allocation). Effective addresses are computed once per instruction, so a
// read-modify-write op reads and writes the same location.

import { SEG_ES, SEG_CS, SEG_SS, SEG_DS } from "../abi/run-page";
import {
  eip, setEip, code32, csBase, reg8, reg16, reg32, setReg8, setReg16, setReg32, segBase,
  REG_ESP, REG_EBP, REG_ESI, REG_EDI, REG_EBX,
} from "./state";
import { fetchLin8, readLin8, readLin16, readLin32, writeLin8, writeLin16, writeLin32 } from "../mmu/memory";
import { raiseFault, EXC_UD } from "./fault";

/** Operand size of the current instruction in bytes: 2 or 4 (after the 66 prefix). */
export let opSize: i32 = 2;
/** Address size of the current instruction: true for 32-bit (after the 67 prefix). */
export let addr32: bool = false;
/** Segment override prefix, or -1. */
export let segOverride: i32 = -1;
export const REP_NONE = 0;
export const REP_E = 1; // F3: REP / REPE / REPZ
export const REP_NE = 2; // F2: REPNE / REPNZ
export let repPrefix: i32 = REP_NONE;
export let lockPrefix: bool = false;

/** Reset prefix state at the start of an instruction. */
export function beginInstruction(): void {
  opSize = code32 ? 4 : 2;
  addr32 = code32;
  segOverride = -1;
  repPrefix = REP_NONE;
  lockPrefix = false;
}
export function prefixOpSize(): void { opSize = code32 ? 2 : 4; }
export function prefixAddrSize(): void { addr32 = !code32; }
export function prefixSegment(s: i32): void { segOverride = s; }
export function prefixRep(r: i32): void { repPrefix = r; }
export function prefixLock(): void { lockPrefix = true; }

// ---- Instruction stream --------------------------------------------------------------------
export function fetch8(): u32 {
  const v = fetchLin8(csBase + eip);
  setEip(code32 ? eip + 1 : (eip + 1) & 0xffff);
  return v;
}
export function fetch16(): u32 { const lo = fetch8(); return lo | (fetch8() << 8); }
export function fetch32(): u32 { const lo = fetch16(); return lo | (fetch16() << 16); }
/** An immediate of the operand size. */
export function fetchImm(): u32 { return opSize == 4 ? fetch32() : fetch16(); }
/** A sign-extended 8-bit immediate. */
export function fetchSimm8(): u32 { return <u32>(<i32>(<i8>fetch8())); }
/** An immediate of `size` bytes (1, 2, 4). */
export function fetchImmN(size: i32): u32 { return size == 1 ? fetch8() : size == 2 ? fetch16() : fetch32(); }

// ---- ModR/M --------------------------------------------------------------------------------
export let modrmMod: i32 = 0;
export let modrmReg: i32 = 0;
export let modrmRm: i32 = 0;
/** Segment and offset of the memory operand (valid when modrmMod != 3). */
export let eaSeg: i32 = SEG_DS;
export let eaOff: u32 = 0;

/** Fetch a ModR/M byte and, for a memory operand, its SIB/displacement; computes eaSeg:eaOff. */
export function decodeModrm(): void {
  const m = fetch8();
  modrmMod = m >> 6;
  modrmReg = (m >> 3) & 7;
  modrmRm = m & 7;
  if (modrmMod == 3) return;
  if (addr32) decodeEa32(); else decodeEa16();
  if (segOverride >= 0) eaSeg = segOverride;
}

function decodeEa16(): void {
  let off: u32 = 0;
  let seg = SEG_DS;
  switch (modrmRm) {
    case 0: off = reg16(REG_EBX) + reg16(REG_ESI); break;
    case 1: off = reg16(REG_EBX) + reg16(REG_EDI); break;
    case 2: off = reg16(REG_EBP) + reg16(REG_ESI); seg = SEG_SS; break;
    case 3: off = reg16(REG_EBP) + reg16(REG_EDI); seg = SEG_SS; break;
    case 4: off = reg16(REG_ESI); break;
    case 5: off = reg16(REG_EDI); break;
    case 6:
      if (modrmMod == 0) { off = fetch16(); } else { off = reg16(REG_EBP); seg = SEG_SS; }
      break;
    default: off = reg16(REG_EBX); break;
  }
  if (modrmMod == 1) off += fetchSimm8();
  else if (modrmMod == 2) off += fetch16();
  eaOff = off & 0xffff;
  eaSeg = seg;
}

function decodeEa32(): void {
  let off: u32 = 0;
  let seg = SEG_DS;
  let base = modrmRm;
  if (base == 4) {
    const sib = fetch8();
    const scale = sib >> 6;
    const index = (sib >> 3) & 7;
    base = sib & 7;
    if (index != 4) off = reg32(index) << scale;
    if (base == 5 && modrmMod == 0) {
      off += fetch32();
    } else {
      off += reg32(base);
      if (base == REG_ESP || base == REG_EBP) seg = SEG_SS;
    }
  } else if (base == 5 && modrmMod == 0) {
    off = fetch32();
  } else {
    off = reg32(base);
    if (base == REG_EBP) seg = SEG_SS;
  }
  if (modrmMod == 1) off += fetchSimm8();
  else if (modrmMod == 2) off += fetch32();
  eaOff = off;
  eaSeg = seg;
}

/** Treat the instruction as having a register-form ModR/M (MOV CRn, MOV DRn). */
export function setModrmRegisterForm(reg: i32, rm: i32): void { modrmMod = 3; modrmReg = reg; modrmRm = rm; }

/** Linear address of the memory operand plus `delta` bytes (offset wraps at the address size). */
export function eaLinear(delta: u32): u32 {
  const off = addr32 ? eaOff + delta : (eaOff + delta) & 0xffff;
  return segBase(eaSeg) + off;
}
/** The segment for a default-DS access, honouring an override. */
@inline export function dataSeg(): i32 { return segOverride >= 0 ? segOverride : SEG_DS; }

// ---- E operands (register or memory, selected by ModR/M) -----------------------------------
export function readE8(): u32 { return modrmMod == 3 ? reg8(modrmRm) : readLin8(eaLinear(0)); }
export function readE16(): u32 { return modrmMod == 3 ? reg16(modrmRm) : readLin16(eaLinear(0)); }
export function readE32(): u32 { return modrmMod == 3 ? reg32(modrmRm) : readLin32(eaLinear(0)); }
export function writeE8(v: u32): void { if (modrmMod == 3) setReg8(modrmRm, v); else writeLin8(eaLinear(0), v); }
export function writeE16(v: u32): void { if (modrmMod == 3) setReg16(modrmRm, v); else writeLin16(eaLinear(0), v); }
export function writeE32(v: u32): void { if (modrmMod == 3) setReg32(modrmRm, v); else writeLin32(eaLinear(0), v); }
/** E operand of `size` bytes. */
export function readE(size: i32): u32 { return size == 4 ? readE32() : size == 2 ? readE16() : readE8(); }
export function writeE(size: i32, v: u32): void {
  if (size == 4) writeE32(v); else if (size == 2) writeE16(v); else writeE8(v);
}
/** G operand (the ModR/M reg field) of `size` bytes. */
export function readG(size: i32): u32 { return size == 4 ? reg32(modrmReg) : size == 2 ? reg16(modrmReg) : reg8(modrmReg); }
export function writeG(size: i32, v: u32): void {
  if (size == 4) setReg32(modrmReg, v); else if (size == 2) setReg16(modrmReg, v); else setReg8(modrmReg, v);
}
/** An instruction form that requires a memory operand got a register one (e.g. LEA, LGDT): #UD. */
export function requireMemoryOperand(): void { if (modrmMod == 3) raiseFault(EXC_UD, -1); }

/** Memory operand reads at an extra displacement (far pointers, descriptor-table operands). */
export function readEa16(delta: u32): u32 { return readLin16(eaLinear(delta)); }
export function readEa32(delta: u32): u32 { return readLin32(eaLinear(delta)); }
export function writeEa16(delta: u32, v: u32): void { writeLin16(eaLinear(delta), v); }
export function writeEa32(delta: u32, v: u32): void { writeLin32(eaLinear(delta), v); }

// ---- String-op addressing ----------------------------------------------------------------
/** SI/ESI or DI/EDI per address size. */
export function strIndex(r: i32): u32 { return addr32 ? reg32(r) : reg16(r); }
export function setStrIndex(r: i32, v: u32): void { if (addr32) setReg32(r, v); else setReg16(r, v); }
/** CX/ECX per address size. */
export function strCount(): u32 { return addr32 ? reg32(1) : reg16(1); }
export function setStrCount(v: u32): void { if (addr32) setReg32(1, v); else setReg16(1, v); }
/** Source DS:SI (overridable) and destination ES:DI linear addresses. */
export function strSrcLinear(): u32 { return segBase(dataSeg()) + strIndex(REG_ESI); }
export function strDstLinear(): u32 { return segBase(SEG_ES) + strIndex(REG_EDI); }
