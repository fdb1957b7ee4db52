// x87 FPU architected state, kept in the vCPU's run page at RP_FPU (RP_FPU_SIZE = 0x200 bytes) so
// the host can snapshot and restore it with the rest of the run page. Nothing persistent lives in
// Wasm globals: `sw` below is a per-instruction working copy, reloaded at every FPU instruction.
//
// Layout (byte offsets from RP_FPU; little-endian, like the legacy part of the FXSAVE image):
//   0x00 u16  FCW   control word (bit 6 reads as 1; bits 7, 13-15 read as 0)
//   0x02 u16  FSW   status word, TOP in bits 11-13 (the only copy of TOP)
//   0x04 u8   FTW   abridged tag: bit i = 1 when PHYSICAL register R_i is not empty (FXSAVE form;
//                   the full 2-bit tags of FSTENV/FSAVE are computed from the register contents)
//   0x05 u8   reserved, 0
//   0x06 u16  FOP   last non-control opcode: ((first byte & 7) << 8) | ModR/M byte
//   0x08 u32  FIP   offset of the last non-control instruction (its first prefix byte)
//   0x0c u16  FCS   its CS selector
//   0x10 u32  FDP   offset of its memory operand (unchanged by instructions without one)
//   0x14 u16  FDS   that operand's segment selector
//   0x18 u32  MXCSR XOR 0x1F80, so that a zero-filled area reads as the default 0x1F80 (there is no
//             SSE in this core: MXCSR is only saved and restored by FXSAVE/FXRSTOR)
//   0x20 + 16*i     PHYSICAL register R_i (not ST(i)): u64 significand with explicit integer bit
//                   at +0, u16 sign/exponent at +8, 6 bytes reserved (0). ST(i) is R_((TOP + i) & 7).
//   0xa0..0xff      unused
//   0x100..0x19f    scratch, not state: FLDENV/FRSTOR/FXRSTOR stage the whole image here so that a
//                   fault while reading it changes nothing
// An all-zero area is a valid state: CW 0 (all exceptions unmasked, 24-bit precision), all
// registers empty, MXCSR 0x1F80. fpuReset() sets the power-on state, FNINIT the usual 037F one.
//
// Arithmetic is exact 80-bit extended precision (softfloat.ts, after SoftFloat 3e as specialized for
// the x87 by Bochs): FADD..FDIVR, FSQRT, FPREM/FPREM1 (partial remainders with the same reduction
// step as Intel/AMD), FRNDINT, FSCALE, FXTRACT, the compares and every load/store conversion follow
// the x87 rules bit for bit: precision control, the four rounding modes, denormals and
// pseudo-denormals (DE), unsupported encodings (IE), NaN selection, tininess after rounding, C1 as
// the round-up bit, and the unmasked OE/UE responses (bias-adjusted register results, no store to
// memory). tests/core/fpu-native.test.ts checks this against the host's x87 (AMD) case by case.
//
// Deviations from real hardware (chosen, documented):
// - FSIN FCOS FSINCOS FPTAN FPATAN F2XM1 FYL2X FYL2XP1 compute in f64 (JS Math) and round the result
//   to a 53-bit significand: correct to about 1 ulp of double, not of extended precision, and FSIN/
//   FCOS/FPTAN reduce large arguments exactly instead of with the x87's 66-bit pi. Their special
//   operands (zeros, infinities, NaNs, denormals, |x| >= 2^63 with C2, out-of-domain arguments of
//   F2XM1/FYL2XP1 returned unchanged) follow the x87. They set PE on inexact results, never C1.
// - With CR0.NE=0 a pending unmasked exception is ignored (TODO: FERR#/IRQ13 through the PIC);
//   with NE=1 it raises #MF(16) at the next waiting FPU instruction or FWAIT, EIP at that one.
// - FNSTENV/FNSAVE store the real-mode layout (linear FIP/FDP) in real and virtual-8086 mode, the
//   protected-mode layout otherwise; FLDENV/FRSTOR of a real-mode image set FCS/FDS to 0 and
//   FIP/FDP to the linear addresses.
// - Stores update FIP/FDP/FOP before the memory write: if that write faults, the pointers already
//   name the faulting store (the store's result and the stack are untouched). A m64/m80 store is
//   several writes: a fault on a later one leaves the earlier bytes written.
// - FXSAVE writes MXCSR, MXCSR_MASK (0x0000FFFF) and zeros for XMM0-7 (bytes 160-287); bytes
//   288-511 are left untouched. FXRSTOR #GP(0)s on MXCSR bits outside the mask, ignores the XMM area.
//   FOP/FIP/FDP are always saved (AMD saves them only with an exception pending).
// - FISTTP (SSE3) and the reserved encodings stop the VM (unimplemented()); FBLD converts BCD
//   digits > 9 arithmetically (undefined on hardware). FENI/FDISI/FSETPM are no-ops, the
//   undocumented aliases (FCOM2, FCOMP3/5, FXCH4/7, FSTP1/8/9, FFREEP) are implemented.

