// Data movement: MOV in all forms, MOVZX/MOVSX, LEA, XCHG, CBW/CWDE/CWD/CDQ, PUSH/POP of
// registers, immediates, memory and segments, PUSHA/POPA, PUSHF/POPF, LAHF/SAHF, XLAT,
// LDS/LES/LSS/LFS/LGS, SETcc, CMOVcc, BSWAP, XADD, CMPXCHG.

import {
  opSize, addr32, modrmMod, modrmReg, modrmRm, eaOff, decodeModrm, readE, writeE, readG, writeG,
  fetch8, fetchImm, fetchSimm8, fetch16, fetch32, readEa16, readEa32, requireMemoryOperand,
  dataSeg, eaLinear,
} from "./decode";
import {
  reg8, reg16, reg32, setReg8, setReg16, setReg32, regN, setRegN, segSelector, segBase,
  REG_EAX, REG_EDX, REG_EBX, REG_ESP, protectedMode, cpl } from "./state";
import { SEG_CS, SEG_SS } from "../abi/run-page";
import { readLinN, readLin8, writeLinN } from "../mmu/memory";
import { pushN, popN, push16, pop16, adjustSp, stack32 } from "./stack";
import { loadSegment } from "./segments";
import {
  getFlags, setFlags, setArithFlags, condition, FLAG_VM, FLAG_RF, FLAG_IOPL, FLAG_IF, FLAG_CF, FLAG_PF,
  FLAG_AF, FLAG_ZF, FLAG_SF,
} from "./flags";
import { alu, ALU_ADD, ALU_CMP } from "./ops-alu";
import { unimplemented, raiseFault, EXC_UD } from "./fault";

// 88-8B: MOV E,G and G,E.
export function opMovEbGb(): void { decodeModrm(); writeE(1, readG(1)); }
export function opMovEvGv(): void { decodeModrm(); writeE(opSize, readG(opSize)); }
export function opMovGbEb(): void { decodeModrm(); writeG(1, readE(1)); }
export function opMovGvEv(): void { decodeModrm(); writeG(opSize, readE(opSize)); }
// B0-B7, B8-BF: MOV r,imm.
export function opMovZbIb(r: i32): void { setReg8(r, fetch8()); }
export function opMovZvIv(r: i32): void { setRegN(r, opSize, fetchImm()); }
// C6, C7: MOV E,imm.
export function opMovEbIb(): void { decodeModrm(); writeE(1, fetch8()); }
export function opMovEvIz(): void { decodeModrm(); writeE(opSize, fetchImm()); }
// A0-A3: MOV between the accumulator and a direct offset (moffs).
function moffsLinear(): u32 { return segBase(dataSeg()) + (addr32 ? fetch32() : fetch16()); }
export function opMovAlOb(): void { setReg8(REG_EAX, readLin8(moffsLinear())); }
export function opMovEaxOv(): void { setRegN(REG_EAX, opSize, readLinN(moffsLinear(), opSize)); }
export function opMovObAl(): void { writeLinN(moffsLinear(), 1, reg8(REG_EAX)); }
export function opMovOvEax(): void { writeLinN(moffsLinear(), opSize, regN(REG_EAX, opSize)); }

// 8C, 8E: MOV to and from segment registers.
export function opMovEwSw(): void {
  decodeModrm();
  if (modrmReg > 5) raiseFault(EXC_UD, -1);
  const sel = segSelector(modrmReg);
  if (modrmMod == 3) setRegN(modrmRm, opSize, sel); // register destination: zero-extended
  else writeE(2, sel);
}
export function opMovSwEw(): void {
  decodeModrm();
  if (modrmReg > 5 || modrmReg == SEG_CS) raiseFault(EXC_UD, -1);
  loadSegment(modrmReg, readE(2));
}

