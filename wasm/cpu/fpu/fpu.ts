// x87 FPU instructions (D8-DF), FWAIT (9B) and FXSAVE/FXRSTOR (0F AE /0 /1).
// State layout and the deviations from hardware are documented in state.ts; the arithmetic is
// softfloat.ts (exact extended precision), the transcendentals trans.ts (f64).
//
// Every x87 instruction first checks CR0.EM/TS (#NM), then, unless it is a no-wait control
// instruction (FNINIT FNCLEX FNSTCW FNSTSW FNSTENV FNSAVE), a pending unmasked exception (#MF
// with CR0.NE=1). Unmasked exceptions raised by an instruction set ES/B and are delivered at the
// next waiting instruction, as on hardware. Memory operands are read before any state changes;
// stores write memory before the status word and the stack are updated.

import { RP_FPU, SEG_CS } from "../../abi/run-page";
import {
  decodeModrm, modrmMod, modrmReg, modrmRm, eaLinear, eaOff, eaSeg, opSize,
} from "../decode";
import { vcpu, cr0, instrStartEip, segSelector, reg16, setReg16, protectedMode, REG_EAX } from "../state";
import { setArithFlags, getCF, getZF, getPF, flagsBase, FLAG_CF, FLAG_PF, FLAG_AF, FLAG_ZF, FLAG_SF, FLAG_OF, FLAG_VM } from "../flags";
import { readLin8, readLin16, readLin32, writeLin8, writeLin16, writeLin32 } from "../../mmu/memory";
import { raiseFault, unimplemented, EXC_NM, EXC_GP } from "../fault";
import {
  sw, loadSw, storeSw, setSw, fcw, setFcw, tags, setTags, stSE, stSig, stEmpty, setSt, freeSt,
  pushTop, popTop, phys, physSE, physSig, setPhys, tagWord, setTagWord, fpuInit,
  F_CW, F_SW, F_TAG, F_FOP, F_FIP, F_FCS, F_FDP, F_FDS, F_MXCSR, F_REGS,
  SW_IE, SW_DE, SW_ZE, SW_OE, SW_UE, SW_PE, SW_SF, SW_ES, SW_B, SW_C0, SW_C1, SW_C2, SW_C3, SW_CC,
  CW_WRITABLE, MXCSR_MASK, mxcsr, setMxcsr,
} from "./state";
import {
  sfBegin, sfFlags, sfRoundUp, sfRC, raise, zSE, zSig, sfAdd, sfMul, sfDiv, sfSqrt, sfCompare,
  sfRoundToInt, sfScale, sfExtract, exSE, exSig, sfRem, remQ, f32ToExt, f64ToExt, srcDenormal,
  quietLoadedNaN, i64ToExt, extToF32, extToF64, extToInt, isNaN80, isUnsupported,
  REL_LESS, REL_EQUAL, REL_GREATER, REL_UNORDERED, NAN_SE, NAN_SIG, RC_DOWN, RC_UP, RC_CHOP,
  sfSetZ, sfSetFlags,
} from "./softfloat";
import { trig, patan, yl2x, yl2xp1, f2xm1 } from "./trans";

export const EXC_MF = 16;
const CR0_MP: u32 = 0x2;
const CR0_EM: u32 = 0x4;
const CR0_TS: u32 = 0x8;
const CR0_NE: u32 = 0x20;
const TOP64: u64 = 0x8000000000000000;

// ---- Entry checks, pointers, exception bookkeeping ----------------------------------------------
@inline function checkNM(): void {
  if ((cr0() & (CR0_EM | CR0_TS)) != 0) raiseFault(EXC_NM, -1);
}
/** A waiting instruction with an unmasked exception pending: #MF when CR0.NE=1. */
function checkPending(): void {
  if ((load<u16>(vcpu, RP_FPU + F_SW) & SW_ES) != 0 && (cr0() & CR0_NE) != 0) raiseFault(EXC_MF, -1);
  // CR0.NE=0 (MS-DOS compatible FERR#/IRQ13 reporting) is not modelled: the instruction runs.
}

let curOp: u32 = 0;
/** Record FIP/FCS/FOP (and FDP/FDS for a memory operand) of a non-control instruction. */
function notePointers(): void {
  const b = vcpu + RP_FPU;
  store<u16>(b, <u16>(((curOp & 7) << 8) | (<u32>modrmMod << 6) | (<u32>modrmReg << 3) | <u32>modrmRm), F_FOP);
  store<u32>(b, instrStartEip, F_FIP);
  store<u16>(b, <u16>segSelector(SEG_CS), F_FCS);
  if (modrmMod != 3) {
    store<u32>(b, eaOff, F_FDP);
    store<u16>(b, <u16>segSelector(eaSeg), F_FDS);
  }
}
/** Start a non-control instruction whose memory reads are done: pointers, SW, C1 = 0. */
function begin(): void {
  notePointers();
  loadSw();
  setSw(sw & ~SW_C1);
}

/**
 * Fold the flags of the last softfloat operation into `sw` (x87 precedence: IE and ZE alone; an
 * unmasked DE stops the instruction; PE sets C1 on round-up; unmasked OE/UE keep the bias-adjusted
 * result for a register destination, suppress a memory store). Returns true when the result must
 * not be written.
 */
