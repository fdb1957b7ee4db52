// The eight ALU operations (ADD OR ADC SBB AND SUB XOR CMP) in all their forms, INC/DEC, TEST,
// NOT/NEG and the BCD/ASCII adjusts that share their flag logic. Flags go through flags.ts.

import {
  opSize, modrmReg, decodeModrm, readE, writeE, readG, writeG, fetch8, fetchImm, fetchSimm8, fetchImmN,
} from "./decode";
import { regN, setRegN, reg8, setReg8, reg16, setReg16, REG_EAX } from "./state";
import {
  setLazy, setLazyCarry, setLazyIncDec, getCF, getAF, setArithFlags, szp,
  LAZY_ADD, LAZY_ADC, LAZY_SUB, LAZY_SBB, LAZY_LOGIC, LAZY_INC, LAZY_DEC,
  FLAG_CF, FLAG_AF, ARITH_FLAGS,
} from "./flags";
import { raiseFault, EXC_DE } from "./fault";

export const ALU_ADD = 0;
export const ALU_OR = 1;
export const ALU_ADC = 2;
export const ALU_SBB = 3;
export const ALU_AND = 4;
export const ALU_SUB = 5;
export const ALU_XOR = 6;
export const ALU_CMP = 7;

/** Apply ALU operation `op` to dst and src of `size` bytes; sets flags, returns the result. */
export function alu(op: i32, dst: u32, src: u32, size: i32): u32 {
  let r: u32;
  switch (op) {
    case ALU_ADD: r = dst + src; setLazy(LAZY_ADD, dst, src, r, size); return r;
    case ALU_OR: r = dst | src; setLazy(LAZY_LOGIC, dst, src, r, size); return r;
    case ALU_ADC: {
      const c = getCF();
      r = dst + src + c;
      setLazyCarry(LAZY_ADC, dst, src, c, r, size);
      return r;
    }
    case ALU_SBB: {
      const c = getCF();
      r = dst - src - c;
      setLazyCarry(LAZY_SBB, dst, src, c, r, size);
      return r;
    }
    case ALU_AND: r = dst & src; setLazy(LAZY_LOGIC, dst, src, r, size); return r;
    case ALU_XOR: r = dst ^ src; setLazy(LAZY_LOGIC, dst, src, r, size); return r;
    default: r = dst - src; setLazy(LAZY_SUB, dst, src, r, size); return r; // SUB, CMP
  }
}

// 00-3D (low three bits 0-5): the six forms of each ALU op. CMP writes nothing back.
export function opAluEbGb(op: i32): void {
  decodeModrm();
  const r = alu(op, readE(1), readG(1), 1);
  if (op != ALU_CMP) writeE(1, r);
}
export function opAluEvGv(op: i32): void {
  decodeModrm();
  const r = alu(op, readE(opSize), readG(opSize), opSize);
  if (op != ALU_CMP) writeE(opSize, r);
}
export function opAluGbEb(op: i32): void {
  decodeModrm();
  const r = alu(op, readG(1), readE(1), 1);
  if (op != ALU_CMP) writeG(1, r);
}
export function opAluGvEv(op: i32): void {
  decodeModrm();
  const r = alu(op, readG(opSize), readE(opSize), opSize);
  if (op != ALU_CMP) writeG(opSize, r);
}
export function opAluAlIb(op: i32): void {
  const r = alu(op, reg8(REG_EAX), fetch8(), 1);
  if (op != ALU_CMP) setReg8(REG_EAX, r);
}
export function opAluEaxIz(op: i32): void {
  const r = alu(op, regN(REG_EAX, opSize), fetchImm(), opSize);
  if (op != ALU_CMP) setRegN(REG_EAX, opSize, r);
}

// 80, 81, 83: group 1, the operation in ModR/M.reg.
export function opGroup1EbIb(): void {
  decodeModrm();
  const dst = readE(1);
  const r = alu(modrmReg, dst, fetch8(), 1);
  if (modrmReg != ALU_CMP) writeE(1, r);
}
export function opGroup1EvIz(): void {
  decodeModrm();
  const dst = readE(opSize);
  const r = alu(modrmReg, dst, fetchImm(), opSize);
  if (modrmReg != ALU_CMP) writeE(opSize, r);
}
export function opGroup1EvIb(): void {
  decodeModrm();
  const dst = readE(opSize);
  const r = alu(modrmReg, dst, fetchSimm8(), opSize);
  if (modrmReg != ALU_CMP) writeE(opSize, r);
}

