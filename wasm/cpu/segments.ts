// Segment register loads and descriptor-table reads.
// Real mode: base = selector << 4; limit and access rights keep their cached values (so "unreal"
// mode works as on hardware). Protected mode: the descriptor is read from the GDT or LDT.
// Implemented checks: selector within the table limit (#GP), present (#NP / #SS), null CS/SS
// (#GP), data loads of non-readable code or system descriptors (#GP). Privilege checks
// (RPL/CPL/DPL), conforming segments and gates come with the protected-mode issue.

import {
  SEG_CS, SEG_SS, SEG_LDTR, RP_GDTR_BASE, RP_GDTR_LIMIT,
} from "../abi/run-page";
import {
  vcpu, protectedMode, setSegment, segBase, segLimit, segAccess, AR_S, AR_PRESENT, AR_G,
} from "./state";
import { readLin32, writeLin8, readLin8 } from "../mmu/memory";
import { raiseFault, EXC_GP, EXC_NP, EXC_SS } from "./fault";
import { invalidateFetch } from "../mmu/memory";

/** The descriptor last read by readDescriptor(): its two dwords. */
export let descLo: u32 = 0;
export let descHi: u32 = 0;

/** Linear address of the descriptor for `selector` in the GDT or LDT; #GP(selector) past the limit. */
export function descriptorAddress(selector: u32): u32 {
  const index = selector & 0xfff8;
  let base: u32, limit: u32;
  if (selector & 4) { base = segBase(SEG_LDTR); limit = segLimit(SEG_LDTR); }
  else { base = load<u32>(vcpu, RP_GDTR_BASE); limit = load<u32>(vcpu, RP_GDTR_LIMIT); }
  if (index + 7 > limit) raiseFault(EXC_GP, <i32>(selector & 0xfffc));
  return base + index;
}
export function readDescriptor(selector: u32): void {
  const a = descriptorAddress(selector);
  descLo = readLin32(a);
  descHi = readLin32(a + 4);
}
/** Base, limit (expanded by G) and VMX access rights of the last descriptor read. */
export function descBase(): u32 { return (descLo >>> 16) | ((descHi & 0xff) << 16) | (descHi & 0xff000000); }
export function descAccess(): u32 { return ((descHi >>> 8) & 0xff) | ((descHi >>> 8) & 0xf000); }
export function descLimit(): u32 {
  const raw = (descLo & 0xffff) | (descHi & 0xf0000);
  return (descAccess() & AR_G) != 0 ? (raw << 12) | 0xfff : raw;
}

/** Load segment register `s` with `selector` as MOV Sreg / POP Sreg / LDS do. */
export function loadSegment(s: i32, selector: u32): void {
  selector &= 0xffff;
  if (!protectedMode()) {
    setSegment(s, selector, selector << 4, segLimit(s), segAccess(s) | AR_PRESENT);
    if (s == SEG_CS) invalidateFetch();
    return;
  }
  if ((selector & 0xfffc) == 0) {
    if (s == SEG_CS || s == SEG_SS) raiseFault(EXC_GP, 0);
    setSegment(s, selector, 0, 0, 0); // null selector: any access through it is refused later
    return;
  }
  const addr = descriptorAddress(selector);
  descLo = readLin32(addr);
  descHi = readLin32(addr + 4);
  const ar = descAccess();
  const type = ar & 0xf;
  if ((ar & AR_S) == 0) raiseFault(EXC_GP, <i32>(selector & 0xfffc)); // system descriptor
  if (s == SEG_SS) {
    if ((type & 0xa) != 0x2) raiseFault(EXC_GP, <i32>(selector & 0xfffc)); // must be writable data
    if ((ar & AR_PRESENT) == 0) raiseFault(EXC_SS, <i32>(selector & 0xfffc));
  } else if (s == SEG_CS) {
    if ((type & 0x8) == 0) raiseFault(EXC_GP, <i32>(selector & 0xfffc)); // must be code
    if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, <i32>(selector & 0xfffc));
  } else {
    if ((type & 0xa) == 0x8) raiseFault(EXC_GP, <i32>(selector & 0xfffc)); // execute-only code
    if ((ar & AR_PRESENT) == 0) raiseFault(EXC_NP, <i32>(selector & 0xfffc));
  }
  // Set the accessed bit in the descriptor, as the CPU does.
  if ((type & 1) == 0) writeLin8(addr + 5, readLin8(addr + 5) | 1);
  setSegment(s, selector, descBase(), descLimit(), ar | 1);
  if (s == SEG_CS) invalidateFetch();
}