function finish(isStore: bool): bool {
  const flags = sfFlags;
  if (flags == 0) return false;
  const before = sw;
  let s = sw;
  let unmasked = flags & ~fcw() & 0x3f;
  if ((flags & (SW_IE | SW_ZE)) != 0) unmasked &= SW_IE | SW_ZE;
  if (unmasked != 0) s |= SW_ES | SW_B;
  if ((flags & SW_IE) != 0) { setSw(s | flags); return unmasked != 0; }
  if ((flags & SW_ZE) != 0) { setSw(s | SW_ZE); return unmasked != 0; }
  if ((flags & SW_DE) != 0) {
    s |= SW_DE;
    if ((unmasked & SW_DE) != 0) { setSw(s); return true; }
  }
  s |= flags;
  if ((flags & SW_PE) != 0 && sfRoundUp) s |= SW_C1;
  unmasked &= ~SW_PE;
  if ((unmasked & (SW_UE | SW_OE)) != 0) {
    if (!isStore) unmasked &= ~(SW_UE | SW_OE);
    else {
      // Nothing is stored: no precision exception is reported and C1 is cleared.
      s &= ~SW_C1;
      if ((before & SW_PE) == 0) s &= ~SW_PE;
    }
  }
  setSw(s);
  return unmasked != 0;
}

/** Stack underflow (an empty operand): IE SF, C1=0. Returns true when masked (continue with NaN). */
function stackUnderflow(): bool {
  let s = (sw & ~SW_C1) | SW_IE | SW_SF;
  const isMasked = (fcw() & SW_IE) != 0;
  if (!isMasked) s |= SW_ES | SW_B;
  setSw(s);
  return isMasked;
}
/** Stack overflow (push onto a full register): IE SF C1; masked: push the real indefinite. */
function stackOverflow(): void {
  let s = sw | SW_IE | SW_SF | SW_C1;
  if ((fcw() & SW_IE) == 0) { setSw(s | SW_ES | SW_B); return; }
  setSw(s);
  pushTop();
  setSt(0, NAN_SE, NAN_SIG);
}
@inline function setCC(bits: u32): void { setSw((sw & ~SW_CC) | bits); }
@inline function imasked(): bool { return (fcw() & SW_IE) != 0; }

// ---- Memory operand helpers ---------------------------------------------------------------------
@inline function rd16(d: u32): u32 { return readLin16(eaLinear(d)); }
@inline function rd32(d: u32): u32 { return readLin32(eaLinear(d)); }
@inline function rd64(d: u32): u64 { const lo = readLin32(eaLinear(d)); return <u64>lo | (<u64>readLin32(eaLinear(d + 4)) << 32); }
@inline function wr16(d: u32, v: u32): void { writeLin16(eaLinear(d), v); }
@inline function wr32(d: u32, v: u32): void { writeLin32(eaLinear(d), v); }
@inline function wr64(d: u32, v: u64): void { writeLin32(eaLinear(d), <u32>v); writeLin32(eaLinear(d + 4), <u32>(v >> 32)); }

// ---- Entry points -------------------------------------------------------------------------------
/** D8-DF: an x87 instruction; `op` is the first opcode byte. */
export function opFpu(op: u32): void {
  checkNM();
  curOp = op;
  decodeModrm();
  if (modrmMod != 3) memoryForm(op);
  else registerForm(op);
}

/** 9B: FWAIT/WAIT: #NM when CR0.MP and TS are both set; #MF for a pending unmasked exception. */
export function opFwait(): void {
  if ((cr0() & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS)) raiseFault(EXC_NM, -1);
  checkPending();
}

/** 0F AE: group 15: FXSAVE (/0), FXRSTOR (/1) with a memory operand. */
export function opGroup15(): void {
  decodeModrm();
  if (modrmMod == 3 || modrmReg > 1) { unimplemented(); return; } // LDMXCSR, fences, CLFLUSH...
  checkNM();
  if ((eaLinear(0) & 15) != 0) raiseFault(EXC_GP, 0);
  if (modrmReg == 0) fxsave(); else fxrstor();
}

// ---- Memory forms -------------------------------------------------------------------------------
function memoryForm(op: u32): void {
  const r = modrmReg;
  switch (op) {
    case 0xd8: { checkPending(); f32ToExt(rd32(0)); memArith(r); return; }
    case 0xdc: { checkPending(); f64ToExt(rd64(0)); memArith(r); return; }
    case 0xda: { checkPending(); i64ToExt(<i64><i32>rd32(0)); memArith(r); return; }
    case 0xde: { checkPending(); i64ToExt(<i64><i16>rd16(0)); memArith(r); return; }
    case 0xd9:
      switch (r) {
        case 0: { checkPending(); f32ToExt(rd32(0)); loadConverted(); return; } // FLD m32
        case 2: storeReal(32, false); return; // FST m32
        case 3: storeReal(32, true); return; // FSTP m32
        case 4: checkPending(); loadEnv(); return; // FLDENV
        case 5: fldcw(); return; // FLDCW
        case 6: fnstenv(); return; // FNSTENV
        case 7: wr16(0, fcw()); return; // FNSTCW
        default: unimplemented(); return;
      }
    case 0xdb:
      switch (r) {
        case 0: { checkPending(); i64ToExt(<i64><i32>rd32(0)); loadExact(); return; } // FILD m32
        case 2: storeInt(32, false); return; // FIST m32
        case 3: storeInt(32, true); return; // FISTP m32
        case 5: { // FLD m80
          checkPending();
          const sig = rd64(0);
          const se = rd16(8);
          sfSetZ(se, sig);
          loadExact();
          return;
        }
        case 7: storeExtended(); return; // FSTP m80
        default: unimplemented(); return; // FISTTP (SSE3), reserved
      }
    case 0xdd:
      switch (r) {
        case 0: { checkPending(); f64ToExt(rd64(0)); loadConverted(); return; } // FLD m64
        case 2: storeReal(64, false); return; // FST m64
        case 3: storeReal(64, true); return; // FSTP m64
        case 4: checkPending(); frstor(); return; // FRSTOR
        case 6: fnsave(); return; // FNSAVE
        case 7: { loadSw(); wr16(0, sw); return; } // FNSTSW m16
        default: unimplemented(); return; // FISTTP (SSE3), reserved
      }
    default: // 0xdf
      switch (r) {
        case 0: { checkPending(); i64ToExt(<i64><i16>rd16(0)); loadExact(); return; } // FILD m16
        case 2: storeInt(16, false); return; // FIST m16
        case 3: storeInt(16, true); return; // FISTP m16
        case 4: fbld(); return; // FBLD
        case 5: { checkPending(); i64ToExt(<i64>rd64(0)); loadExact(); return; } // FILD m64
        case 6: fbstp(); return; // FBSTP
        case 7: storeInt(64, true); return; // FISTP m64
        default: unimplemented(); return; // FISTTP (SSE3)
      }
  }
}

