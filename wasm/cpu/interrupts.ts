// Interrupt and exception delivery, and IRET.
// Real mode: through the IVT at IDTR.base (FLAGS, CS, IP pushed; IF and TF cleared).
// Protected mode: through 16- and 32-bit interrupt and trap gates to a code segment of the same
// privilege. Privilege changes, task gates and virtual-8086 mode stop the VM with
// INTERNAL_ERROR_EMULATION until the protected-mode issue implements them.

import { SEG_CS, RP_IDTR_BASE, RP_IDTR_LIMIT } from "../abi/run-page";
import { vcpu, eip, setEip, segSelector, protectedMode } from "./state";
import {
  getFlags, setFlags, setFlagBit, flagsBase, FLAG_IF, FLAG_TF, FLAG_NT, FLAG_RF, FLAG_VM, FLAG_AC,
  FLAG_IOPL,
} from "./flags";
import { push16, push32, pop16, pop32, pushN, popN } from "./stack";
import { loadSegment, readDescriptor, descAccess } from "./segments";
import { readLin16, readLin32 } from "../mmu/memory";
import { raiseFault, unimplemented, EXC_GP, EXC_NP } from "./fault";

/** Current privilege level. */
export function cpl(): u32 { return protectedMode() ? segSelector(SEG_CS) & 3 : 0; }

/**
 * Deliver interrupt `vector`. `errorCode` < 0 means none is pushed; `software` is true for INT n,
 * INT3 and INTO (gate DPL is checked). EIP must already be the return address.
 */
export function deliverInterrupt(vector: i32, errorCode: i32, software: bool): void {
  if (!protectedMode()) { deliverReal(vector); return; }
  deliverProtected(vector, errorCode, software);
}

function deliverReal(vector: i32): void {
  // An IVT entry beyond IDTR.limit is #GP; failing again makes #DF, then a triple fault.
  if ((<u32>vector << 2) + 3 > load<u32>(vcpu, RP_IDTR_LIMIT)) raiseFault(EXC_GP, (vector << 3) | 2);
  const entry = load<u32>(vcpu, RP_IDTR_BASE) + (<u32>vector << 2);
  const newIp = readLin16(entry);
  const newCs = readLin16(entry + 2);
  push16(getFlags());
  push16(segSelector(SEG_CS));
  push16(eip);
  setFlagBit(FLAG_IF, false);
  setFlagBit(FLAG_TF, false);
  setFlagBit(FLAG_AC, false);
  loadSegment(SEG_CS, newCs);
  setEip(newIp);
}

function deliverProtected(vector: i32, errorCode: i32, software: bool): void {
  const gateErr = (vector << 3) | 2 | (software ? 0 : 1);
  if ((<u32>vector << 3) + 7 > load<u32>(vcpu, RP_IDTR_LIMIT)) raiseFault(EXC_GP, gateErr);
  const gate = load<u32>(vcpu, RP_IDTR_BASE) + (<u32>vector << 3);
  const lo = readLin32(gate);
  const hi = readLin32(gate + 4);
  const type = (hi >> 8) & 0x1f;
  const dpl = (hi >> 13) & 3;
  if (type != 0x06 && type != 0x07 && type != 0x0e && type != 0x0f) {
    if (type == 0x05) unimplemented(); // task gate: hardware task switch not implemented yet
    raiseFault(EXC_GP, gateErr);
  }
  if (software && dpl < cpl()) raiseFault(EXC_GP, gateErr);
  if ((hi & 0x8000) == 0) raiseFault(EXC_NP, gateErr);
  if (flagsBase & FLAG_VM) unimplemented(); // from virtual-8086 mode
  const selector = lo >>> 16;
  const offset = (type & 8) != 0 ? (lo & 0xffff) | (hi & 0xffff0000) : lo & 0xffff;
  readDescriptor(selector);
  const targetDpl = (descAccess() >> 5) & 3;
  const conforming = (descAccess() & 4) != 0;
  if (!conforming && targetDpl < cpl()) unimplemented(); // inter-privilege interrupt
  const size = (type & 8) != 0 ? 4 : 2;
  const flags = getFlags();
  const oldCs = segSelector(SEG_CS);
  const level = cpl();
  pushN(size, flags);
  pushN(size, oldCs);
  pushN(size, eip);
  if (errorCode >= 0) pushN(size, <u32>errorCode);
  loadSegment(SEG_CS, (selector & 0xfffc) | level);
  setEip(offset);
  setFlagBit(FLAG_TF, false);
  setFlagBit(FLAG_NT, false);
  setFlagBit(FLAG_RF, false);
  if ((type & 1) == 0) setFlagBit(FLAG_IF, false); // interrupt gate
}

/** IRET / IRETD with operand size `size`. */
export function iret(size: i32): void {
  if (!protectedMode()) {
    const newIp = popN(size);
    const newCs = popN(size);
    const f = popN(size);
    loadSegment(SEG_CS, newCs);
    setEip(size == 4 ? newIp : newIp & 0xffff);
    const keep = size == 4 ? FLAG_VM : 0xffff0000;
    setFlags((getFlags() & keep) | (f & ~keep));
    return;
  }
  if (flagsBase & (FLAG_NT | FLAG_VM)) unimplemented(); // task return / from virtual-8086 mode
  const newIp = popN(size);
  const newCs = popN(size) & 0xffff;
  const f = popN(size);
  if ((newCs & 3) != cpl()) unimplemented(); // return to another privilege level
  const level = cpl();
  loadSegment(SEG_CS, newCs);
  setEip(newIp);
  let keep: u32 = size == 4 ? FLAG_VM : 0xffff0000;
  if (level > 0) keep |= FLAG_IOPL;
  if (level > ((getFlags() & FLAG_IOPL) >> 12)) keep |= FLAG_IF;
  setFlags((getFlags() & keep) | (f & ~keep));
}

// push16/push32/pop16/pop32 are re-exported for ops that build frames by hand.
export { push16, push32, pop16, pop32 };
