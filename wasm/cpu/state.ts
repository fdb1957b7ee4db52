// Architected register state of this vCPU. It lives in the vCPU's run page (the sync-regs area),
// so the host reads and edits it in place. EIP is the one register kept in a Wasm global while
// running (it changes every instruction); syncOut() stores it, syncIn() reloads it.
// Invariant: between instructions, memory holds every register except EIP and EFLAGS' arithmetic
// bits (see flags.ts), which syncOut() materializes at every exit.

import {
  RP_GPR, RP_EIP, RP_SEGS, SEG_SIZE, SEG_SELECTOR, SEG_BASE, SEG_LIMIT, SEG_ACCESS,
  RP_CR0, SEG_CS,
} from "../abi/run-page";
import { setAccessUser } from "../mmu/tlb";

/** Byte address of this vCPU's run page; set once by init(). */
export let vcpu: u32 = 0;
export function setVcpuBase(base: u32): void { vcpu = base; }

/** EIP of the next instruction to execute. */
export let eip: u32 = 0;
export function setEip(v: u32): void { eip = v; }

/** EIP and ESP at the start of the current instruction (a fault rolls back to them). */
export let instrStartEip: u32 = 0;
export let instrStartEsp: u32 = 0;
export function markInstructionStart(): void {
  instrStartEip = eip;
  instrStartEsp = load<u32>(vcpu + (REG_ESP << 2), RP_GPR);
}

// GPR numbers in x86 encoding order.
export const REG_EAX = 0;
export const REG_ECX = 1;
export const REG_EDX = 2;
export const REG_EBX = 3;
export const REG_ESP = 4;
export const REG_EBP = 5;
export const REG_ESI = 6;
export const REG_EDI = 7;

@inline export function reg32(r: i32): u32 { return load<u32>(vcpu + (<u32>r << 2), RP_GPR); }
@inline export function setReg32(r: i32, v: u32): void { store<u32>(vcpu + (<u32>r << 2), v, RP_GPR); }
@inline export function reg16(r: i32): u32 { return load<u16>(vcpu + (<u32>r << 2), RP_GPR); }
@inline export function setReg16(r: i32, v: u32): void { store<u16>(vcpu + (<u32>r << 2), <u16>v, RP_GPR); }
/** 8-bit register r: 0-3 are AL CL DL BL, 4-7 are AH CH DH BH (byte 1 of registers 0-3). */
@inline export function reg8(r: i32): u32 { return load<u8>(vcpu + ((<u32>r & 3) << 2) + (<u32>r >> 2), RP_GPR); }
@inline export function setReg8(r: i32, v: u32): void { store<u8>(vcpu + ((<u32>r & 3) << 2) + (<u32>r >> 2), <u8>v, RP_GPR); }

/** Register of `size` bytes (1, 2, 4). */
export function regN(r: i32, size: i32): u32 {
  if (size == 4) return reg32(r);
  if (size == 2) return reg16(r);
  return reg8(r);
}
export function setRegN(r: i32, size: i32, v: u32): void {
  if (size == 4) setReg32(r, v);
  else if (size == 2) setReg16(r, v);
  else setReg8(r, v);
}

// Segment registers (SEG_* numbers from the ABI: ES CS SS DS FS GS TR LDTR).
@inline export function segSelector(s: i32): u32 { return load<u32>(vcpu + <u32>s * SEG_SIZE, RP_SEGS + SEG_SELECTOR); }
@inline export function segBase(s: i32): u32 { return load<u32>(vcpu + <u32>s * SEG_SIZE, RP_SEGS + SEG_BASE); }
@inline export function segLimit(s: i32): u32 { return load<u32>(vcpu + <u32>s * SEG_SIZE, RP_SEGS + SEG_LIMIT); }
@inline export function segAccess(s: i32): u32 { return load<u32>(vcpu + <u32>s * SEG_SIZE, RP_SEGS + SEG_ACCESS); }
/** CS.base, cached for instruction fetch (kept equal to the run page's copy by setSegment/refreshCodeSize). */
export let csBase: u32 = 0;

export function setSegment(s: i32, selector: u32, base: u32, limit: u32, access: u32): void {
  const p = vcpu + <u32>s * SEG_SIZE;
  store<u32>(p, selector & 0xffff, RP_SEGS + SEG_SELECTOR);
  store<u32>(p, base, RP_SEGS + SEG_BASE);
  store<u32>(p, limit, RP_SEGS + SEG_LIMIT);
  store<u32>(p, access, RP_SEGS + SEG_ACCESS);
  if (s == SEG_CS) refreshCodeSize();
}

/** Access-rights bits (VMX layout) used by the core. */
export const AR_TYPE_ACCESSED = 0x1;
export const AR_S = 0x10;
export const AR_PRESENT = 0x80;
export const AR_DB = 0x4000;
export const AR_G = 0x8000;
/** Real-mode data segment: present, writable, accessed. */
export const AR_REAL_DATA = 0x93;
/** Real-mode code segment: present, readable, accessed. */
export const AR_REAL_CODE = 0x9b;

/** Control-register bits (SDM vol. 3, 2.5). */
export const CR0_PE = 0x1;
export const CR0_ET = 0x10;
export const CR0_NW = 0x20000000;
export const CR0_CD = 0x40000000;
export const CR0_PG = 0x80000000;

@inline export function cr0(): u32 { return load<u32>(vcpu, RP_CR0); }
@inline export function protectedMode(): bool { return (load<u32>(vcpu, RP_CR0) & CR0_PE) != 0; }

/** Default operand/address size of the current code segment is 32 bits (CS.D). */
export let code32: bool = false;
/** Current privilege level: CS.RPL in protected mode, 3 in virtual-8086 mode, 0 in real mode. */
export let cpl: u32 = 0;
/**
 * In virtual-8086 mode. Entering it is not implemented yet (IRET/task switch to VM=1 stop with
 * INTERNAL_ERROR), so this stays false; the VM-entry code will set it with setVm86().
 */
export let vm86: bool = false;
export function setVm86(on: bool): void { vm86 = on; }
/** Recompute the code size and CPL after CS, CR0.PE or EFLAGS.VM changed. */
export function refreshCodeSize(): void {
  csBase = segBase(SEG_CS);
  const pe = protectedMode();
  code32 = pe && !vm86 && (segAccess(SEG_CS) & AR_DB) != 0;
  cpl = !pe ? 0 : vm86 ? 3 : segSelector(SEG_CS) & 3;
  setAccessUser(cpl == 3);
}