/** ST(0) op= memory operand (already converted into zSE/zSig); reg 2/3 are FCOM/FCOMP. */
function memArith(r: i32): void {
  const bSE = zSE, bSig = zSig, bDen = srcDenormal;
  begin();
  if (r == 2 || r == 3) { compare(bSE, bSig, bDen, false, false, r == 3 ? 1 : 0, false); return; }
  if (stEmpty(0)) {
    if (stackUnderflow()) setSt(0, NAN_SE, NAN_SIG);
    storeSw();
    return;
  }
  const aSE = stSE(0), aSig = stSig(0);
  sfBegin(fcw(), true);
  // A NaN or unsupported operand takes precedence over a denormal memory operand.
  if (bDen && !isNaN80(aSE, aSig) && !isUnsupported(aSE, aSig)) raise(SW_DE);
  arith(r, aSE, aSig, bSE, bSig);
  if (!finish(false)) setSt(0, zSE, zSig);
  storeSw();
}

/** r: 0 add, 1 mul, 4 a-b, 5 b-a, 6 a/b, 7 b/a. */
function arith(r: i32, aSE: u32, aSig: u64, bSE: u32, bSig: u64): void {
  switch (r) {
    case 0: sfAdd(aSE, aSig, bSE, bSig, false); return;
    case 1: sfMul(aSE, aSig, bSE, bSig); return;
    case 4: sfAdd(aSE, aSig, bSE, bSig, true); return;
    case 5: sfAdd(bSE, bSig, aSE, aSig, true); return;
    case 6: sfDiv(aSE, aSig, bSE, bSig); return;
    default: sfDiv(bSE, bSig, aSE, aSig); return;
  }
}

/**
 * Compare ST(0) with (bSE, bSig) into C3 C2 C0 (or ZF PF CF for FCOMI), then pop `pops` times.
 * `bEmpty`: the other operand is an empty register. Expects begin() done.
 */
function compare(bSE: u32, bSig: u64, bDen: bool, bEmpty: bool, quiet: bool, pops: i32, eflags: bool): void {
  if (stEmpty(0) || bEmpty) {
    const m = stackUnderflow();
    if (eflags) setArithFlags(FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF, FLAG_ZF | FLAG_PF | FLAG_CF);
    else setCC(SW_C0 | SW_C2 | SW_C3);
    if (m) for (let i = 0; i < pops; i++) popTop();
    storeSw();
    return;
  }
  sfBegin(fcw(), false);
  const rel = sfCompare(stSE(0), stSig(0), bSE, bSig, quiet);
  if (bDen && rel != REL_UNORDERED) raise(SW_DE);
  // The result is reported even when an unmasked exception suppresses the pop (as on hardware).
  if (eflags) {
    const f = rel == REL_UNORDERED ? FLAG_ZF | FLAG_PF | FLAG_CF : rel == REL_LESS ? FLAG_CF : rel == REL_EQUAL ? FLAG_ZF : 0;
    setArithFlags(FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF, f);
  } else {
    setCC(rel == REL_UNORDERED ? SW_C0 | SW_C2 | SW_C3 : rel == REL_LESS ? SW_C0 : rel == REL_EQUAL ? SW_C3 : 0);
  }
  if (!finish(false)) for (let i = 0; i < pops; i++) popTop();
  storeSw();
}

/** FLD m32/m64: push the converted value (denormal -> DE, SNaN -> IE and quieted). */
function loadConverted(): void {
  const se = zSE, sig = zSig, den = srcDenormal;
  begin();
  if (!stEmpty(7)) { stackOverflow(); storeSw(); return; }
  sfBegin(fcw(), false);
  sfSetZ(se, sig);
  if (den) raise(SW_DE);
  quietLoadedNaN();
  const v = zSE, vs = zSig;
  finish(false);
  if ((sfFlags & SW_IE) != 0 && !imasked()) { storeSw(); return; }
  pushTop();
  setSt(0, v, vs);
  storeSw();
}
/** FILD, FLD m80, FBLD: push zSE/zSig unchanged. */
function loadExact(): void {
  const se = zSE, sig = zSig;
  begin();
  if (!stEmpty(7)) { stackOverflow(); storeSw(); return; }
  pushTop();
  setSt(0, se, sig);
  storeSw();
}

/** FST/FSTP m32/m64. */
function storeReal(bits: i32, pop: bool): void {
  checkPending();
  begin();
  let v: u64;
  if (stEmpty(0)) {
    if (!stackUnderflow()) { storeSw(); return; }
    v = bits == 32 ? 0xffc00000 : 0xfff8000000000000;
  } else {
    sfBegin(fcw(), false);
    v = bits == 32 ? <u64>extToF32(stSE(0), stSig(0)) : extToF64(stSE(0), stSig(0));
    if (finish(true)) { storeSw(); return; }
  }
  if (bits == 32) wr32(0, <u32>v); else wr64(0, v);
  if (pop) popTop();
  storeSw();
}

