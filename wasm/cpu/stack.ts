// The stack: SS:SP or SS:ESP, per SS.B (always 16-bit in real mode).

import { SEG_SS } from "../abi/run-page";
import { reg32, setReg32, setReg16, segBase, segAccess, protectedMode, REG_ESP, AR_DB } from "./state";
import { readLin16, readLin32, writeLin16, writeLin32 } from "../mmu/memory";

/** The stack pointer is ESP (32-bit stack segment) rather than SP. */
@inline export function stack32(): bool { return protectedMode() && (segAccess(SEG_SS) & AR_DB) != 0; }

@inline function sp(): u32 { return stack32() ? reg32(REG_ESP) : reg32(REG_ESP) & 0xffff; }
@inline function setSp(v: u32): void { if (stack32()) setReg32(REG_ESP, v); else setReg16(REG_ESP, v); }
@inline function stackMask(): u32 { return stack32() ? 0xffffffff : 0xffff; }

export function push16(v: u32): void {
  const s = (sp() - 2) & stackMask();
  writeLin16(segBase(SEG_SS) + s, v);
  setSp(s);
}
export function push32(v: u32): void {
  const s = (sp() - 4) & stackMask();
  writeLin32(segBase(SEG_SS) + s, v);
  setSp(s);
}
/** Push an operand of `size` bytes (2 or 4). */
export function pushN(size: i32, v: u32): void { if (size == 4) push32(v); else push16(v); }

export function pop16(): u32 {
  const s = sp();
  const v = readLin16(segBase(SEG_SS) + s);
  setSp((s + 2) & stackMask());
  return v;
}
export function pop32(): u32 {
  const s = sp();
  const v = readLin32(segBase(SEG_SS) + s);
  setSp((s + 4) & stackMask());
  return v;
}
export function popN(size: i32): u32 { return size == 4 ? pop32() : pop16(); }

/** Read the stack at SP + `delta` without popping. */
export function peekN(size: i32, delta: u32): u32 {
  const a = segBase(SEG_SS) + ((sp() + delta) & stackMask());
  return size == 4 ? readLin32(a) : readLin16(a);
}
/** Move the stack pointer by `delta` bytes. */
export function adjustSp(delta: u32): void { setSp((sp() + delta) & stackMask()); }
