// EFLAGS with lazy arithmetic flags. The common ALU ops (ADD ADC SUB SBB CMP, the logic ops,
// INC DEC NEG) record their operands and result; CF PF AF ZF SF OF are computed only when read.
// Everything else (shifts, multiplies, POPF...) writes flags eagerly through setArithFlags().
// Invariant: when lazyOp == LAZY_NONE, `flagsBase` holds all of EFLAGS; otherwise it holds the
// non-arithmetic bits, plus CF for INC/DEC (which leave CF alone).
// Flags the SDM leaves undefined: AF after logic ops is 0; see docs/cpu-flags.md for the rest.

import { RP_EFLAGS } from "../abi/run-page";
import { vcpu } from "./state";

export const FLAG_CF: u32 = 0x0001;
export const FLAG_FIXED1: u32 = 0x0002; // bit 1 always reads 1
export const FLAG_PF: u32 = 0x0004;
export const FLAG_AF: u32 = 0x0010;
export const FLAG_ZF: u32 = 0x0040;
export const FLAG_SF: u32 = 0x0080;
export const FLAG_TF: u32 = 0x0100;
export const FLAG_IF: u32 = 0x0200;
export const FLAG_DF: u32 = 0x0400;
export const FLAG_OF: u32 = 0x0800;
export const FLAG_IOPL: u32 = 0x3000;
export const FLAG_NT: u32 = 0x4000;
export const FLAG_RF: u32 = 0x10000;
export const FLAG_VM: u32 = 0x20000;
export const FLAG_AC: u32 = 0x40000;
export const FLAG_ID: u32 = 0x200000;
export const ARITH_FLAGS: u32 = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF;

export const LAZY_NONE = 0;
export const LAZY_ADD = 1;
export const LAZY_ADC = 2;
export const LAZY_SUB = 3;
export const LAZY_SBB = 4;
export const LAZY_LOGIC = 5;
export const LAZY_INC = 6;
export const LAZY_DEC = 7;
export const LAZY_NEG = 8;

export let flagsBase: u32 = FLAG_FIXED1;
let lazyOp: i32 = LAZY_NONE;
let lazyDst: u32 = 0; // first operand
let lazySrc: u32 = 0; // second operand (carry-in for ADC/SBB kept in lazyCarry)
let lazyRes: u32 = 0;
let lazyCarry: u32 = 0;
let lazyMask: u32 = 0xff; // operand-size mask
let lazySign: u32 = 0x80; // operand-size sign bit

/** Operand-size mask for 1, 2 or 4 bytes. */
@inline export function sizeMask(size: i32): u32 { return size == 4 ? 0xffffffff : size == 2 ? 0xffff : 0xff; }
@inline export function sizeSign(size: i32): u32 { return size == 4 ? 0x80000000 : size == 2 ? 0x8000 : 0x80; }

/** Record a lazy ALU result. */
@inline export function setLazy(op: i32, dst: u32, src: u32, res: u32, size: i32): void {
  if (lazyOp == LAZY_NONE) flagsBase &= ~ARITH_FLAGS;
  lazyOp = op; lazyDst = dst; lazySrc = src; lazyRes = res;
  lazyMask = sizeMask(size); lazySign = sizeSign(size);
}
/** ADC/SBB also remember the carry-in. */
@inline export function setLazyCarry(op: i32, dst: u32, src: u32, carry: u32, res: u32, size: i32): void {
  setLazy(op, dst, src, res, size);
  lazyCarry = carry;
}
/** INC/DEC keep CF: materialize it into flagsBase before going lazy. */
export function setLazyIncDec(op: i32, dst: u32, res: u32, size: i32): void {
  const c = getCF();
  if (lazyOp == LAZY_NONE) flagsBase &= ~ARITH_FLAGS;
  flagsBase = (flagsBase & ~FLAG_CF) | c;
  lazyOp = op; lazyDst = dst; lazySrc = 1; lazyRes = res;
  lazyMask = sizeMask(size); lazySign = sizeSign(size);
}