import { RP_FPU } from "../../abi/run-page";
import { vcpu } from "../state";

export const F_CW: u32 = 0x00;
export const F_SW: u32 = 0x02;
export const F_TAG: u32 = 0x04;
export const F_FOP: u32 = 0x06;
export const F_FIP: u32 = 0x08;
export const F_FCS: u32 = 0x0c;
export const F_FDP: u32 = 0x10;
export const F_FDS: u32 = 0x14;
export const F_MXCSR: u32 = 0x18;
export const F_REGS: u32 = 0x20;

// Status word bits.
export const SW_IE: u32 = 0x0001;
export const SW_DE: u32 = 0x0002;
export const SW_ZE: u32 = 0x0004;
export const SW_OE: u32 = 0x0008;
export const SW_UE: u32 = 0x0010;
export const SW_PE: u32 = 0x0020;
export const SW_SF: u32 = 0x0040;
export const SW_ES: u32 = 0x0080;
export const SW_C0: u32 = 0x0100;
export const SW_C1: u32 = 0x0200;
export const SW_C2: u32 = 0x0400;
export const SW_TOP: u32 = 0x3800;
export const SW_C3: u32 = 0x4000;
export const SW_B: u32 = 0x8000;
export const SW_CC: u32 = SW_C0 | SW_C1 | SW_C2 | SW_C3;
export const SW_EXC: u32 = 0x3f;

// Control word fields.
export const CW_MASKS: u32 = 0x3f;
export const CW_PC_SHIFT: u32 = 8;
export const CW_RC_SHIFT: u32 = 10;
/** Bits kept by FLDCW: masks, PC, RC, X (bit 12); bit 6 always reads as 1. */
export const CW_WRITABLE: u32 = 0x1f3f;

export const MXCSR_DEFAULT: u32 = 0x1f80;
export const MXCSR_MASK: u32 = 0x0000ffff;

/** Working copy of FSW for the instruction in progress (loaded by loadSw, stored by storeSw). */
export let sw: u32 = 0;

@inline export function fpuBase(): u32 { return vcpu + RP_FPU; }
@inline export function fcw(): u32 { return load<u16>(vcpu, RP_FPU + F_CW); }
@inline export function setFcw(v: u32): void { store<u16>(vcpu, <u16>v, RP_FPU + F_CW); }
@inline export function tags(): u32 { return load<u8>(vcpu, RP_FPU + F_TAG); }
@inline export function setTags(v: u32): void { store<u8>(vcpu, <u8>v, RP_FPU + F_TAG); }
export function loadSw(): void { sw = load<u16>(vcpu, RP_FPU + F_SW); }
export function storeSw(): void { store<u16>(vcpu, <u16>sw, RP_FPU + F_SW); }
export function setSw(v: u32): void { sw = v & 0xffff; }

