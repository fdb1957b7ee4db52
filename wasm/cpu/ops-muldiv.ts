// MUL, IMUL (one-, two- and three-operand forms), DIV, IDIV.
// CF = OF = "the upper half is significant". SF ZF PF AF are undefined after multiplies: set from
// the low half of the result with AF = 0 (docs/cpu-flags.md). Divides leave flags unchanged.
// #DE (a fault) on a zero divisor or a quotient that does not fit.

import { opSize, decodeModrm, readE, readG, writeG, fetchImm, fetchSimm8 } from "./decode";
import { reg8, reg16, reg32, setReg16, setReg32, REG_EAX, REG_EDX } from "./state";
import { setArithFlags, szp, sizeMask, FLAG_CF, FLAG_OF, ARITH_FLAGS } from "./flags";
import { raiseFault, EXC_DE } from "./fault";

@inline function sext(v: u32, size: i32): i64 {
  return size == 4 ? <i64><i32>v : size == 2 ? <i64><i16>v : <i64><i8>v;
}
function mulFlags(low: u32, significant: bool, size: i32): void {
  setArithFlags(ARITH_FLAGS, szp(low, size) | (significant ? FLAG_CF | FLAG_OF : 0));
}

/** F6/F7 /4: unsigned AX/DX:AX/EDX:EAX = accumulator * E. */
export function mulE(size: i32): void {
  const s = <u64>readE(size);
  if (size == 1) {
    const r = <u32>(<u64>reg8(REG_EAX) * s);
    setReg16(REG_EAX, r);
    mulFlags(r, (r >> 8) != 0, 1);
  } else if (size == 2) {
    const r = <u32>(<u64>reg16(REG_EAX) * s);
    setReg16(REG_EAX, r);
    setReg16(REG_EDX, r >> 16);
    mulFlags(r, (r >> 16) != 0, 2);
  } else {
    const r: u64 = <u64>reg32(REG_EAX) * s;
    setReg32(REG_EAX, <u32>r);
    setReg32(REG_EDX, <u32>(r >> 32));
    mulFlags(<u32>r, (r >> 32) != 0, 4);
  }
}

/** F6/F7 /5: signed one-operand IMUL. */
export function imulE(size: i32): void {
  const s = sext(readE(size), size);
  if (size == 1) {
    const r = <i64><i8>reg8(REG_EAX) * s;
    setReg16(REG_EAX, <u32>r);
    mulFlags(<u32>r, r != <i64><i8>r, 1);
  } else if (size == 2) {
    const r = <i64><i16>reg16(REG_EAX) * s;
    setReg16(REG_EAX, <u32>r);
    setReg16(REG_EDX, <u32>(r >> 16));
    mulFlags(<u32>r, r != <i64><i16>r, 2);
  } else {
    const r = <i64><i32>reg32(REG_EAX) * s;
    setReg32(REG_EAX, <u32>r);
    setReg32(REG_EDX, <u32>(r >> 32));
    mulFlags(<u32>r, r != <i64><i32>r, 4);
  }
}

function imulTruncated(a: u32, b: u32, size: i32): u32 {
  const r = sext(a, size) * sext(b, size);
  const low = <u32>r & sizeMask(size);
  mulFlags(low, r != sext(low, size), size);
  return low;
}
/** 0F AF: IMUL Gv,Ev. */
export function opImulGvEv(): void { decodeModrm(); writeG(opSize, imulTruncated(readG(opSize), readE(opSize), opSize)); }
/** 69: IMUL Gv,Ev,Iz. */
export function opImulGvEvIz(): void { decodeModrm(); const a = readE(opSize); writeG(opSize, imulTruncated(a, fetchImm(), opSize)); }
/** 6B: IMUL Gv,Ev,Ib (sign-extended). */
export function opImulGvEvIb(): void { decodeModrm(); const a = readE(opSize); writeG(opSize, imulTruncated(a, fetchSimm8(), opSize)); }

/** F6/F7 /6: unsigned divide of the accumulator pair by E. */
export function divE(size: i32): void {
  const d = <u64>readE(size);
  if (d == 0) raiseFault(EXC_DE, -1);
  if (size == 1) {
    const n = <u64>reg16(REG_EAX);
    const q = n / d;
    if (q > 0xff) raiseFault(EXC_DE, -1);
    setReg16(REG_EAX, <u32>q | (<u32>(n % d) << 8));
  } else if (size == 2) {
    const n = (<u64>reg16(REG_EDX) << 16) | <u64>reg16(REG_EAX);
    const q = n / d;
    if (q > 0xffff) raiseFault(EXC_DE, -1);
    setReg16(REG_EAX, <u32>q);
    setReg16(REG_EDX, <u32>(n % d));
  } else {
    const n = (<u64>reg32(REG_EDX) << 32) | <u64>reg32(REG_EAX);
    const q = n / d;
    if (q > 0xffffffff) raiseFault(EXC_DE, -1);
    setReg32(REG_EAX, <u32>q);
    setReg32(REG_EDX, <u32>(n % d));
  }
}

/** F6/F7 /7: signed divide (quotient truncates toward zero, remainder takes the dividend's sign). */
export function idivE(size: i32): void {
  const d = sext(readE(size), size);
  if (d == 0) raiseFault(EXC_DE, -1);
  if (size == 1) {
    const n = <i64><i16>reg16(REG_EAX);
    const q = n / d;
    if (q > 127 || q < -128) raiseFault(EXC_DE, -1);
    setReg16(REG_EAX, (<u32>q & 0xff) | ((<u32>(n % d) & 0xff) << 8));
  } else if (size == 2) {
    const n = <i64><i32>((reg16(REG_EDX) << 16) | reg16(REG_EAX));
    const q = n / d;
    if (q > 32767 || q < -32768) raiseFault(EXC_DE, -1);
    setReg16(REG_EAX, <u32>q);
    setReg16(REG_EDX, <u32>(n % d));
  } else {
    const n = <i64>((<u64>reg32(REG_EDX) << 32) | <u64>reg32(REG_EAX));
    // i64.MIN / -1 would trap in Wasm; its quotient does not fit 32 bits anyway.
    if (n == i64.MIN_VALUE && d == -1) raiseFault(EXC_DE, -1);
    const q = n / d;
    if (q > 2147483647 || q < -2147483648) raiseFault(EXC_DE, -1);
    setReg32(REG_EAX, <u32>q);
    setReg32(REG_EDX, <u32>(n % d));
  }
}