/** FSTP m80 (exact). */
function storeExtended(): void {
  checkPending();
  begin();
  let se: u32 = NAN_SE, sig: u64 = NAN_SIG;
  if (stEmpty(0)) {
    if (!stackUnderflow()) { storeSw(); return; }
  } else {
    se = stSE(0); sig = stSig(0);
  }
  wr64(0, sig);
  wr16(8, se);
  popTop();
  storeSw();
}

/** FIST/FISTP m16/m32/m64. */
function storeInt(bits: i32, pop: bool): void {
  checkPending();
  begin();
  let v: i64;
  if (stEmpty(0)) {
    if (!stackUnderflow()) { storeSw(); return; }
    v = bits == 64 ? <i64>TOP64 : bits == 32 ? -0x80000000 : -0x8000;
  } else {
    sfBegin(fcw(), false);
    v = extToInt(stSE(0), stSig(0), bits);
    if (finish(true)) { storeSw(); return; }
  }
  if (bits == 16) wr16(0, <u32>v);
  else if (bits == 32) wr32(0, <u32>v);
  else wr64(0, <u64>v);
  if (pop) popTop();
  storeSw();
}

/** FBLD: 18 packed BCD digits and a sign byte. */
function fbld(): void {
  checkPending();
  const lo = rd64(0);
  const hi = rd16(8);
  let v: i64 = 0;
  for (let i = 1; i >= 0; i--) v = v * 10 + <i64>((hi >> (<u32>i * 4)) & 0xf);
  for (let i = 15; i >= 0; i--) v = v * 10 + <i64>((lo >> (<u64>i * 4)) & 0xf);
  i64ToExt(v);
  if ((hi & 0x8000) != 0) sfSetZ(zSE | 0x8000, zSig);
  loadExact();
}

/** FBSTP: round ST(0) per RC, store 18 BCD digits and the sign; pop. */
function fbstp(): void {
  checkPending();
  begin();
  let lo: u64 = 0xc000000000000000, hi: u32 = 0xffff; // the packed BCD indefinite
  if (stEmpty(0)) {
    if (!stackUnderflow()) { storeSw(); return; }
  } else {
    sfBegin(fcw(), false);
    const se = stSE(0);
    let v = extToInt(se, stSig(0), 64);
    const sign = (se & 0x8000) != 0;
    if ((sfFlags & SW_IE) == 0) {
      let mag: u64 = v < 0 ? <u64>(0 - v) : <u64>v;
      if (mag > 999999999999999999) {
        sfSetFlags(SW_IE); // out of range: invalid only
      } else {
        lo = 0;
        for (let i: u64 = 0; i < 16; i++) { lo |= (mag % 10) << (i * 4); mag /= 10; }
        hi = <u32>(mag % 10) | (<u32>((mag / 10) % 10) << 4) | (sign ? 0x8000 : 0);
      }
    }
    if (finish(true)) { storeSw(); return; }
  }
  wr64(0, lo);
  wr16(8, hi);
  popTop();
  storeSw();
}

function fldcw(): void {
  checkPending();
  const v = rd16(0);
  const cw = (v & CW_WRITABLE) | 0x40;
  setFcw(cw);
  loadSw();
  updateSummary(cw);
  storeSw();
}
/** ES and B follow the unmasked exception flags after CW/SW loads. */
function updateSummary(cw: u32): void {
  if ((sw & ~cw & 0x3f) != 0) setSw(sw | SW_ES | SW_B);
  else setSw(sw & ~(SW_ES | SW_B));
}

// ---- Environment: FNSTENV FLDENV FNSAVE FRSTOR ---------------------------------------------------
@inline function realFormat(): bool { return !protectedMode() || (flagsBase & FLAG_VM) != 0; }

/** Write the 14- or 28-byte environment; returns its size. */
function saveEnv(): u32 {
  const b = vcpu + RP_FPU;
  const cw = fcw();
  const s = <u32>load<u16>(b, F_SW);
  const t = tagWord();
  const fip = load<u32>(b, F_FIP), fcs = <u32>load<u16>(b, F_FCS), fop = <u32>load<u16>(b, F_FOP) & 0x7ff;
  const fdp = load<u32>(b, F_FDP), fds = <u32>load<u16>(b, F_FDS);
  if (!realFormat()) {
    if (opSize == 4) {
      wr32(0, 0xffff0000 | cw); wr32(4, 0xffff0000 | s); wr32(8, 0xffff0000 | t);
      wr32(12, fip); wr32(16, fcs | (fop << 16)); wr32(20, fdp); wr32(24, 0xffff0000 | fds);
      return 28;
    }
    wr16(0, cw); wr16(2, s); wr16(4, t); wr16(6, fip); wr16(8, fcs); wr16(10, fdp); wr16(12, fds);
    return 14;
  }
  const lip = (fcs << 4) + fip, ldp = (fds << 4) + fdp;
  if (opSize == 4) {
    wr32(0, 0xffff0000 | cw); wr32(4, 0xffff0000 | s); wr32(8, 0xffff0000 | t);
    wr32(12, 0xffff0000 | (lip & 0xffff)); wr32(16, ((lip & 0xffff0000) >> 4) | fop);
    wr32(20, 0xffff0000 | (ldp & 0xffff)); wr32(24, (ldp & 0xffff0000) >> 4);
    return 28;
  }
  wr16(0, cw); wr16(2, s); wr16(4, t); wr16(6, lip); wr16(8, ((lip & 0xf0000) >> 4) | fop);
  wr16(10, ldp); wr16(12, (ldp & 0xf0000) >> 4);
  return 14;
}

// Staging for FLDENV/FRSTOR/FXRSTOR: every byte is read before any state changes. It lives in
// the FPU area's unused tail (per vCPU; not architected state).
const STAGE: u32 = 0x100; // RP_FPU + 0x100: cw, sw, tag, fop, fip, fcs, fdp, fds (like the state)
const STAGE_REGS: u32 = 0x120; // 8 x (u64 sig, u16 se) in ST order, 16-byte stride