@inline export function top(): u32 { return (sw >> 11) & 7; }
/** Physical register number of ST(i). */
@inline export function phys(i: u32): u32 { return (((sw >> 11) & 7) + i) & 7; }
@inline function regAddr(p: u32): u32 { return vcpu + RP_FPU + F_REGS + (p << 4); }

export function physSig(p: u32): u64 { return load<u64>(regAddr(p)); }
export function physSE(p: u32): u32 { return load<u16>(regAddr(p), 8); }
export function physEmpty(p: u32): bool { return ((tags() >> p) & 1) == 0; }
/** Write physical register p and mark it valid. */
export function setPhys(p: u32, se: u32, sig: u64): void {
  const a = regAddr(p);
  store<u64>(a, sig);
  store<u16>(a, <u16>se, 8);
  setTags(tags() | (1 << p));
}

@inline export function stSig(i: u32): u64 { return physSig(phys(i)); }
@inline export function stSE(i: u32): u32 { return physSE(phys(i)); }
@inline export function stEmpty(i: u32): bool { return physEmpty(phys(i)); }
@inline export function setSt(i: u32, se: u32, sig: u64): void { setPhys(phys(i), se, sig); }
/** Mark ST(i) empty (FFREE). */
export function freeSt(i: u32): void { setTags(tags() & ~(1 << phys(i))); }

/** TOP -= 1 (the caller then writes ST(0)). */
export function pushTop(): void { sw = (sw & ~SW_TOP) | (((top() - 1) & 7) << 11); }
/** Mark ST(0) empty and TOP += 1. */
export function popTop(): void {
  freeSt(0);
  sw = (sw & ~SW_TOP) | (((top() + 1) & 7) << 11);
}

/** The 2-bit tag of physical register p: 0 valid, 1 zero, 2 special, 3 empty. */
export function fullTag(p: u32): u32 {
  if (physEmpty(p)) return 3;
  const e = physSE(p) & 0x7fff;
  const s = physSig(p);
  if (e == 0) return s == 0 ? 1 : 2;
  if (e == 0x7fff) return 2;
  return (s >> 63) != 0 ? 0 : 2; // unnormals are special
}
/** The full tag word (FSTENV/FSAVE). */
export function tagWord(): u32 {
  let t: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) t |= fullTag(p) << (p << 1);
  return t;
}
/** Load the abridged tags from a full tag word (FLDENV/FRSTOR: only "empty" matters). */
export function setTagWord(t: u32): void {
  let a: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) if (((t >> (p << 1)) & 3) != 3) a |= 1 << p;
  setTags(a);
}

/** FNINIT: CW 037F, SW 0, all empty, pointers and opcode cleared. Registers keep their contents. */
export function fpuInit(): void {
  const b = vcpu + RP_FPU;
  store<u16>(b, 0x037f, F_CW);
  store<u16>(b, 0, F_SW);
  store<u8>(b, 0, F_TAG);
  store<u8>(b, 0, F_TAG + 1);
  store<u16>(b, 0, F_FOP);
  store<u32>(b, 0, F_FIP);
  store<u32>(b, 0, F_FCS);
  store<u32>(b, 0, F_FDP);
  store<u32>(b, 0, F_FDS);
  sw = 0;
}

/**
 * Power-on/RESET state (SDM vol. 3, table 9-1): CW 0040, SW 0, tag word 5555 (all registers
 * valid zeros), pointers 0, MXCSR 1F80. To be called from the core's reset().
 */
export function fpuReset(): void {
  const b = vcpu + RP_FPU;
  for (let o: u32 = 0; o < 0x200; o += 8) store<u64>(b + o, 0);
  store<u16>(b, 0x0040, F_CW);
  store<u8>(b, 0xff, F_TAG);
  sw = 0;
}

/** MXCSR (stored XOR MXCSR_DEFAULT). */
export function mxcsr(): u32 { return load<u32>(vcpu, RP_FPU + F_MXCSR) ^ MXCSR_DEFAULT; }
export function setMxcsr(v: u32): void { store<u32>(vcpu, v ^ MXCSR_DEFAULT, RP_FPU + F_MXCSR); }