// 0F B6 B7 BE BF: MOVZX / MOVSX.
export function opMovzxGvEb(): void { decodeModrm(); writeG(opSize, readE(1)); }
export function opMovzxGvEw(): void { decodeModrm(); writeG(opSize, readE(2)); }
export function opMovsxGvEb(): void { decodeModrm(); writeG(opSize, <u32><i32><i8>readE(1)); }
export function opMovsxGvEw(): void { decodeModrm(); writeG(opSize, <u32><i32><i16>readE(2)); }

// 8D: LEA (the offset only, truncated to the operand size).
export function opLeaGvM(): void { decodeModrm(); requireMemoryOperand(); writeG(opSize, eaOff); }

// 86, 87, 91-97: XCHG.
export function opXchgEbGb(): void { decodeModrm(); const a = readE(1); const b = readG(1); writeE(1, b); writeG(1, a); }
export function opXchgEvGv(): void { decodeModrm(); const a = readE(opSize); const b = readG(opSize); writeE(opSize, b); writeG(opSize, a); }
export function opXchgZvEax(r: i32): void {
  const a = regN(r, opSize);
  setRegN(r, opSize, regN(REG_EAX, opSize));
  setRegN(REG_EAX, opSize, a);
}

// 98, 99: CBW/CWDE and CWD/CDQ.
export function opCbw(): void {
  if (opSize == 4) setReg32(REG_EAX, <u32><i32><i16>reg16(REG_EAX));
  else setReg16(REG_EAX, <u32><i32><i8>reg8(REG_EAX));
}
export function opCwd(): void {
  if (opSize == 4) setReg32(REG_EDX, (reg32(REG_EAX) & 0x80000000) != 0 ? 0xffffffff : 0);
  else setReg16(REG_EDX, (reg16(REG_EAX) & 0x8000) != 0 ? 0xffff : 0);
}

// 50-5F, 68, 6A, 8F, FF /6: PUSH and POP.
export function opPushZv(r: i32): void { pushN(opSize, regN(r, opSize)); }
export function opPopZv(r: i32): void { const v = popN(opSize); setRegN(r, opSize, v); }
export function opPushIz(): void { pushN(opSize, fetchImm()); }
export function opPushIb(): void { pushN(opSize, fetchSimm8()); }
/** 8F /0: POP Ev. The address is computed after ESP is incremented (SDM POP). */
export function opPopEv(): void {
  const v = popN(opSize);
  decodeModrm();
  if (modrmReg != 0) unimplemented();
  writeE(opSize, v);
}
/** FF /6 (ModR/M decoded). */
export function pushE(): void { pushN(opSize, readE(opSize)); }

// 06 0E 16 1E 0F A0 0F A8: PUSH Sreg; 07 17 1F 0F A1 0F A9: POP Sreg.
export function opPushSreg(s: i32): void {
  // A 32-bit push of a segment register writes the selector into the low 16 bits.
  pushN(opSize, segSelector(s));
}
export function opPopSreg(s: i32): void {
  const v = popN(opSize);
  loadSegment(s, v & 0xffff);
}

// 60, 61: PUSHA/PUSHAD, POPA/POPAD.
export function opPusha(): void {
  const sp = opSize == 4 ? reg32(REG_ESP) : reg16(REG_ESP);
  for (let r = 0; r < 8; r++) pushN(opSize, r == REG_ESP ? sp : regN(r, opSize));
}
export function opPopa(): void {
  // Touch the highest slot first, so a fault happens before any register changes.
  peek(7);
  for (let r = 7; r >= 0; r--) {
    const v = peek(7 - r);
    if (r != REG_ESP) setRegN(r, opSize, v);
  }
  adjustSp(<u32>opSize * 8);
}
function peek(slot: i32): u32 { return readLinN(segBase(SEG_SS) + stackOffset(<u32>slot * <u32>opSize), opSize); }
function stackOffset(delta: u32): u32 {
  return stack32() ? reg32(REG_ESP) + delta : (reg16(REG_ESP) + delta) & 0xffff;
}