/** Read an environment image into the staging area; returns its size. */
function readEnv(): u32 {
  const st = vcpu + RP_FPU + STAGE;
  let cw: u32, s: u32, t: u32, fip: u32, fcs: u32, fop: u32, fdp: u32, fds: u32, size: u32;
  if (opSize == 4) {
    cw = rd32(0) & 0xffff; s = rd32(4) & 0xffff; t = rd32(8) & 0xffff;
    const w12 = rd32(12), w16 = rd32(16), w20 = rd32(20), w24 = rd32(24);
    if (!realFormat()) {
      fip = w12; fcs = w16 & 0xffff; fop = (w16 >> 16) & 0x7ff; fdp = w20; fds = w24 & 0xffff;
    } else {
      fip = (w12 & 0xffff) | ((w16 & 0x0ffff000) << 4); fcs = 0; fop = w16 & 0x7ff;
      fdp = (w20 & 0xffff) | ((w24 & 0x0ffff000) << 4); fds = 0;
    }
    size = 28;
  } else {
    cw = rd16(0); s = rd16(2); t = rd16(4);
    const w6 = rd16(6), w8 = rd16(8), w10 = rd16(10), w12 = rd16(12);
    if (!realFormat()) {
      fip = w6; fcs = w8; fop = 0; fdp = w10; fds = w12;
    } else {
      fip = w6 | ((w8 & 0xf000) << 4); fcs = 0; fop = w8 & 0x7ff; fdp = w10 | ((w12 & 0xf000) << 4); fds = 0;
    }
    size = 14;
  }
  store<u16>(st, <u16>cw, 0); store<u16>(st, <u16>s, 2); store<u16>(st, <u16>t, 4); store<u16>(st, <u16>fop, 6);
  store<u32>(st, fip, 8); store<u32>(st, fcs, 12); store<u32>(st, fdp, 16); store<u32>(st, fds, 20);
  return size;
}
/** Make the staged environment current (tags from a full tag word). */
function commitEnv(): void {
  const st = vcpu + RP_FPU + STAGE;
  const b = vcpu + RP_FPU;
  const cw = (<u32>load<u16>(st, 0) & CW_WRITABLE) | 0x40;
  setFcw(cw);
  setSw(load<u16>(st, 2));
  setTagWord(load<u16>(st, 4));
  store<u16>(b, load<u16>(st, 6), F_FOP);
  store<u32>(b, load<u32>(st, 8), F_FIP);
  store<u16>(b, <u16>load<u32>(st, 12), F_FCS);
  store<u32>(b, load<u32>(st, 16), F_FDP);
  store<u16>(b, <u16>load<u32>(st, 20), F_FDS);
  updateSummary(cw);
  storeSw();
}

function loadEnv(): void {
  readEnv();
  commitEnv();
}
function fnstenv(): void {
  saveEnv();
  // Then all exceptions are masked (and so none is pending any more).
  setFcw(fcw() | 0x3f);
  loadSw();
  setSw(sw & ~(SW_ES | SW_B));
  storeSw();
}
function fnsave(): void {
  const n = saveEnv();
  loadSw();
  for (let i: u32 = 0; i < 8; i++) {
    wr64(n + i * 10, stSig(i));
    wr16(n + i * 10 + 8, stSE(i));
  }
  fpuInit();
}
function frstor(): void {
  const n = readEnv();
  const st = vcpu + RP_FPU + STAGE_REGS;
  for (let i: u32 = 0; i < 8; i++) {
    store<u64>(st + (i << 4), rd64(n + i * 10));
    store<u16>(st + (i << 4), <u16>rd16(n + i * 10 + 8), 8);
  }
  commitEnv(); // sets sw (TOP) and the tags
  const keep = tags(); // setPhys marks registers valid: the restored tag word decides emptiness
  for (let i: u32 = 0; i < 8; i++) {
    setPhys(phys(i), load<u16>(st + (i << 4), 8), load<u64>(st + (i << 4)));
  }
  setTags(keep);
}

// ---- FXSAVE / FXRSTOR ---------------------------------------------------------------------------
function fxsave(): void {
  const b = vcpu + RP_FPU;
  loadSw();
  wr16(0, fcw());
  wr16(2, sw);
  wr16(4, tags()); // abridged tag byte and a reserved zero byte
  wr16(6, <u32>load<u16>(b, F_FOP) & 0x7ff);
  wr32(8, load<u32>(b, F_FIP));
  wr32(12, <u32>load<u16>(b, F_FCS));
  wr32(16, load<u32>(b, F_FDP));
  wr32(20, <u32>load<u16>(b, F_FDS));
  wr32(24, mxcsr());
  wr32(28, MXCSR_MASK);
  for (let i: u32 = 0; i < 8; i++) {
    const o: u32 = 32 + (i << 4);
    wr64(o, stSig(i));
    wr32(o + 8, stSE(i));
    wr32(o + 12, 0);
  }
  for (let o: u32 = 160; o < 288; o += 4) wr32(o, 0); // XMM0-7: no SSE
}

