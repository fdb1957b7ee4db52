// Group 2 (C0 C1 D0-D3): ROL ROR RCL RCR SHL SHR SAL SAR, and SHLD/SHRD (0F A4/A5/AC/AD).
// Count is masked to 5 bits; a masked count of 0 changes neither the operand nor the flags.
// Flags the SDM leaves undefined (see docs/cpu-flags.md): OF for counts > 1 is the count-1 formula
// applied to the last 1-bit step (so 0 for SHR and SAR), for SHLD/SHRD too; AF after shifts is 0;
// CF for SHL/SHR counts >= width follows the bit arithmetic below.

import { opSize, modrmReg, decodeModrm, readE, writeE, readG, fetch8 } from "./decode";
import { reg8, REG_ECX } from "./state";
import { getCF, setArithFlags, szp, sizeMask, sizeSign, FLAG_CF, FLAG_OF, ARITH_FLAGS } from "./flags";

export const SHIFT_ROL = 0;
export const SHIFT_ROR = 1;
export const SHIFT_RCL = 2;
export const SHIFT_RCR = 3;
export const SHIFT_SHL = 4;
export const SHIFT_SHR = 5;
export const SHIFT_SAL = 6;
export const SHIFT_SAR = 7;

/** Shift/rotate `v` (size bytes) by `count` (already masked to 5 bits) with operation `op`. */
export function shift(op: i32, v: u32, count: u32, size: i32): u32 {
  if (count == 0) return v;
  const w: u32 = <u32>size * 8;
  const mask = sizeMask(size);
  const sign = sizeSign(size);
  v &= mask;
  let r: u32 = 0;
  let cf: u32 = 0;
  let ovf: bool = false;
  switch (op) {
    case SHIFT_ROL: {
      const c = count % w;
      r = c == 0 ? v : ((v << c) | (v >> (w - c))) & mask;
      cf = r & 1;
      ovf = ((r & sign) != 0) != (cf != 0);
      setArithFlags(FLAG_CF | FLAG_OF, cf | (ovf ? FLAG_OF : 0));
      return r;
    }
    case SHIFT_ROR: {
      const c = count % w;
      r = c == 0 ? v : ((v >> c) | (v << (w - c))) & mask;
      cf = (r & sign) != 0 ? 1 : 0;
      ovf = ((r & sign) != 0) != ((r & (sign >> 1)) != 0);
      setArithFlags(FLAG_CF | FLAG_OF, cf | (ovf ? FLAG_OF : 0));
      return r;
    }
    case SHIFT_RCL: {
      const c = <u64>(count % (w + 1));
      if (c == 0) return v;
      // Rotate the (w+1)-bit quantity CF:v left by c.
      const wide: u64 = (<u64>getCF() << <u64>w) | <u64>v;
      const full: u64 = (<u64>1 << <u64>(w + 1)) - 1;
      const rot: u64 = ((wide << c) | (wide >> (<u64>(w + 1) - c))) & full;
      r = <u32>(rot & <u64>mask);
      cf = <u32>(rot >> <u64>w) & 1;
      ovf = ((r & sign) != 0) != (cf != 0);
      setArithFlags(FLAG_CF | FLAG_OF, cf | (ovf ? FLAG_OF : 0));
      return r;
    }
    case SHIFT_RCR: {
      const c = <u64>(count % (w + 1));
      if (c == 0) return v;
      const cin = getCF();
      const wide: u64 = (<u64>cin << <u64>w) | <u64>v;
      const full: u64 = (<u64>1 << <u64>(w + 1)) - 1;
      const rot: u64 = ((wide >> c) | (wide << (<u64>(w + 1) - c))) & full;
      r = <u32>(rot & <u64>mask);
      cf = <u32>(rot >> <u64>w) & 1;
      ovf = ((r & sign) != 0) != ((r & (sign >> 1)) != 0); // the count-1 rule applied to the last step
      setArithFlags(FLAG_CF | FLAG_OF, cf | (ovf ? FLAG_OF : 0));
      return r;
    }
    case SHIFT_SHL: case SHIFT_SAL: {
      const wide: u64 = <u64>v << <u64>count;
      r = <u32>wide & mask;
      cf = <u32>(wide >> <u64>w) & 1;
      ovf = ((r & sign) != 0) != (cf != 0);
      break;
    }
    case SHIFT_SHR: {
      r = count >= 32 ? 0 : v >> count;
      cf = (v >> (count - 1)) & 1;
      ovf = count == 1 && (v & sign) != 0; // the count-1 rule applied to the last step: 0 for counts > 1
      break;
    }
    default: { // SAR
      const sv: i32 = (v & sign) != 0 ? <i32>(v | ~mask) : <i32>v;
      r = <u32>(sv >> <i32>count) & mask;
      cf = <u32>(sv >> <i32>(count - 1)) & 1;
      ovf = false;
      break;
    }
  }
  setArithFlags(ARITH_FLAGS, cf | (ovf ? FLAG_OF : 0) | szp(r, size));
  return r;
}