// 9C, 9D: PUSHF/PUSHFD, POPF/POPFD (VM and RF are never pushed; IOPL and IF rules of SDM POPF).
export function opPushf(): void {
  if (protectedMode() && (getFlags() & FLAG_VM) != 0) unimplemented(); // virtual-8086 IOPL rules
  pushN(opSize, getFlags() & ~(FLAG_VM | FLAG_RF));
}
export function opPopf(): void {
  if (protectedMode() && (getFlags() & FLAG_VM) != 0) unimplemented();
  const v = popN(opSize);
  let keep: u32 = FLAG_VM | FLAG_RF;
  if (opSize == 2) keep |= 0xffff0000;
  if (protectedMode()) {
    const level = cpl;
    if (level > 0) keep |= FLAG_IOPL;
    if (level > ((getFlags() & FLAG_IOPL) >> 12)) keep |= FLAG_IF;
  }
  setFlags((getFlags() & keep) | (v & ~keep));
}
// 9E, 9F: SAHF, LAHF.
export function opSahf(): void {
  const m = FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF;
  setArithFlags(m, reg8(4)); // AH
}
export function opLahf(): void { setReg8(4, (getFlags() & 0xd5) | 2); }

// D7: XLAT.
export function opXlat(): void {
  const off = addr32 ? reg32(REG_EBX) + reg8(REG_EAX) : (reg16(REG_EBX) + reg8(REG_EAX)) & 0xffff;
  setReg8(REG_EAX, readLin8(segBase(dataSeg()) + off));
}

// C4 C5 0F B2 0F B4 0F B5: load far pointer (LES LDS LSS LFS LGS).
export function opLoadFarPointer(s: i32): void {
  decodeModrm();
  requireMemoryOperand();
  const off = opSize == 4 ? readEa32(0) : readEa16(0);
  const sel = readEa16(<u32>opSize);
  loadSegment(s, sel);
  setRegN(modrmReg, opSize, off);
}

// 0F 90-9F: SETcc Eb; 0F 40-4F: CMOVcc Gv,Ev (the source is read even when not taken).
export function opSetccEb(cc: i32): void { decodeModrm(); writeE(1, condition(cc) ? 1 : 0); }
export function opCmovccGvEv(cc: i32): void {
  decodeModrm();
  const v = readE(opSize);
  if (condition(cc)) writeG(opSize, v);
}

// 0F C8-CF: BSWAP r32. With a 16-bit operand (undefined) the low word becomes 0, as on Intel and AMD CPUs.
export function opBswapZd(r: i32): void { if (opSize == 2) setReg16(r, 0); else setReg32(r, bswap<u32>(reg32(r))); }

// 0F C0 C1: XADD; 0F B0 B1: CMPXCHG.
export function opXaddEbGb(): void {
  decodeModrm();
  const d = readE(1); const s = readG(1);
  const r = alu(ALU_ADD, d, s, 1);
  // The sum goes to the destination last (XADD r,r with the same register keeps the sum).
  if (modrmMod == 3) { writeG(1, d); writeE(1, r); } else { writeE(1, r); writeG(1, d); }
}
export function opXaddEvGv(): void {
  decodeModrm();
  const d = readE(opSize); const s = readG(opSize);
  const r = alu(ALU_ADD, d, s, opSize);
  if (modrmMod == 3) { writeG(opSize, d); writeE(opSize, r); } else { writeE(opSize, r); writeG(opSize, d); }
}
export function opCmpxchgEbGb(): void { cmpxchg(1); }
export function opCmpxchgEvGv(): void { cmpxchg(opSize); }
function cmpxchg(size: i32): void {
  decodeModrm();
  const d = readE(size);
  const acc = regN(REG_EAX, size);
  alu(ALU_CMP, acc, d, size);
  if (acc == d) writeE(size, readG(size));
  else { writeE(size, d); setRegN(REG_EAX, size, d); } // the destination is always written
}