function fxrstor(): void {
  const st = vcpu + RP_FPU + STAGE;
  const mx = rd32(24);
  if ((mx & ~MXCSR_MASK) != 0) raiseFault(EXC_GP, 0);
  const cw = rd16(0), s = rd16(2), t = readLin8(eaLinear(4)), fop = rd16(6);
  const fip = rd32(8), fcs = rd16(12), fdp = rd32(16), fds = rd16(20);
  for (let i: u32 = 0; i < 8; i++) {
    store<u64>(st + 0x20 + (i << 4), rd64(32 + (i << 4)));
    store<u16>(st + 0x20 + (i << 4), <u16>rd16(40 + (i << 4)), 8);
  }
  // Commit.
  const b = vcpu + RP_FPU;
  const c = (cw & CW_WRITABLE) | 0x40;
  setFcw(c);
  setSw(s);
  store<u16>(b, <u16>(fop & 0x7ff), F_FOP);
  store<u32>(b, fip, F_FIP);
  store<u16>(b, <u16>fcs, F_FCS);
  store<u32>(b, fdp, F_FDP);
  store<u16>(b, <u16>fds, F_FDS);
  setMxcsr(mx);
  for (let i: u32 = 0; i < 8; i++) {
    setPhys(phys(i), load<u16>(st + 0x20 + (i << 4), 8), load<u64>(st + 0x20 + (i << 4)));
  }
  setTags(t);
  updateSummary(c);
  storeSw();
}

// ---- Register forms -----------------------------------------------------------------------------
function registerForm(op: u32): void {
  const r = modrmReg;
  const i = <u32>modrmRm;
  switch (op) {
    case 0xd8: // FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR ST(0), ST(i)
      checkPending();
      begin();
      if (r == 2 || r == 3) { compareSt(i, false, r == 3 ? 1 : 0, false); return; }
      regArith(r, 0, i, false);
      return;
    case 0xdc: // FADD FMUL FSUBR FSUB FDIVR FDIV ST(i), ST(0); /2 /3 are FCOM/FCOMP aliases
      checkPending();
      begin();
      if (r == 2 || r == 3) { compareSt(i, false, r == 3 ? 1 : 0, false); return; }
      regArith(r >= 4 ? r ^ 1 : r, i, 0, false);
      return;
    case 0xde: // the popping forms; DE D9 is FCOMPP, DE /2 the FCOMP alias
      if (r == 3 && i != 1) { unimplemented(); return; }
      checkPending();
      begin();
      if (r == 2) { compareSt(i, false, 1, false); return; }
      if (r == 3) { compareSt(1, false, 2, false); return; }
      regArith(r >= 4 ? r ^ 1 : r, i, 0, true);
      return;
    case 0xd9: d9Register(r, i); return;
    case 0xda:
      if (r < 4) { checkPending(); begin(); fcmov(r, false, i); return; }
      if (r == 5 && i == 1) { checkPending(); begin(); compareSt(1, true, 2, false); return; } // FUCOMPP
      unimplemented();
      return;
    case 0xdb:
      if (r < 4) { checkPending(); begin(); fcmov(r, true, i); return; }
      if (r == 4) {
        switch (i) {
          case 0: case 1: case 4: return; // FENI, FDISI, FSETPM: no-ops since the 387
          case 2: loadSw(); setSw(sw & ~0x80ff); storeSw(); return; // FNCLEX
          case 3: fpuInit(); return; // FNINIT
          default: unimplemented(); return;
        }
      }
      if (r == 5 || r == 6) { checkPending(); begin(); compareSt(i, r == 5, 0, true); return; } // FUCOMI FCOMI
      unimplemented();
      return;
    case 0xdd:
      switch (r) {
        case 0: checkPending(); begin(); freeSt(i); storeSw(); return; // FFREE
        case 1: checkPending(); begin(); fxch(i); return; // FXCH alias
        case 2: checkPending(); begin(); fstSt(i, false, true); return; // FST ST(i)
        case 3: checkPending(); begin(); fstSt(i, true, true); return; // FSTP ST(i)
        case 4: checkPending(); begin(); compareSt(i, true, 0, false); return; // FUCOM
        case 5: checkPending(); begin(); compareSt(i, true, 1, false); return; // FUCOMP
        default: unimplemented(); return;
      }
    default: // 0xdf
      switch (r) {
        case 0: checkPending(); begin(); freeSt(i); popTop(); storeSw(); return; // FFREEP
        case 1: checkPending(); begin(); fxch(i); return; // FXCH alias
        case 2: case 3: checkPending(); begin(); fstSt(i, true, true); return; // FSTP aliases
        case 4:
          if (i != 0) { unimplemented(); return; }
          loadSw(); setReg16(REG_EAX, sw); return; // FNSTSW AX
        case 5: checkPending(); begin(); compareSt(i, true, 1, true); return; // FUCOMIP
        case 6: checkPending(); begin(); compareSt(i, false, 1, true); return; // FCOMIP
        default: unimplemented(); return;
      }
  }
}

/** ST(dst) = ST(dst) op ST(src) per `r` (see arith) with a = ST(dst), b = ST(src); then pop. */
function regArith(r: i32, dst: u32, src: u32, pop: bool): void {
  if (stEmpty(0) || stEmpty(dst == 0 ? src : dst)) {
    if (stackUnderflow()) {
      setSt(dst, NAN_SE, NAN_SIG);
      if (pop) popTop();
    }
    storeSw();
    return;
  }
  sfBegin(fcw(), true);
  arith(r, stSE(dst), stSig(dst), stSE(src), stSig(src));
  if (!finish(false)) {
    setSt(dst, zSE, zSig);
    if (pop) popTop();
  }
  storeSw();
}

function compareSt(i: u32, quiet: bool, pops: i32, eflags: bool): void {
  compare(stSE(i), stSig(i), false, stEmpty(i), quiet, pops, eflags);
}

function fcmov(r: i32, negate: bool, i: u32): void {
  if (stEmpty(0) || stEmpty(i)) {
    if (stackUnderflow()) setSt(0, NAN_SE, NAN_SIG);
    storeSw();
    return;
  }
  let c: bool;
  switch (r) {
    case 0: c = getCF() != 0; break; // B
    case 1: c = getZF(); break; // E
    case 2: c = getCF() != 0 || getZF(); break; // BE
    default: c = getPF(); break; // U
  }
  if (c != negate) setSt(0, stSE(i), stSig(i));
  storeSw();
}