// C0, C1: by imm8; D0, D1: by 1; D2, D3: by CL.
export function opGroup2EbIb(): void { decodeModrm(); const v = readE(1); writeE(1, shift(modrmReg, v, fetch8() & 31, 1)); }
export function opGroup2EvIb(): void { decodeModrm(); const v = readE(opSize); writeE(opSize, shift(modrmReg, v, fetch8() & 31, opSize)); }
export function opGroup2Eb1(): void { decodeModrm(); writeE(1, shift(modrmReg, readE(1), 1, 1)); }
export function opGroup2Ev1(): void { decodeModrm(); writeE(opSize, shift(modrmReg, readE(opSize), 1, opSize)); }
export function opGroup2EbCl(): void { decodeModrm(); writeE(1, shift(modrmReg, readE(1), reg8(REG_ECX) & 31, 1)); }
export function opGroup2EvCl(): void { decodeModrm(); writeE(opSize, shift(modrmReg, readE(opSize), reg8(REG_ECX) & 31, opSize)); }

/** SHLD/SHRD Ev,Gv by `count` (masked to 5 bits). Counts above 16 with 16-bit operands are undefined. */
function shiftDouble(left: bool, count: u32): void {
  const size = opSize;
  const dst = readE(size);
  const src = readG(size);
  if (count == 0) return;
  const c = <u64>count;
  // 16-bit operands shift dst:src:dst (48 bits), which gives Intel's and QEMU's result for the
  // undefined counts 17-31 and the defined result for counts up to 16.
  const wide16: u64 = (<u64>dst << 32) | (<u64>src << 16) | <u64>dst;
  let r: u32, cf: u32;
  if (left) {
    const wide: u64 = size == 2 ? wide16 : (<u64>dst << 32) | <u64>src; // dst:src
    r = <u32>((wide << c) >> 32) & sizeMask(size);
    cf = <u32>((wide << (c - 1)) >> (size == 2 ? 47 : 63)) & 1;
  } else {
    const wide: u64 = size == 2 ? wide16 : (<u64>src << 32) | <u64>dst; // src:dst
    r = <u32>(wide >> c) & sizeMask(size);
    cf = <u32>(wide >> (c - 1)) & 1;
  }
  // OF: the count-1 rule applied to the last step (for count 1, "the sign changed").
  const sign = sizeSign(size);
  const ovf = ((r & sign) != 0) != (left ? cf != 0 : (r & (sign >> 1)) != 0);
  writeE(size, r);
  setArithFlags(ARITH_FLAGS, cf | (ovf ? FLAG_OF : 0) | szp(r, size));
}
export function opShldEvGvIb(): void { decodeModrm(); const c = fetch8() & 31; shiftDouble(true, c); }
export function opShldEvGvCl(): void { decodeModrm(); shiftDouble(true, reg8(REG_ECX) & 31); }
export function opShrdEvGvIb(): void { decodeModrm(); const c = fetch8() & 31; shiftDouble(false, c); }
export function opShrdEvGvCl(): void { decodeModrm(); shiftDouble(false, reg8(REG_ECX) & 31); }
