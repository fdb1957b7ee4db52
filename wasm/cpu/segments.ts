// Segment register loads and descriptor-table reads.
// Real mode: base = selector << 4; limit and access rights keep their cached values (so "unreal"
// mode works as on hardware). Protected mode: the descriptor is read from the GDT or LDT with
// supervisor privilege, checked (SDM vol. 3, 5.5-5.8: type, present, RPL/CPL/DPL), its
// accessed bit set, and cached in the segment register.

import { SEG_CS, SEG_SS, SEG_LDTR, RP_GDTR_BASE, RP_GDTR_LIMIT } from "../abi/run-page";
import {
  vcpu, protectedMode, setSegment, segBase, segLimit, segAccess, cpl, AR_S, AR_PRESENT, AR_G,
} from "./state";
import { readLin32, writeLin8, readLin8 } from "../mmu/memory";
import { beginSystemAccess, endSystemAccess, invalidateFetch } from "../mmu/tlb";
import { raiseFault, EXC_GP, EXC_NP, EXC_SS } from "./fault";
import { flagBit, FLAG_VM } from "./flags";

/** The descriptor last read by readDescriptor(): its two dwords and its address. */
export let descLo: u32 = 0;
export let descHi: u32 = 0;
export let descAddr: u32 = 0;

/**
 * Where `selector`'s descriptor is in the GDT or LDT: returns true and sets `lookupAddr`, or false
 * when the selector lies outside its table (or names the LDT while LDTR is null).
 */
export let lookupAddr: u32 = 0;
export function lookupDescriptor(selector: u32): bool {
  const index = selector & 0xfff8;
  let base: u32, limit: u32;
  if (selector & 4) {
    if ((segAccess(SEG_LDTR) & AR_PRESENT) == 0) return false; // null LDT
    base = segBase(SEG_LDTR); limit = segLimit(SEG_LDTR);
  } else { base = load<u32>(vcpu, RP_GDTR_BASE); limit = load<u32>(vcpu, RP_GDTR_LIMIT); }
  if (index + 7 > limit) return false;
  lookupAddr = base + index;
  return true;
}

/** Linear address of the descriptor for `selector`; `fault` (#GP/#TS) with the selector when outside its table. */
export function descriptorAddress(selector: u32, fault: i32): u32 {
  if (!lookupDescriptor(selector)) raiseFault(fault, <i32>(selector & 0xfffc));
  return lookupAddr;
}

/** Read the descriptor for `selector` (a system access). Faults with `fault` outside the table. */
export function readDescriptor(selector: u32, fault: i32 = EXC_GP): void {
  const a = descriptorAddress(selector, fault);
  const was = beginSystemAccess();
  descLo = readLin32(a);
  descHi = readLin32(a + 4);
  endSystemAccess(was);
  descAddr = a;
}
/** Base, limit (expanded by G) and VMX access rights of the last descriptor read. */
export function descBase(): u32 { return (descLo >>> 16) | ((descHi & 0xff) << 16) | (descHi & 0xff000000); }
export function descAccess(): u32 { return ((descHi >>> 8) & 0xff) | ((descHi >>> 8) & 0xf000); }
export function descLimit(): u32 {
  const raw = (descLo & 0xffff) | (descHi & 0xf0000);
  return (descAccess() & AR_G) != 0 ? (raw << 12) | 0xfff : raw;
}
export function descDpl(): u32 { return (descAccess() >> 5) & 3; }

/** Set the accessed bit (or, with `bits`, other type bits) of the last descriptor read. */
export function markDescriptor(bits: u32): void {
  const was = beginSystemAccess();
  const a = descAddr + 5;
  const v = readLin8(a);
  if ((v & bits) != bits) writeLin8(a, v | bits);
  endSystemAccess(was);
}

/** Load segment register `s` (not CS) with `selector`, as MOV/POP Sreg and LDS do. */
export function loadSegment(s: i32, selector: u32): void {
  selector &= 0xffff;
  if (!protectedMode() || isVm86()) {
    setSegment(s, selector, selector << 4, s == SEG_CS ? 0xffff : segLimit(s), segAccess(s) | AR_PRESENT);
    if (s == SEG_CS) invalidateFetch();
    return;
  }
  const err = <i32>(selector & 0xfffc);
  if ((selector & 0xfffc) == 0) {
    if (s == SEG_CS || s == SEG_SS) raiseFault(EXC_GP, 0);
    setSegment(s, selector, 0, 0, 0); // null selector: accesses through it are refused later
    return;
  }
  readDescriptor(selector);
  const ar = descAccess();
  const type = ar & 0xf;
  const dpl = descDpl();
  const rpl = selector & 3;
  if ((ar & AR_S) == 0) raiseFault(EXC_GP, err); // system descriptor
  if (s == SEG_SS) {
    if ((type & 0xa) != 0x2 || rpl != cpl || dpl != cpl) raiseFault(EXC_GP, err); // writable data at CPL
    if ((ar & AR_PRESENT) == 0) raiseFault(EXC_SS, err);
  } else if (s == SEG_CS) {
    if ((type & 0x8) == 0) raiseFault(EXC_GP, err); // must be code
    if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, err);
  } else {
    if ((type & 0xa) == 0x8) raiseFault(EXC_GP, err); // execute-only code
    const conformingCode = (type & 0xc) == 0xc;
    if (!conformingCode && (rpl > dpl || cpl > dpl)) raiseFault(EXC_GP, err);
    if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, err);
  }
  markDescriptor(1);
  setSegment(s, selector, descBase(), descLimit(), ar | 1);
  if (s == SEG_CS) invalidateFetch();
}

/** Load CS from the last descriptor read, with the given selector (RPL already the new CPL). */
export function loadCodeSegmentFromDescriptor(selector: u32): void {
  markDescriptor(1);
  setSegment(SEG_CS, selector, descBase(), descLimit(), descAccess() | 1);
  invalidateFetch();
}

@inline function isVm86(): bool { return flagBit(FLAG_VM); }