function fxch(i: u32): void {
  let aSE = stSE(0), aSig = stSig(0), bSE = stSE(i), bSig = stSig(i);
  const e0 = stEmpty(0), ei = stEmpty(i);
  if (e0 || ei) {
    if (!stackUnderflow()) { storeSw(); return; }
    if (e0) { aSE = NAN_SE; aSig = NAN_SIG; }
    if (ei) { bSE = NAN_SE; bSig = NAN_SIG; }
  }
  setSt(i, aSE, aSig);
  setSt(0, bSE, bSig);
  storeSw();
}

/** FST/FSTP ST(i); `underflowFault` false for the D9 D8+i alias (no stack fault). */
function fstSt(i: u32, pop: bool, underflowFault: bool): void {
  if (stEmpty(0)) {
    if (!underflowFault) { popTop(); storeSw(); return; }
    if (stackUnderflow()) {
      setSt(i, NAN_SE, NAN_SIG);
      if (pop) popTop();
    }
    storeSw();
    return;
  }
  setSt(i, stSE(0), stSig(0));
  if (pop) popTop();
  storeSw();
}

// Constants (round-to-nearest value; one less in the last place when RC rounds it down).
function fldConst(n: u32): void {
  let se: u32 = 0x3fff, sig: u64 = TOP64, downAdj: bool = false, upAdj: bool = false;
  const rc = (fcw() >> 10) & 3;
  switch (n) {
    case 0: break; // FLD1
    case 1: se = 0x4000; sig = 0xd49a784bcd1b8afe; upAdj = rc == RC_UP; break; // FLDL2T
    case 2: se = 0x3fff; sig = 0xb8aa3b295c17f0bc; downAdj = rc == RC_DOWN || rc == RC_CHOP; break; // FLDL2E
    case 3: se = 0x4000; sig = 0xc90fdaa22168c235; downAdj = rc == RC_DOWN || rc == RC_CHOP; break; // FLDPI
    case 4: se = 0x3ffd; sig = 0x9a209a84fbcff799; downAdj = rc == RC_DOWN || rc == RC_CHOP; break; // FLDLG2
    case 5: se = 0x3ffe; sig = 0xb17217f7d1cf79ac; downAdj = rc == RC_DOWN || rc == RC_CHOP; break; // FLDLN2
    default: se = 0; sig = 0; break; // FLDZ
  }
  if (downAdj) sig--;
  if (upAdj) sig++;
  if (!stEmpty(7)) { stackOverflow(); storeSw(); return; }
  pushTop();
  setSt(0, se, sig);
  storeSw();
}

function d9Register(r: i32, i: u32): void {
  switch (r) {
    case 0: { // FLD ST(i)
      checkPending();
      begin();
      if (!stEmpty(7)) { stackOverflow(); storeSw(); return; }
      let se = stSE(i), sig = stSig(i);
      if (stEmpty(i)) {
        if (!stackUnderflow()) { storeSw(); return; }
        se = NAN_SE; sig = NAN_SIG;
      }
      pushTop();
      setSt(0, se, sig);
      storeSw();
      return;
    }
    case 1: checkPending(); begin(); fxch(i); return; // FXCH
    case 2:
      if (i != 0) { unimplemented(); return; }
      checkPending(); notePointers(); return; // FNOP
    case 3: checkPending(); begin(); fstSt(i, true, false); return; // FSTP1 alias (D9 D8+i)
    case 4:
      switch (i) {
        case 0: case 1: { // FCHS, FABS
          checkPending();
          begin();
          if (stEmpty(0)) {
            if (stackUnderflow()) setSt(0, NAN_SE, NAN_SIG);
          } else {
            const se = stSE(0);
            setSt(0, i == 0 ? se ^ 0x8000 : se & 0x7fff, stSig(0));
          }
          storeSw();
          return;
        }
        case 4: { // FTST
          checkPending();
          begin();
          compare(0, 0, false, false, false, 0, false);
          return;
        }
        case 5: checkPending(); notePointers(); loadSw(); fxam(); storeSw(); return; // FXAM
        default: unimplemented(); return;
      }
    case 5:
      if (i == 7) { unimplemented(); return; }
      checkPending(); begin(); fldConst(i); return;
    case 6:
      checkPending();
      begin();
      switch (i) {
        case 0: unaryTrans(0); return; // F2XM1
        case 1: binaryTrans(0); return; // FYL2X
        case 2: pushTrans(0); return; // FPTAN
        case 3: binaryTrans(1); return; // FPATAN
        case 4: fxtract(); return;
        case 5: fprem(true); return; // FPREM1
        case 6: setSw((sw & ~0x3800) | (((sw >> 11) - 1) & 7) << 11); storeSw(); return; // FDECSTP
        default: setSw((sw & ~0x3800) | (((sw >> 11) + 1) & 7) << 11); storeSw(); return; // FINCSTP
      }
    default:
      checkPending();
      begin();
      switch (i) {
        case 0: fprem(false); return; // FPREM
        case 1: binaryTrans(2); return; // FYL2XP1
        case 2: unary(0); return; // FSQRT
        case 3: pushTrans(1); return; // FSINCOS
        case 4: unary(1); return; // FRNDINT
        case 5: fscale(); return;
        case 6: unaryTrans(1); return; // FSIN
        default: unaryTrans(2); return; // FCOS
      }
  }
}

function fxam(): void {
  const se = stSE(0), sig = stSig(0);
  const sign = (se & 0x8000) != 0 ? SW_C1 : 0;
  const e = se & 0x7fff;
  let c: u32;
  if (stEmpty(0)) c = SW_C3 | SW_C0;
  else if (e == 0) c = sig == 0 ? SW_C3 : SW_C3 | SW_C2; // zero, denormal
  else if ((sig >> 63) == 0) c = 0; // unsupported
  else if (e == 0x7fff) c = (sig << 1) == 0 ? SW_C2 | SW_C0 : SW_C0; // infinity, NaN
  else c = SW_C2; // normal
  setCC(c | sign);
}