// 84, 85, A8, A9: TEST.
export function opTestEbGb(): void { decodeModrm(); alu(ALU_AND, readE(1), readG(1), 1); }
export function opTestEvGv(): void { decodeModrm(); alu(ALU_AND, readE(opSize), readG(opSize), opSize); }
export function opTestAlIb(): void { alu(ALU_AND, reg8(REG_EAX), fetch8(), 1); }
export function opTestEaxIz(): void { alu(ALU_AND, regN(REG_EAX, opSize), fetchImm(), opSize); }

// 40-4F: INC/DEC r16/r32 (CF unchanged).
export function opIncZv(r: i32): void {
  const d = regN(r, opSize);
  const v = d + 1;
  setLazyIncDec(LAZY_INC, d, v, opSize);
  setRegN(r, opSize, v);
}
export function opDecZv(r: i32): void {
  const d = regN(r, opSize);
  const v = d - 1;
  setLazyIncDec(LAZY_DEC, d, v, opSize);
  setRegN(r, opSize, v);
}
/** INC/DEC of the current E operand of `size` bytes. */
export function incDecE(size: i32, dec: bool): void {
  const d = readE(size);
  const v = dec ? d - 1 : d + 1;
  writeE(size, v);
  setLazyIncDec(dec ? LAZY_DEC : LAZY_INC, d, v, size);
}

// F6/F7 /0 /2 /3: TEST, NOT, NEG of the E operand (ModR/M already decoded).
export function testEImm(size: i32): void { alu(ALU_AND, readE(size), fetchImmN(size), size); }
export function notE(size: i32): void { writeE(size, ~readE(size)); }
export function negE(size: i32): void {
  const d = readE(size);
  const r = 0 - d;
  writeE(size, r);
  setLazy(LAZY_SUB, 0, d, r, size);
}

// 27, 2F, 37, 3F, D4, D5: decimal and ASCII adjust (SDM vol. 2 pseudo-code).
export function opDaa(): void {
  const al = reg8(REG_EAX);
  const cf = getCF();
  let r = al;
  let f: u32 = 0;
  if ((al & 0xf) > 9 || getAF()) { r += 6; f |= FLAG_AF; }
  if (al > 0x99 || cf) { r += 0x60; f |= FLAG_CF; }
  setReg8(REG_EAX, r);
  setArithFlags(ARITH_FLAGS, f | szp(r, 1)); // OF undefined: cleared
}
export function opDas(): void {
  const al = reg8(REG_EAX);
  const cf = getCF();
  let r = al;
  let f: u32 = 0;
  if ((al & 0xf) > 9 || getAF()) { if (al < 6) f |= FLAG_CF; r -= 6; f |= FLAG_AF; }
  if (al > 0x99 || cf) { r -= 0x60; f |= FLAG_CF; }
  setReg8(REG_EAX, r);
  setArithFlags(ARITH_FLAGS, f | szp(r, 1));
}
export function opAaa(): void {
  let ax = reg16(REG_EAX);
  let f: u32 = 0;
  if ((ax & 0xf) > 9 || getAF()) { ax = (ax + 0x106); f = FLAG_AF | FLAG_CF; }
  setReg16(REG_EAX, ax & 0xff0f);
  setArithFlags(ARITH_FLAGS, f | szp(ax & 0x0f, 1)); // OF SF ZF PF undefined: from AL
}
export function opAas(): void {
  let ax = reg16(REG_EAX);
  let f: u32 = 0;
  if ((ax & 0xf) > 9 || getAF()) { ax = (ax - 0x106) & 0xffff; f = FLAG_AF | FLAG_CF; }
  setReg16(REG_EAX, ax & 0xff0f);
  setArithFlags(ARITH_FLAGS, f | szp(ax & 0x0f, 1));
}
export function opAamIb(): void {
  const base = fetch8();
  if (base == 0) raiseFault(EXC_DE, -1);
  const al = reg8(REG_EAX);
  const r = ((al / base) << 8) | (al % base);
  setReg16(REG_EAX, r);
  setArithFlags(ARITH_FLAGS, szp(r & 0xff, 1)); // CF OF AF undefined: cleared
}
export function opAadIb(): void {
  const base = fetch8();
  const ax = reg16(REG_EAX);
  const r = ((ax & 0xff) + (ax >> 8) * base) & 0xff;
  setReg16(REG_EAX, r);
  setArithFlags(ARITH_FLAGS, szp(r, 1));
}