export function getCF(): u32 {
  const m = lazyMask;
  switch (lazyOp) {
    case LAZY_NONE: return flagsBase & FLAG_CF;
    case LAZY_ADD: return (lazyRes & m) < (lazyDst & m) ? 1 : 0;
    case LAZY_ADC: return ((<u64>(lazyDst & m) + <u64>(lazySrc & m) + <u64>lazyCarry) > <u64>m) ? 1 : 0;
    case LAZY_SUB: return (lazyDst & m) < (lazySrc & m) ? 1 : 0;
    case LAZY_SBB: return (<u64>(lazyDst & m) < <u64>(lazySrc & m) + <u64>lazyCarry) ? 1 : 0;
    case LAZY_NEG: return (lazyDst & m) != 0 ? 1 : 0;
    case LAZY_INC: case LAZY_DEC: return flagsBase & FLAG_CF;
    default: return 0; // LAZY_LOGIC
  }
}
@inline export function getZF(): bool {
  return lazyOp == LAZY_NONE ? (flagsBase & FLAG_ZF) != 0 : (lazyRes & lazyMask) == 0;
}
@inline export function getSF(): bool {
  return lazyOp == LAZY_NONE ? (flagsBase & FLAG_SF) != 0 : (lazyRes & lazySign) != 0;
}
export function getPF(): bool {
  if (lazyOp == LAZY_NONE) return (flagsBase & FLAG_PF) != 0;
  return (popcnt<u32>(lazyRes & 0xff) & 1) == 0;
}
export function getAF(): bool {
  switch (lazyOp) {
    case LAZY_NONE: return (flagsBase & FLAG_AF) != 0;
    case LAZY_LOGIC: return false;
    default: return ((lazyDst ^ lazySrc ^ lazyRes) & 0x10) != 0;
  }
}
export function getOF(): bool {
  const s = lazySign;
  switch (lazyOp) {
    case LAZY_NONE: return (flagsBase & FLAG_OF) != 0;
    case LAZY_ADD: case LAZY_ADC: return ((lazyDst ^ lazyRes) & (lazySrc ^ lazyRes) & s) != 0;
    case LAZY_SUB: case LAZY_SBB: return ((lazyDst ^ lazySrc) & (lazyDst ^ lazyRes) & s) != 0;
    case LAZY_INC: return (lazyRes & lazyMask) == s;
    case LAZY_DEC: return (lazyRes & lazyMask) == s - 1;
    case LAZY_NEG: return (lazyRes & lazyMask) == s;
    default: return false;
  }
}

/** The whole EFLAGS value. */
export function getFlags(): u32 {
  if (lazyOp == LAZY_NONE) return flagsBase | FLAG_FIXED1;
  let f = flagsBase & ~ARITH_FLAGS;
  f |= getCF();
  if (getPF()) f |= FLAG_PF;
  if (getAF()) f |= FLAG_AF;
  if (getZF()) f |= FLAG_ZF;
  if (getSF()) f |= FLAG_SF;
  if (getOF()) f |= FLAG_OF;
  return f | FLAG_FIXED1;
}
/** Replace EFLAGS wholesale (POPF, IRET, host edits): leaves lazy mode. */
export function setFlags(v: u32): void {
  lazyOp = LAZY_NONE;
  flagsBase = (v & 0x003f7fd5) | FLAG_FIXED1;
}
/** Set the arithmetic flags in `mask` to the bits in `values`, eagerly. */
export function setArithFlags(mask: u32, values: u32): void {
  if (lazyOp != LAZY_NONE) { flagsBase = getFlags(); lazyOp = LAZY_NONE; }
  flagsBase = (flagsBase & ~mask) | (values & mask);
}
/** Set or clear single non-arithmetic flags (IF, DF, TF...). They live in flagsBase in every mode. */
@inline export function setFlagBit(bit: u32, on: bool): void {
  if (on) flagsBase |= bit; else flagsBase &= ~bit;
}
@inline export function flagBit(bit: u32): bool { return (flagsBase & bit) != 0; }

/** ZF SF PF for a result, as eager flag bits. */
export function szp(res: u32, size: i32): u32 {
  let f: u32 = 0;
  if ((res & sizeMask(size)) == 0) f |= FLAG_ZF;
  if ((res & sizeSign(size)) != 0) f |= FLAG_SF;
  if ((popcnt<u32>(res & 0xff) & 1) == 0) f |= FLAG_PF;
  return f;
}

/** Jcc / SETcc / CMOVcc condition n (the low nibble of the opcode). */
export function condition(n: i32): bool {
  let r: bool;
  switch (n >> 1) {
    case 0: r = getOF(); break; // O
    case 1: r = getCF() != 0; break; // B / C
    case 2: r = getZF(); break; // Z / E
    case 3: r = getCF() != 0 || getZF(); break; // BE
    case 4: r = getSF(); break; // S
    case 5: r = getPF(); break; // P
    case 6: r = getSF() != getOF(); break; // L
    default: r = getZF() || getSF() != getOF(); break; // LE
  }
  return (n & 1) != 0 ? !r : r;
}

/** Store EFLAGS into the run page. */
export function flagsOut(): void { store<u32>(vcpu, getFlags(), RP_EFLAGS); }
/** Reload EFLAGS from the run page (the host edited it). */
export function flagsIn(): void { setFlags(load<u32>(vcpu, RP_EFLAGS)); }
