// Bit test and scan: BT BTS BTR BTC (0F A3 AB B3 BB, and 0F BA /4-/7 with imm8), BSF, BSR.
// With a register bit offset and a memory operand, the offset addresses memory beyond the operand
// (signed, in operand-size units), as on hardware.
// Undefined flags (docs/cpu-flags.md): BT* leave OF SF AF PF unchanged (ZF is defined: unchanged).
// BSF/BSR with a zero source leave the destination unchanged (as Intel and AMD CPUs do) and set
// ZF PF and clear CF OF AF SF (AMD Zen and QEMU); with a non-zero source they clear CF OF AF SF and
// set PF from the result (AMD Zen).

import { opSize, modrmMod, modrmReg, decodeModrm, readE, writeE, readG, writeG, fetch8, eaLinear } from "./decode";
import { readLinN, writeLinN } from "../mmu/memory";
import { setArithFlags, szp, FLAG_CF, FLAG_ZF, FLAG_PF, ARITH_FLAGS } from "./flags";
import { unimplemented } from "./fault";

export const BIT_BT = 0;
export const BIT_BTS = 1;
export const BIT_BTR = 2;
export const BIT_BTC = 3;

function bitOp(kind: i32, offset: u32, registerOffset: bool): void {
  const size = opSize;
  const w = <u32>size * 8;
  let v: u32, lin: u32 = 0;
  let bit: u32;
  if (modrmMod == 3) {
    v = readE(size);
    bit = offset & (w - 1);
  } else {
    let delta: i32 = 0;
    if (registerOffset) {
      const signed = size == 4 ? <i32>offset : <i32><i16>offset;
      delta = (signed >> (size == 4 ? 5 : 4)) * size;
    }
    lin = eaLinear(<u32>delta);
    v = readLinN(lin, size);
    bit = offset & (w - 1);
  }
  const cf = (v >> bit) & 1;
  setArithFlags(FLAG_CF, cf);
  if (kind == BIT_BT) return;
  let r = v;
  if (kind == BIT_BTS) r = v | (<u32>1 << bit);
  else if (kind == BIT_BTR) r = v & ~(<u32>1 << bit);
  else r = v ^ (<u32>1 << bit);
  if (modrmMod == 3) writeE(size, r); else writeLinN(lin, size, r);
}
export function opBtEvGv(kind: i32): void { decodeModrm(); bitOp(kind, readG(opSize), true); }
/** 0F BA: group 8, BT* Ev,Ib. */
export function opGroup8EvIb(): void {
  decodeModrm();
  if (modrmReg < 4) unimplemented();
  bitOp(modrmReg - 4, fetch8(), false);
}

export function opBsfGvEv(): void {
  decodeModrm();
  const v = readE(opSize);
  if (v == 0) { setArithFlags(ARITH_FLAGS, FLAG_ZF | FLAG_PF); return; }
  const r = ctz<u32>(v);
  writeG(opSize, r);
  setArithFlags(ARITH_FLAGS, szp(r, 4) & ~FLAG_ZF);
}
export function opBsrGvEv(): void {
  decodeModrm();
  const v = readE(opSize);
  if (v == 0) { setArithFlags(ARITH_FLAGS, FLAG_ZF | FLAG_PF); return; }
  const r = 31 - clz<u32>(v);
  writeG(opSize, r);
  setArithFlags(ARITH_FLAGS, szp(r, 4) & ~FLAG_ZF);
}