/** FSQRT (0), FRNDINT (1) on ST(0). */
function unary(which: i32): void {
  if (stEmpty(0)) {
    if (stackUnderflow()) setSt(0, NAN_SE, NAN_SIG);
    storeSw();
    return;
  }
  sfBegin(fcw(), which == 0);
  if (which == 0) sfSqrt(stSE(0), stSig(0)); else sfRoundToInt(stSE(0), stSig(0));
  if (!finish(false)) setSt(0, zSE, zSig);
  storeSw();
}

function fscale(): void {
  if (stEmpty(0) || stEmpty(1)) {
    if (stackUnderflow()) setSt(0, NAN_SE, NAN_SIG);
    storeSw();
    return;
  }
  sfBegin(fcw(), false);
  sfScale(stSE(0), stSig(0), stSE(1), stSig(1));
  if (!finish(false)) setSt(0, zSE, zSig);
  storeSw();
}

/** FXTRACT: ST(0) = exponent, then push the significand. */
function fxtract(): void {
  if (stEmpty(0) || !stEmpty(7)) {
    if (stEmpty(0)) stackUnderflow(); else setSw(sw | SW_IE | SW_SF | SW_C1 | (imasked() ? 0 : SW_ES | SW_B));
    if (imasked()) {
      setSt(0, NAN_SE, NAN_SIG);
      pushTop();
      setSt(0, NAN_SE, NAN_SIG);
    }
    storeSw();
    return;
  }
  sfBegin(fcw(), false);
  sfExtract(stSE(0), stSig(0));
  if (!finish(false)) {
    const sSE = zSE, sSig = zSig;
    setSt(0, exSE, exSig);
    pushTop();
    setSt(0, sSE, sSig);
  }
  storeSw();
}

function fprem(nearest: bool): void {
  setSw(sw & ~SW_C2);
  if (stEmpty(0) || stEmpty(1)) {
    if (stackUnderflow()) setSt(0, NAN_SE, NAN_SIG);
    storeSw();
    return;
  }
  sfBegin(fcw(), false);
  const res = sfRem(stSE(0), stSig(0), stSE(1), stSig(1), nearest);
  if (!finish(false)) {
    if (res >= 0) {
      let cc: u32 = 0;
      if (res != 0) cc = SW_C2;
      else {
        if ((remQ & 1) != 0) cc |= SW_C1;
        if ((remQ & 2) != 0) cc |= SW_C3;
        if ((remQ & 4) != 0) cc |= SW_C0;
      }
      setCC(cc);
    }
    setSt(0, zSE, zSig);
  }
  storeSw();
}

// ---- Transcendentals ----------------------------------------------------------------------------
/** F2XM1 (0), FSIN (1), FCOS (2) on ST(0). */
function unaryTrans(which: i32): void {
  if (which != 0) setSw(sw & ~SW_C2);
  if (stEmpty(0)) {
    if (stackUnderflow()) setSt(0, NAN_SE, NAN_SIG);
    storeSw();
    return;
  }
  sfBegin(fcw(), false);
  if (which == 0) f2xm1(stSE(0), stSig(0));
  else if (trig(which - 1, stSE(0), stSig(0)) == 1) { setSw(sw | SW_C2); storeSw(); return; }
  if (!finish(false)) setSt(0, zSE, zSig);
  storeSw();
}

/** FYL2X (0), FPATAN (1), FYL2XP1 (2): ST(1) = f(ST(1), ST(0)), pop. */
function binaryTrans(which: i32): void {
  if (stEmpty(0) || stEmpty(1)) {
    if (stackUnderflow()) { setSt(1, NAN_SE, NAN_SIG); popTop(); }
    storeSw();
    return;
  }
  sfBegin(fcw(), false);
  const ySE = stSE(1), ySig = stSig(1), xSE = stSE(0), xSig = stSig(0);
  if (which == 0) yl2x(ySE, ySig, xSE, xSig);
  else if (which == 1) patan(ySE, ySig, xSE, xSig);
  else yl2xp1(ySE, ySig, xSE, xSig);
  if (!finish(false)) {
    setSt(1, zSE, zSig);
    popTop();
  }
  storeSw();
}

/** FPTAN (0): ST(0) = tan, push 1.0. FSINCOS (1): ST(0) = sin, push cos. */
function pushTrans(which: i32): void {
  setSw(sw & ~SW_C2);
  if (stEmpty(0) || !stEmpty(7)) {
    if (stEmpty(0)) stackUnderflow(); else setSw(sw | SW_IE | SW_SF | SW_C1 | (imasked() ? 0 : SW_ES | SW_B));
    if (imasked()) {
      setSt(0, NAN_SE, NAN_SIG);
      pushTop();
      setSt(0, NAN_SE, NAN_SIG);
    }
    storeSw();
    return;
  }
  sfBegin(fcw(), false);
  const se = stSE(0), sig = stSig(0);
  const s = trig(which == 0 ? 2 : 0, se, sig);
  if (s == 1) { setSw(sw | SW_C2); storeSw(); return; }
  let aSE = zSE, aSig = zSig;
  let bSE: u32 = 0x3fff, bSig: u64 = TOP64;
  if (s < 0) { bSE = aSE; bSig = aSig; } // NaN / invalid: both results are that NaN
  else if (which == 1) {
    trig(1, se, sig); // cos
    bSE = zSE; bSig = zSig;
  }
  if (!finish(false)) {
    setSt(0, aSE, aSig);
    pushTop();
    setSt(0, bSE, bSig);
  }
  storeSw();
}
