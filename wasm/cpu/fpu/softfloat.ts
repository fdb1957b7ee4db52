// 80-bit extended-precision arithmetic for the x87, after Berkeley SoftFloat 3e's extF80 routines
// as specialized for the x87 by Bochs (NaN rules, denormal-operand flag, unsupported encodings,
// precision control, unmasked overflow/underflow bias adjust, C1 round-up), rewritten for
// AssemblyScript without allocation: operands are passed as (sign/exponent u32, significand u64),
// results come back in the globals zSE/zSig, exception flags accumulate in sfFlags.
//
// A value: se = sign << 15 | biased exponent (bias 0x3fff); sig has the explicit integer bit 63.
// Before an operation the caller sets sfRC (x87 RC field), sfPC (24, 53 or 64 bits) and sfMasks
// (CW bits 0-5) with sfBegin().

import { SW_IE, SW_DE, SW_ZE, SW_OE, SW_UE, SW_PE } from "./state";

export const RC_NEAR: u32 = 0;
export const RC_DOWN: u32 = 1;
export const RC_UP: u32 = 2;
export const RC_CHOP: u32 = 3;

const TOP64: u64 = 0x8000000000000000;
const LOW63: u64 = 0x7fffffffffffffff;
export const NAN_SE: u32 = 0xffff; // the real indefinite: -QNaN 1.1000...
export const NAN_SIG: u64 = 0xc000000000000000;

export let sfFlags: u32 = 0;
/** The last rounding increased the magnitude (C1 after an inexact result). */
export let sfRoundUp: bool = false;
export let sfRC: u32 = RC_NEAR;
export let sfPC: i32 = 64;
export let sfMasks: u32 = 0x3f;

export let zSE: u32 = 0;
export let zSig: u64 = 0;

/** Start an operation under control word `cw`; `usePC` false forces 64-bit precision. */
export function sfBegin(cw: u32, usePC: bool): void {
  sfFlags = 0;
  sfRoundUp = false;
  sfRC = (cw >> 10) & 3;
  sfMasks = cw & 0x3f;
  const pc = (cw >> 8) & 3;
  sfPC = !usePC ? 64 : pc == 0 ? 24 : pc == 2 ? 53 : 64; // 01 (reserved) behaves as 64
}
@inline export function raise(f: u32): void { sfFlags |= f; }
@inline function masked(f: u32): bool { return (sfMasks & f) != 0; }
@inline function pack(sign: bool, exp: i32, sig: u64): void {
  zSE = (sign ? 0x8000 : 0) | (<u32>exp & 0x7fff);
  zSig = sig;
}
@inline function setZ(se: u32, sig: u64): void { zSE = se; zSig = sig; }
/** Set the result registers (for callers in other modules). */
export function sfSetZ(se: u32, sig: u64): void { zSE = se; zSig = sig; }
/** Replace the accumulated flags. */
export function sfSetFlags(f: u32): void { sfFlags = f; }
@inline function defaultNaN(): void { zSE = NAN_SE; zSig = NAN_SIG; }
/** Rounding away from zero in the directed modes (SoftFloat's `mode == (sign ? min : max)`). */
@inline function roundsAway(sign: bool): bool { return sign ? sfRC == RC_DOWN : sfRC == RC_UP; }

// ---- Classification ---------------------------------------------------------------------------
/** Unnormals, pseudo-infinities and pseudo-NaNs: an invalid operand on the 387 and later. */
@inline export function isUnsupported(se: u32, sig: u64): bool { return (se & 0x7fff) != 0 && (sig >> 63) == 0; }
@inline export function isNaN80(se: u32, sig: u64): bool { return (se & 0x7fff) == 0x7fff && (sig << 1) != 0; }
@inline export function isSNaN80(se: u32, sig: u64): bool {
  return (se & 0x7fff) == 0x7fff && (sig & 0x4000000000000000) == 0 && (sig & 0x3fffffffffffffff) != 0;
}
@inline export function isDenormal80(se: u32, sig: u64): bool { return (se & 0x7fff) == 0 && sig != 0; }

// ---- Shifts with sticky bits --------------------------------------------------------------------
let xV: u64 = 0; // two-word results of helpers
let xX: u64 = 0;

function shiftRightJam64(a: u64, dist: i32): u64 {
  if (dist <= 0) return a;
  if (dist < 63) return (a >> <u64>dist) | ((a << <u64>(64 - dist)) != 0 ? 1 : 0);
  return a != 0 ? 1 : 0;
}
/** (a, extra) >> dist with the bits shifted out of `extra` jammed into its lsb: xV, xX. */
function shiftRightJam64Extra(a: u64, extra: u64, dist: i32): void {
  const sticky: u64 = extra != 0 ? 1 : 0;
  if (dist <= 0) { xV = a; xX = extra; return; }
  if (dist < 64) { xV = a >> <u64>dist; xX = (a << <u64>(64 - dist)) | sticky; }
  else { xV = 0; xX = (dist == 64 ? a : (a != 0 ? 1 : 0)) | sticky; }
}
/** 128-bit (hi, lo) >> dist, sticky into the lsb of lo: xV (hi), xX (lo). */
function shiftRightJam128(hi: u64, lo: u64, dist: i32): void {
  if (dist <= 0) { xV = hi; xX = lo; return; }
  if (dist < 64) {
    const u = <u64>(64 - dist);
    xV = hi >> <u64>dist;
    xX = (hi << u) | (lo >> <u64>dist) | ((lo << u) != 0 ? 1 : 0);
  } else {
    xV = 0;
    if (dist == 64) xX = hi | (lo != 0 ? 1 : 0);
    else if (dist < 128) xX = (hi >> <u64>(dist - 64)) | (((hi << <u64>(128 - dist)) | lo) != 0 ? 1 : 0);
    else xX = (hi | lo) != 0 ? 1 : 0;
  }
}
/** 64x64 -> 128 multiply: xV (hi), xX (lo). */
export function mul64To128(a: u64, b: u64): void {
  const a32 = a >> 32, a0 = a & 0xffffffff, b32 = b >> 32, b0 = b & 0xffffffff;
  let z0 = a0 * b0;
  const mid1 = a32 * b0;
  let mid = mid1 + a0 * b32;
  let z64 = a32 * b32;
  z64 += (mid < mid1 ? (<u64>1 << 32) : 0) + (mid >> 32);
  mid <<= 32;
  z0 += mid;
  z64 += z0 < mid ? 1 : 0;
  xV = z64;
  xX = z0;
}

// ---- NaNs ---------------------------------------------------------------------------------------
/** x87 NaN selection: SNaN operands raise IE; the result is quiet. */
export function propagateNaN(aSE: u32, aSig: u64, bSE: u32, bSig: u64): void {
  const sigA = isSNaN80(aSE, aSig);
  const sigB = isSNaN80(bSE, bSig);
  const qa = aSig | NAN_SIG;
  const qb = bSig | NAN_SIG;
  if (sigA || sigB) {
    raise(SW_IE);
    if (sigA && !sigB) { if (isNaN80(bSE, bSig)) { setZ(bSE, qb); return; } setZ(aSE, qa); return; }
    if (sigB && !sigA) { if (isNaN80(aSE, aSig)) { setZ(aSE, qa); return; } setZ(bSE, qb); return; }
  }
  // Both of the same kind (or one not a NaN): the larger significand; on a tie the positive one.
  const ma = aSE & 0x7fff, mb = bSE & 0x7fff;
  if (ma < mb) { setZ(bSE, qb); return; }
  if (mb < ma) { setZ(aSE, qa); return; }
  if (aSig < bSig) { setZ(bSE, qb); return; }
  if (bSig < aSig) { setZ(aSE, qa); return; }
  if (aSE < bSE) { setZ(aSE, qa); return; }
  setZ(bSE, qb);
}

// ---- Rounding -----------------------------------------------------------------------------------
/**
 * Round (sign, exp, sig:sigExtra) to precision `prec` (24, 53, 64 significand bits) with the
 * extended exponent range and pack into zSE/zSig. exp may be out of range (overflow/underflow).
 */
export function roundPack80(sign: bool, exp: i32, sig: u64, sigExtra: u64, prec: i32): void {
  const nearEven = sfRC == RC_NEAR;
  if (prec != 64) {
    let roundIncrement: u64, roundMask: u64;
    if (prec == 53) { roundIncrement = 0x400; roundMask = 0x7ff; }
    else { roundIncrement = 0x0000008000000000; roundMask = 0x000000ffffffffff; }
    if (sigExtra != 0) sig |= 1;
    if (!nearEven) roundIncrement = roundsAway(sign) ? roundMask : 0;
    let roundBits = sig & roundMask;
    if (<u32>(exp - 1) >= 0x7ffd) {
      if (exp <= 0) {
        const isTiny = exp < 0 || sig <= sig + roundIncrement;
        // Unmasked underflow: bias-adjust, unless even that cannot represent the result.
        if (isTiny && sig != 0 && !masked(SW_UE) && exp + 0x6000 > 0) {
          raise(SW_UE);
          exp += 0x6000;
        } else {
          sig = shiftRightJam64(sig, 1 - exp);
          roundBits = sig & roundMask;
          const sigExact = sig;
          sig += roundIncrement;
          exp = (sig & TOP64) != 0 ? 1 : 0;
          roundIncrement = roundMask + 1;
          if (nearEven && (roundBits << 1) == roundIncrement) roundMask |= roundIncrement;
          sig &= ~roundMask;
          if (roundBits != 0) {
            raise(SW_PE);
            if (sig > sigExact) sfRoundUp = true;
            if (isTiny) raise(SW_UE);
          }
          pack(sign, exp, sig);
          return;
        }
      }
      if (exp > 0x7ffe || (exp == 0x7ffe && sig + roundIncrement < sig)) {
        if (!masked(SW_OE)) { raise(SW_OE); exp -= 0x6000; }
        if (exp > 0x7ffe || (exp == 0x7ffe && sig + roundIncrement < sig)) {
          overflow(sign, roundMask);
          return;
        }
      }
    }
    let sigExact = sig;
    sig += roundIncrement;
    if (sig < roundIncrement) { exp++; sig = TOP64; sigExact >>= 1; }
    roundIncrement = roundMask + 1;
    if (nearEven && (roundBits << 1) == roundIncrement) roundMask |= roundIncrement;
    sig &= ~roundMask;
    if (roundBits != 0) {
      raise(SW_PE);
      if (sig > sigExact) sfRoundUp = true;
    }
    pack(sign, exp, sig);
    return;
  }
  // 64-bit precision: the rounding position is the whole extra word.
  let doIncrement = sigExtra >= TOP64;
  if (!nearEven) doIncrement = roundsAway(sign) && sigExtra != 0;
  if (<u32>(exp - 1) >= 0x7ffd) {
    if (exp <= 0) {
      const isTiny = exp < 0 || !doIncrement || sig < 0xffffffffffffffff;
      if (isTiny && sig != 0 && !masked(SW_UE) && exp + 0x6000 > 0) {
        raise(SW_UE);
        exp += 0x6000;
      } else {
        shiftRightJam64Extra(sig, sigExtra, 1 - exp);
        exp = 0;
        sig = xV;
        sigExtra = xX;
        if (sigExtra != 0) {
          raise(SW_PE);
          if (isTiny) raise(SW_UE);
        }
        doIncrement = sigExtra >= TOP64;
        if (!nearEven) doIncrement = roundsAway(sign) && sigExtra != 0;
        if (doIncrement) {
          const sigExact = sig;
          sig++;
          if (nearEven && (sigExtra & LOW63) == 0) sig &= ~(<u64>1);
          exp = (sig & TOP64) != 0 ? 1 : 0;
          if (sig > sigExact) sfRoundUp = true;
        }
        pack(sign, exp, sig);
        return;
      }
    }
    if (exp > 0x7ffe || (exp == 0x7ffe && sig == 0xffffffffffffffff && doIncrement)) {
      if (!masked(SW_OE)) { raise(SW_OE); exp -= 0x6000; }
      if (exp > 0x7ffe || (exp == 0x7ffe && sig == 0xffffffffffffffff && doIncrement)) {
        overflow(sign, 0);
        return;
      }
    }
  }
  if (sigExtra != 0) raise(SW_PE);
  if (doIncrement) {
    let sigExact = sig;
    sig++;
    if (sig == 0) { exp++; sig = TOP64; sigExact >>= 1; }
    else if (nearEven && (sigExtra & LOW63) == 0) sig &= ~(<u64>1);
    if (sig > sigExact) sfRoundUp = true;
  } else if (sig == 0) {
    exp = 0;
  }
  pack(sign, exp, sig);
}

function overflow(sign: bool, roundMask: u64): void {
  raise(SW_OE | SW_PE);
  if (sfRC == RC_NEAR || roundsAway(sign)) {
    pack(sign, 0x7fff, TOP64);
    sfRoundUp = true;
  } else {
    pack(sign, 0x7ffe, ~roundMask);
  }
}

/** Normalize (sig:sigExtra) then roundPack80. */
export function normRoundPack80(sign: bool, exp: i32, sig: u64, sigExtra: u64, prec: i32): void {
  if (sig == 0) {
    if (sigExtra == 0) { pack(sign, 0, 0); return; }
    exp -= 64;
    sig = sigExtra;
    sigExtra = 0;
  }
  const shift = <i32>clz<u64>(sig);
  exp -= shift;
  if (shift != 0) {
    sig = (sig << <u64>shift) | (sigExtra >> <u64>(64 - shift));
    sigExtra <<= <u64>shift;
  }
  roundPack80(sign, exp, sig, sigExtra, prec);
}

// Normalizing a denormal significand: exponent adjustment in nExp, significand in nSig.
let nExp: i32 = 0;
let nSig: u64 = 0;
function normSubnormal(sig: u64): void {
  const s = <i32>clz<u64>(sig);
  nExp = -s;
  nSig = sig << <u64>s;
}

// ---- Add / subtract -----------------------------------------------------------------------------
/** a + b, or a - b when `subtract`. */
export function sfAdd(aSE: u32, aSig: u64, bSE: u32, bSig: u64, subtract: bool): void {
  if (isUnsupported(aSE, aSig) || isUnsupported(bSE, bSig)) { raise(SW_IE); defaultNaN(); return; }
  const signA = (aSE >> 15) != 0;
  const signB = ((bSE >> 15) != 0) != subtract;
  if (signA == signB) addMags(aSE, aSig, bSE, bSig, signA);
  else subMags(aSE, aSig, bSE, bSig, signA);
}

function addMags(uiA64: u32, sigA: u64, uiB64: u32, sigB: u64, signZ: bool): void {
  let expA = <i32>(uiA64 & 0x7fff);
  let expB = <i32>(uiB64 & 0x7fff);
  const origA = sigA, origB = sigB;
  if (expA == 0x7fff) {
    if ((sigA << 1) != 0 || (expB == 0x7fff && (sigB << 1) != 0)) { propagateNaN(uiA64, origA, uiB64, origB); return; }
    if (sigB != 0 && expB == 0) raise(SW_DE);
    pack(signZ, 0x7fff, TOP64);
    return;
  }
  if (expB == 0x7fff) {
    if ((sigB << 1) != 0) { propagateNaN(uiA64, origA, uiB64, origB); return; }
    if (sigA != 0 && expA == 0) raise(SW_DE);
    pack(signZ, 0x7fff, TOP64);
    return;
  }
  let expZ: i32, sigZ: u64, sigZExtra: u64;
  if (expA == 0) {
    if (sigA == 0) {
      if (expB == 0 && sigB != 0) {
        raise(SW_DE);
        normSubnormal(sigB);
        expB = nExp + 1;
        sigB = nSig;
      }
      roundPack80(signZ, expB, sigB, 0, sfPC);
      return;
    }
    raise(SW_DE);
    normSubnormal(sigA);
    expA = nExp + 1;
    sigA = nSig;
  }
  if (expB == 0) {
    if (sigB == 0) { roundPack80(signZ, expA, sigA, 0, sfPC); return; }
    raise(SW_DE);
    normSubnormal(sigB);
    expB = nExp + 1;
    sigB = nSig;
  }
  const expDiff = expA - expB;
  if (expDiff == 0) {
    sigZ = sigA + sigB;
    sigZExtra = 0;
    expZ = expA;
  } else {
    if (expDiff < 0) {
      expZ = expB;
      shiftRightJam64Extra(sigA, 0, -expDiff);
      sigA = xV;
    } else {
      expZ = expA;
      shiftRightJam64Extra(sigB, 0, expDiff);
      sigB = xV;
    }
    sigZExtra = xX;
    sigZ = sigA + sigB;
    if ((sigZ & TOP64) != 0) { roundPack80(signZ, expZ, sigZ, sigZExtra, sfPC); return; }
  }
  // The sum carried out of bit 63 (or two normalized significands were added): shift right 1.
  sigZExtra = (sigZ << 63) | (sigZExtra != 0 ? 1 : 0);
  sigZ = (sigZ >> 1) | TOP64;
  expZ++;
  roundPack80(signZ, expZ, sigZ, sigZExtra, sfPC);
}

function subMags(uiA64: u32, sigA: u64, uiB64: u32, sigB: u64, signZ: bool): void {
  let expA = <i32>(uiA64 & 0x7fff);
  let expB = <i32>(uiB64 & 0x7fff);
  const origA = sigA, origB = sigB;
  if (expA == 0x7fff) {
    if ((sigA << 1) != 0) { propagateNaN(uiA64, origA, uiB64, origB); return; }
    if (expB == 0x7fff) {
      if ((sigB << 1) != 0) { propagateNaN(uiA64, origA, uiB64, origB); return; }
      raise(SW_IE);
      defaultNaN();
      return;
    }
    if (sigB != 0 && expB == 0) raise(SW_DE);
    pack(signZ, 0x7fff, TOP64);
    return;
  }
  if (expB == 0x7fff) {
    if ((sigB << 1) != 0) { propagateNaN(uiA64, origA, uiB64, origB); return; }
    if (sigA != 0 && expA == 0) raise(SW_DE);
    pack(!signZ, 0x7fff, TOP64);
    return;
  }
  if (expA == 0) {
    if (sigA == 0) {
      if (expB == 0) {
        if (sigB != 0) {
          raise(SW_DE);
          normSubnormal(sigB);
          roundPack80(!signZ, nExp + 1, nSig, 0, sfPC);
          return;
        }
        pack(sfRC == RC_DOWN, 0, 0);
        return;
      }
      roundPack80(!signZ, expB, sigB, 0, sfPC);
      return;
    }
    raise(SW_DE);
    normSubnormal(sigA);
    expA = nExp + 1;
    sigA = nSig;
  }
  if (expB == 0) {
    if (sigB == 0) { roundPack80(signZ, expA, sigA, 0, sfPC); return; }
    raise(SW_DE);
    normSubnormal(sigB);
    expB = nExp + 1;
    sigB = nSig;
  }
  const expDiff = expA - expB;
  let expZ: i32;
  let hi: u64, lo: u64;
  if (expDiff > 0) {
    shiftRightJam128(sigB, 0, expDiff);
    expZ = expA;
    // (sigA:0) - (xV:xX)
    lo = 0 - xX;
    hi = sigA - xV - (xX != 0 ? 1 : 0);
  } else if (expDiff < 0) {
    shiftRightJam128(sigA, 0, -expDiff);
    expZ = expB;
    signZ = !signZ;
    lo = 0 - xX;
    hi = sigB - xV - (xX != 0 ? 1 : 0);
  } else {
    expZ = expA;
    if (sigB < sigA) { hi = sigA - sigB; lo = 0; }
    else if (sigA < sigB) { signZ = !signZ; hi = sigB - sigA; lo = 0; }
    else { pack(sfRC == RC_DOWN, 0, 0); return; }
  }
  normRoundPack80(signZ, expZ, hi, lo, sfPC);
}

// ---- Multiply -----------------------------------------------------------------------------------
export function sfMul(aSE: u32, aSig: u64, bSE: u32, bSig: u64): void {
  if (isUnsupported(aSE, aSig) || isUnsupported(bSE, bSig)) { raise(SW_IE); defaultNaN(); return; }
  const signZ = ((aSE ^ bSE) >> 15) != 0;
  let expA = <i32>(aSE & 0x7fff), expB = <i32>(bSE & 0x7fff);
  let sigA = aSig, sigB = bSig;
  if (expA == 0x7fff || expB == 0x7fff) {
    if ((expA == 0x7fff && (sigA & LOW63) != 0) || (expB == 0x7fff && (sigB & LOW63) != 0)) {
      propagateNaN(aSE, aSig, bSE, bSig);
      return;
    }
    const other = expA == 0x7fff ? (<u64>expB | sigB) : (<u64>expA | sigA);
    if (other == 0) { raise(SW_IE); defaultNaN(); return; } // inf * 0
    if ((expA == 0 && sigA != 0) || (expB == 0 && sigB != 0)) raise(SW_DE);
    pack(signZ, 0x7fff, TOP64);
    return;
  }
  if (expA == 0) { expA = 1; if (sigA != 0) raise(SW_DE); }
  if ((sigA & TOP64) == 0) {
    if (sigA == 0) {
      if (expB == 0 && sigB != 0) raise(SW_DE);
      pack(signZ, 0, 0);
      return;
    }
    normSubnormal(sigA);
    expA += nExp;
    sigA = nSig;
  }
  if (expB == 0) { expB = 1; if (sigB != 0) raise(SW_DE); }
  if ((sigB & TOP64) == 0) {
    if (sigB == 0) { pack(signZ, 0, 0); return; }
    normSubnormal(sigB);
    expB += nExp;
    sigB = nSig;
  }
  let expZ = expA + expB - 0x3ffe;
  mul64To128(sigA, sigB);
  let hi = xV, lo = xX;
  if (hi < TOP64) {
    expZ--;
    hi = (hi << 1) | (lo >> 63);
    lo <<= 1;
  }
  roundPack80(signZ, expZ, hi, lo, sfPC);
}

// ---- Divide -------------------------------------------------------------------------------------
export function sfDiv(aSE: u32, aSig: u64, bSE: u32, bSig: u64): void {
  if (isUnsupported(aSE, aSig) || isUnsupported(bSE, bSig)) { raise(SW_IE); defaultNaN(); return; }
  const signZ = ((aSE ^ bSE) >> 15) != 0;
  let expA = <i32>(aSE & 0x7fff), expB = <i32>(bSE & 0x7fff);
  let sigA = aSig, sigB = bSig;
  if (expA == 0x7fff) {
    if ((sigA & LOW63) != 0) { propagateNaN(aSE, aSig, bSE, bSig); return; }
    if (expB == 0x7fff) {
      if ((sigB & LOW63) != 0) { propagateNaN(aSE, aSig, bSE, bSig); return; }
      raise(SW_IE); defaultNaN(); return; // inf / inf
    }
    if (expB == 0 && sigB != 0) raise(SW_DE);
    pack(signZ, 0x7fff, TOP64);
    return;
  }
  if (expB == 0x7fff) {
    if ((sigB & LOW63) != 0) { propagateNaN(aSE, aSig, bSE, bSig); return; }
    if (expA == 0 && sigA != 0) raise(SW_DE);
    pack(signZ, 0, 0);
    return;
  }
  if (expB == 0) { expB = 1; if (sigB != 0) raise(SW_DE); }
  if ((sigB & TOP64) == 0) {
    if (sigB == 0) {
      if (sigA == 0) { raise(SW_IE); defaultNaN(); return; } // 0 / 0
      raise(SW_ZE);
      pack(signZ, 0x7fff, TOP64);
      return;
    }
    normSubnormal(sigB);
    expB += nExp;
    sigB = nSig;
  }
  if (expA == 0) { expA = 1; if (sigA != 0) raise(SW_DE); }
  if ((sigA & TOP64) == 0) {
    if (sigA == 0) { pack(signZ, 0, 0); return; }
    normSubnormal(sigA);
    expA += nExp;
    sigA = nSig;
  }
  let expZ = expA - expB + 0x3fff;
  // Restoring division: 64 quotient bits, a round bit, and a sticky remainder.
  let rHi: u64 = 0;
  let rLo = sigA;
  if (sigA < sigB) {
    expZ--;
    rHi = rLo >> 63;
    rLo <<= 1;
  }
  let q: u64 = 0;
  for (let i = 0; i < 64; i++) {
    q <<= 1;
    if (rHi != 0 || rLo >= sigB) { rLo -= sigB; rHi = 0; q |= 1; }
    rHi = rLo >> 63;
    rLo <<= 1;
  }
  let extra: u64 = 0;
  if (rHi != 0 || rLo >= sigB) { rLo -= sigB; rHi = 0; extra = TOP64; }
  if ((rHi | rLo) != 0) extra |= 1;
  roundPack80(signZ, expZ, q, extra, sfPC);
}

// ---- Square root --------------------------------------------------------------------------------
export function sfSqrt(aSE: u32, aSig: u64): void {
  if (isUnsupported(aSE, aSig)) { raise(SW_IE); defaultNaN(); return; }
  const signA = (aSE >> 15) != 0;
  let expA = <i32>(aSE & 0x7fff);
  let sigA = aSig;
  if (expA == 0x7fff) {
    if ((sigA & LOW63) != 0) { propagateNaN(aSE, aSig, 0, 0); return; }
    if (!signA) { setZ(aSE, aSig); return; }
    raise(SW_IE); defaultNaN(); return;
  }
  if (signA) {
    if (sigA == 0) { pack(true, 0, 0); return; } // sqrt(-0) = -0
    raise(SW_IE); defaultNaN(); return;
  }
  if (expA == 0) { expA = 1; if (sigA != 0) raise(SW_DE); }
  if ((sigA & TOP64) == 0) {
    if (sigA == 0) { pack(false, 0, 0); return; }
    normSubnormal(sigA);
    expA += nExp;
    sigA = nSig;
  }
  const e = expA - 0x3fff;
  const expZ = (e >> 1) + 0x3fff;
  // Radicand N = sigA * 2^65 (e even) or sigA * 2^66 (e odd): 130 bits, consumed two at a time.
  // The 65-bit root is the significand plus a round bit; the remainder gives the sticky bit.
  const odd = (e & 1) != 0;
  const x: u64 = odd ? sigA : sigA >> 1;
  const b0: u64 = odd ? 0 : (sigA & 1);
  let remHi: u64 = 0, remLo: u64 = 0;
  let rootHi: u64 = 0, rootLo: u64 = 0;
  for (let i = 0; i < 65; i++) {
    let pair: u64;
    if (i < 32) pair = (x >> <u64>(62 - 2 * i)) & 3;
    else if (i == 32) pair = b0 << 1;
    else pair = 0;
    // rem = rem << 2 | pair
    remHi = (remHi << 2) | (remLo >> 62);
    remLo = (remLo << 2) | pair;
    // trial = root << 2 | 1
    const tHi = (rootHi << 2) | (rootLo >> 62);
    const tLo = (rootLo << 2) | 1;
    // root <<= 1
    rootHi = (rootHi << 1) | (rootLo >> 63);
    rootLo <<= 1;
    if (remHi > tHi || (remHi == tHi && remLo >= tLo)) {
      const borrow: u64 = remLo < tLo ? 1 : 0;
      remLo -= tLo;
      remHi = remHi - tHi - borrow;
      rootLo |= 1;
    }
  }
  // root has 65 bits: rootHi holds bit 64.
  const sigZ = (rootHi << 63) | (rootLo >> 1);
  let extra: u64 = (rootLo & 1) != 0 ? TOP64 : 0;
  if ((remHi | remLo) != 0) extra |= 1;
  roundPack80(false, expZ, sigZ, extra, sfPC);
}

// ---- Compare ------------------------------------------------------------------------------------
export const REL_LESS = 0;
export const REL_EQUAL = 1;
export const REL_GREATER = 2;
export const REL_UNORDERED = 3;

/** Compare a with b. `quiet` (FUCOM*): QNaN operands do not raise IE. */
export function sfCompare(aSE: u32, aSig: u64, bSE: u32, bSig: u64, quiet: bool): i32 {
  const aUns = isUnsupported(aSE, aSig), bUns = isUnsupported(bSE, bSig);
  if (aUns || bUns || isSNaN80(aSE, aSig) || isSNaN80(bSE, bSig)) { raise(SW_IE); return REL_UNORDERED; }
  if (isNaN80(aSE, aSig) || isNaN80(bSE, bSig)) {
    if (!quiet) raise(SW_IE);
    return REL_UNORDERED;
  }
  const aDen = isDenormal80(aSE, aSig), bDen = isDenormal80(bSE, bSig);
  if (aDen || bDen) raise(SW_DE);
  const signA = (aSE >> 15) != 0, signB = (bSE >> 15) != 0;
  const aZero = (aSE & 0x7fff) == 0 && aSig == 0;
  const bZero = (bSE & 0x7fff) == 0 && bSig == 0;
  if (aZero) {
    if (bZero) return REL_EQUAL;
    return signB ? REL_GREATER : REL_LESS;
  }
  if (bZero || signA != signB) return signA ? REL_LESS : REL_GREATER;
  let expA = <i32>(aSE & 0x7fff), expB = <i32>(bSE & 0x7fff);
  let sigA = aSig, sigB = bSig;
  if (aDen) { normSubnormal(sigA); expA += nExp + 1; sigA = nSig; }
  if (bDen) { normSubnormal(sigB); expB += nExp + 1; sigB = nSig; }
  if (expA == expB && sigA == sigB) return REL_EQUAL;
  const less = signA ? (expB < expA || (expB == expA && sigB < sigA)) : (expA < expB || (expA == expB && sigA < sigB));
  return less ? REL_LESS : REL_GREATER;
}

// ---- Round to integer (FRNDINT) -----------------------------------------------------------------
export function sfRoundToInt(aSE: u32, aSig: u64): void {
  if (isUnsupported(aSE, aSig)) { raise(SW_IE); defaultNaN(); return; }
  const sign = (aSE >> 15) != 0;
  const signBits = aSE & 0x8000;
  const exp = <i32>(aSE & 0x7fff);
  if (exp >= 0x403e) {
    if (exp == 0x7fff && (aSig << 1) != 0) { propagateNaN(aSE, aSig, 0, 0); return; }
    setZ(aSE, aSig);
    return;
  }
  if (exp <= 0x3ffe) {
    if (exp == 0) {
      if (aSig == 0) { setZ(aSE, aSig); return; }
      raise(SW_DE);
    }
    raise(SW_PE);
    let mag1 = false;
    if (sfRC == RC_NEAR) mag1 = exp == 0x3ffe && (aSig & LOW63) != 0;
    else if (sfRC == RC_DOWN) mag1 = sign;
    else if (sfRC == RC_UP) mag1 = !sign;
    if (mag1) { sfRoundUp = true; setZ(signBits | 0x3fff, TOP64); return; }
    setZ(signBits, 0);
    return;
  }
  let uiZ64 = signBits | <u32>exp;
  const lastBitMask: u64 = <u64>1 << <u64>(0x403e - exp);
  const roundBitsMask = lastBitMask - 1;
  let sigZ = aSig;
  if (sfRC == RC_NEAR) {
    sigZ += lastBitMask >> 1;
    if ((sigZ & roundBitsMask) == 0) sigZ &= ~lastBitMask;
  } else if (roundsAway(sign)) {
    sigZ += roundBitsMask;
  }
  sigZ &= ~roundBitsMask;
  if (sigZ == 0) {
    uiZ64++;
    sigZ = TOP64;
    sfRoundUp = true;
  }
  if (sigZ != aSig) {
    raise(SW_PE);
    if (sigZ > aSig) sfRoundUp = true;
  }
  setZ(uiZ64, sigZ);
}

// ---- FSCALE -------------------------------------------------------------------------------------
export function sfScale(aSE: u32, aSig: u64, bSE: u32, bSig: u64): void {
  if (isUnsupported(aSE, aSig) || isUnsupported(bSE, bSig)) { raise(SW_IE); defaultNaN(); return; }
  const signA = (aSE >> 15) != 0, signB = (bSE >> 15) != 0;
  let expA = <i32>(aSE & 0x7fff), expB = <i32>(bSE & 0x7fff);
  let sigA = aSig, sigB = bSig;
  if (expA == 0x7fff) {
    if ((sigA << 1) != 0 || (expB == 0x7fff && (sigB << 1) != 0)) { propagateNaN(aSE, aSig, bSE, bSig); return; }
    if (expB == 0x7fff && signB) { raise(SW_IE); defaultNaN(); return; } // inf * 2^-inf
    if (sigB != 0 && expB == 0) raise(SW_DE);
    setZ(aSE, aSig);
    return;
  }
  if (expB == 0x7fff) {
    if ((sigB << 1) != 0) { propagateNaN(aSE, aSig, bSE, bSig); return; }
    if ((<u64>expA | sigA) == 0) {
      if (!signB) { raise(SW_IE); defaultNaN(); return; } // 0 * 2^+inf
      setZ(aSE, aSig);
      return;
    }
    if (sigA != 0 && expA == 0) raise(SW_DE);
    if (signB) pack(signA, 0, 0); else pack(signA, 0x7fff, TOP64);
    return;
  }
  if (expA == 0) {
    if (sigB != 0 && expB == 0) raise(SW_DE);
    if (sigA == 0) { setZ(aSE, aSig); return; }
    raise(SW_DE);
    normSubnormal(sigA);
    expA = nExp + 1;
    sigA = nSig;
    if (expB < 0x3fff) { normRoundPack80(signA, expA, sigA, 0, 64); return; }
  }
  if (expB == 0) {
    if (sigB == 0) { setZ(aSE, aSig); return; }
    raise(SW_DE);
    normSubnormal(sigB);
    expB = nExp + 1;
    sigB = nSig;
  }
  if (expB > 0x400e) {
    // Certain overflow/underflow, beyond what a bias adjustment can represent: the masked
    // response (infinity or zero per RC) even when OE/UE are unmasked (observed on hardware).
    const m = sfMasks;
    sfMasks |= SW_OE | SW_UE;
    roundPack80(signA, signB ? -0x3fff : 0x7fff, sigA, 0, 64);
    sfMasks = m;
    return;
  }
  if (expB < 0x3fff) { setZ(aSE, aSig); return; } // |b| < 1: scale by 0
  let scale = <i32>(sigB >> <u64>(0x403e - expB));
  if (signB) scale = -scale;
  roundPack80(signA, expA + scale, sigA, 0, 64);
}

// ---- FXTRACT ------------------------------------------------------------------------------------
/** Significand to zSE/zSig; the exponent (as a value) to exSE/exSig. */
export let exSE: u32 = 0;
export let exSig: u64 = 0;
export function sfExtract(aSE: u32, aSig: u64): void {
  if (isUnsupported(aSE, aSig)) { raise(SW_IE); defaultNaN(); exSE = NAN_SE; exSig = NAN_SIG; return; }
  const signA = (aSE >> 15) != 0;
  let expA = <i32>(aSE & 0x7fff);
  let sigA = aSig;
  if (expA == 0x7fff) {
    if ((sigA << 1) != 0) { propagateNaN(aSE, aSig, 0, 0); exSE = zSE; exSig = zSig; return; }
    setZ(aSE, aSig); // significand of +-inf is +-inf, the exponent +inf
    exSE = 0x7fff; exSig = TOP64;
    return;
  }
  if (expA == 0) {
    if (sigA == 0) {
      raise(SW_ZE);
      pack(signA, 0, 0);
      exSE = 0xffff; exSig = TOP64; // -inf
      return;
    }
    raise(SW_DE);
    normSubnormal(sigA);
    expA = nExp + 1;
    sigA = nSig;
  }
  const saveSE = (signA ? 0x8000 : 0) | 0x3fff, saveSig = sigA;
  i64ToExt(<i64>(expA - 0x3fff));
  exSE = zSE; exSig = zSig;
  zSE = saveSE; zSig = saveSig;
}

// ---- Partial remainder (FPREM, FPREM1) ----------------------------------------------------------
/** Quotient low bits of the last sfRem, and whether the reduction is incomplete (C2). */
export let remQ: u64 = 0;
export let remPartial: bool = false;

/** 128/64 step: (a << expDiff) / b for 0 < expDiff < 64; quotient returned, remainder in xV. */
function remainderKernel(a: u64, b: u64, expDiff: i32): u64 {
  let r = a >> <u64>(64 - expDiff); // < b
  const lo = a << <u64>expDiff;
  let q: u64 = 0;
  for (let i = 63; i >= 0; i--) {
    const carry = r >> 63;
    r = (r << 1) | ((lo >> <u64>i) & 1);
    q <<= 1;
    if (carry != 0 || r >= b) { r -= b; q |= 1; }
  }
  xV = r;
  return q;
}

/**
 * FPREM (nearest = false: quotient truncated) and FPREM1 (nearest = true: IEEE remainder).
 * Returns -1 when the result is a NaN / invalid (condition codes untouched), 0 for a complete
 * reduction, 1 for a partial one (C2).
 */
export function sfRem(aSE: u32, aSig: u64, bSE: u32, bSig: u64, nearest: bool): i32 {
  remQ = 0;
  if (isUnsupported(aSE, aSig) || isUnsupported(bSE, bSig)) { raise(SW_IE); defaultNaN(); return -1; }
  let aSign = (aSE >> 15) != 0;
  let aExp = <i32>(aSE & 0x7fff), bExp = <i32>(bSE & 0x7fff);
  let aSig0 = aSig, bSig0 = bSig;
  if (aExp == 0x7fff) {
    if ((aSig0 << 1) != 0 || (bExp == 0x7fff && (bSig0 << 1) != 0)) { propagateNaN(aSE, aSig, bSE, bSig); return -1; }
    raise(SW_IE); defaultNaN(); return -1;
  }
  if (bExp == 0x7fff) {
    if ((bSig0 << 1) != 0) { propagateNaN(aSE, aSig, bSE, bSig); return -1; }
    if (aExp == 0 && aSig0 != 0) {
      raise(SW_DE);
      normSubnormal(aSig0);
      if ((aSig & TOP64) != 0) pack(aSign, nExp + 1, nSig); else setZ(aSE, aSig);
      return 0;
    }
    setZ(aSE, aSig);
    return 0;
  }
  if (bExp == 0) {
    if (bSig0 == 0) { raise(SW_IE); defaultNaN(); return -1; }
    raise(SW_DE);
    normSubnormal(bSig0);
    bExp = nExp + 1;
    bSig0 = nSig;
  }
  if (aExp == 0) {
    if (aSig0 == 0) { setZ(aSE, aSig); return 0; }
    raise(SW_DE);
    normSubnormal(aSig0);
    aExp = nExp + 1;
    aSig0 = nSig;
  }
  let expDiff = aExp - bExp;
  let aSig1: u64 = 0;
  let zExp: i32;
  let partial = 0;
  let q: u64 = 0;
  if (expDiff >= 64) {
    const n = (expDiff & 0x1f) | 0x20;
    remainderKernel(aSig0, bSig0, n);
    aSig0 = xV;
    zExp = aExp - n;
    partial = 1;
  } else {
    zExp = bExp;
    if (expDiff < 0) {
      if (expDiff < -1) {
        if ((aSig & TOP64) != 0) pack(aSign, aExp, aSig0); else setZ(aSE, aSig);
        return 0;
      }
      aSig1 = aSig0 << 63;
      aSig0 >>= 1;
      expDiff = 0;
    }
    if (expDiff > 0) {
      q = remainderKernel(aSig0, bSig0, expDiff);
      aSig0 = xV;
    } else if (bSig0 <= aSig0) {
      aSig0 -= bSig0;
      q = 1;
    }
    if (nearest) {
      // Compare the remainder with b/2 = (bSig0 >> 1 : bSig0 << 63).
      const t0 = bSig0 >> 1, t1 = bSig0 << 63;
      const lessThanHalf = aSig0 < t0 || (aSig0 == t0 && aSig1 < t1);
      if (!lessThanHalf) {
        const eq = aSig0 == t0 && aSig1 == t1;
        const gt = !eq;
        if ((eq && (q & 1) != 0) || gt) { aSign = !aSign; q++; }
        if (gt) {
          // rem = (bSig0:0) - (aSig0:aSig1)
          const borrow: u64 = aSig1 != 0 ? 1 : 0;
          aSig1 = 0 - aSig1;
          aSig0 = bSig0 - aSig0 - borrow;
        }
      }
    }
  }
  remQ = q;
  remPartial = partial != 0;
  normRoundPack80(aSign, zExp, aSig0, aSig1, 64);
  return partial;
}

// ---- Conversions --------------------------------------------------------------------------------
/** Set by f32ToExt/f64ToExt when the source was a denormal (the caller raises DE or not). */
export let srcDenormal: bool = false;

/** Exact single -> extended. NaNs keep their signalling state (the caller quiets them). */
export function f32ToExt(a: u32): void {
  const sign = (a >> 31) != 0;
  const exp = <i32>((a >> 23) & 0xff);
  let frac = <u64>(a & 0x7fffff);
  srcDenormal = false;
  if (exp == 0xff) {
    if (frac != 0) pack(sign, 0x7fff, TOP64 | (frac << 40));
    else pack(sign, 0x7fff, TOP64);
    return;
  }
  if (exp == 0) {
    if (frac == 0) { pack(sign, 0, 0); return; }
    srcDenormal = true;
    const s = <i32>clz<u64>(frac) - 40; // bring the leading 1 to bit 23
    pack(sign, 0x3f81 - s, frac << <u64>(40 + s));
    return;
  }
  pack(sign, exp + 0x3f80, TOP64 | (frac << 40));
}

/** Exact double -> extended. NaNs keep their signalling state. */
export function f64ToExt(a: u64): void {
  const sign = (a >> 63) != 0;
  const exp = <i32>((a >> 52) & 0x7ff);
  const frac = a & 0x000fffffffffffff;
  srcDenormal = false;
  if (exp == 0x7ff) {
    if (frac != 0) pack(sign, 0x7fff, TOP64 | (frac << 11));
    else pack(sign, 0x7fff, TOP64);
    return;
  }
  if (exp == 0) {
    if (frac == 0) { pack(sign, 0, 0); return; }
    srcDenormal = true;
    const s = <i32>clz<u64>(frac) - 11; // bring the leading 1 to bit 52
    pack(sign, 0x3c01 - s, frac << <u64>(11 + s));
    return;
  }
  pack(sign, exp + 0x3c00, TOP64 | (frac << 11));
}

/** Quiet an SNaN in zSE/zSig, raising IE (loads of m32/m64). */
export function quietLoadedNaN(): void {
  if (isSNaN80(zSE, zSig)) { raise(SW_IE); zSig |= NAN_SIG; }
}

/** Exact integer -> extended. */
export function i64ToExt(v: i64): void {
  srcDenormal = false;
  if (v == 0) { zSE = 0; zSig = 0; return; }
  const sign = v < 0;
  const mag: u64 = sign ? <u64>(0 - v) : <u64>v;
  const s = <i32>clz<u64>(mag);
  pack(sign, 0x403e - s, mag << <u64>s);
}

/**
 * Round an extended value to an IEEE single (frac 23) or double (frac 52) with the extended
 * value's flags (IE for SNaN/unsupported, OE UE PE). Returns the bits.
 */
function roundPackIEEE(sign: bool, exp: i32, sig: u64, fracBits: i32, maxExp: i32): u64 {
  const rb = 62 - fracBits;
  const mask: u64 = (<u64>1 << <u64>rb) - 1;
  const half: u64 = <u64>1 << <u64>(rb - 1);
  const nearEven = sfRC == RC_NEAR;
  const inc: u64 = nearEven ? half : (roundsAway(sign) ? mask : 0);
  let roundBits = sig & mask;
  const signBit: u64 = sign ? <u64>1 << <u64>(fracBits + (fracBits == 52 ? 11 : 8)) : 0;
  const infBits: u64 = fracBits == 52 ? 0x7ff0000000000000 : 0x7f800000;
  if (<u32>exp >= <u32>maxExp) {
    if (exp < 0) {
      const isTiny = exp < -1 || sig + inc < TOP64;
      if (isTiny && !masked(SW_UE)) {
        raise(SW_UE); // nothing is stored: the value is irrelevant
        return signBit;
      }
      sig = shiftRightJam64(sig, -exp);
      exp = 0;
      roundBits = sig & mask;
      if (isTiny && roundBits != 0) raise(SW_UE);
    } else if (exp > maxExp || sig + inc >= TOP64) {
      raise(SW_OE);
      if (roundBits != 0 || masked(SW_OE)) {
        raise(SW_PE);
        if (inc != 0) sfRoundUp = true;
      }
      return signBit | (inc != 0 ? infBits : infBits - 1);
    }
  }
  const sigRef = sig;
  let s = (sig + inc) >> <u64>rb;
  if (nearEven && roundBits == half) s &= ~(<u64>1);
  if (s == 0) exp = 0;
  if (roundBits != 0) {
    raise(SW_PE);
    if ((s << <u64>rb) > sigRef) sfRoundUp = true;
  }
  return signBit + (<u64>exp << <u64>fracBits) + s;
}

/** Extended -> double bits, rounded per sfRC. */
export function extToF64(aSE: u32, aSig: u64): u64 {
  if (isUnsupported(aSE, aSig)) { raise(SW_IE); return 0xfff8000000000000; }
  const sign = (aSE >> 15) != 0;
  const exp = <i32>(aSE & 0x7fff);
  const signBit: u64 = sign ? TOP64 : 0;
  if (exp == 0 && aSig == 0) return signBit;
  if (exp == 0x7fff) {
    if ((aSig & LOW63) != 0) {
      if (isSNaN80(aSE, aSig)) raise(SW_IE);
      return signBit | 0x7ff8000000000000 | ((aSig << 1) >> 12);
    }
    return signBit | 0x7ff0000000000000;
  }
  const sig = (aSig >> 1) | (aSig & 1);
  return roundPackIEEE(sign, exp - 0x3c01, sig, 52, 0x7fd);
}

/** Extended -> single bits, rounded per sfRC. */
export function extToF32(aSE: u32, aSig: u64): u32 {
  if (isUnsupported(aSE, aSig)) { raise(SW_IE); return 0xffc00000; }
  const sign = (aSE >> 15) != 0;
  const exp = <i32>(aSE & 0x7fff);
  const signBit: u32 = sign ? 0x80000000 : 0;
  if (exp == 0 && aSig == 0) return signBit;
  if (exp == 0x7fff) {
    if ((aSig & LOW63) != 0) {
      if (isSNaN80(aSE, aSig)) raise(SW_IE);
      return signBit | 0x7fc00000 | <u32>((aSig << 1) >> 41);
    }
    return signBit | 0x7f800000;
  }
  const sig = (aSig >> 1) | (aSig & 1);
  return <u32>roundPackIEEE(sign, exp - 0x3f81, sig, 23, 0xfd);
}

/**
 * Extended -> signed integer of `bits` (16, 32, 64) rounded per sfRC. Out of range, NaN and
 * unsupported operands raise IE (only) and return the integer indefinite (the most negative value).
 */
export function extToInt(aSE: u32, aSig: u64, bits: i32): i64 {
  const indefinite: i64 = bits == 64 ? <i64>TOP64 : bits == 32 ? -0x80000000 : -0x8000;
  if (isUnsupported(aSE, aSig)) { raise(SW_IE); return indefinite; }
  const sign = (aSE >> 15) != 0;
  const exp = <i32>(aSE & 0x7fff);
  const shift = 0x403e - exp;
  let v: u64, extra: u64;
  if (shift <= 0) {
    if (shift < 0) { raise(SW_IE); return indefinite; } // also NaN and infinity
    v = aSig; extra = 0;
  } else {
    shiftRightJam64Extra(aSig, 0, shift);
    v = xV; extra = xX;
  }
  let inc: bool;
  if (sfRC == RC_NEAR) inc = extra >= TOP64;
  else inc = roundsAway(sign) && extra != 0;
  const truncated = v;
  if (inc) {
    v++;
    if (v == 0) { raise(SW_IE); return indefinite; }
    if (sfRC == RC_NEAR && (extra & LOW63) == 0) v &= ~(<u64>1);
  }
  // Range check on the magnitude.
  const limit: u64 = bits == 64 ? TOP64 : bits == 32 ? 0x80000000 : 0x8000;
  if (v > limit || (v == limit && !sign)) { raise(SW_IE); return indefinite; }
  if (extra != 0) {
    raise(SW_PE);
    if (v > truncated) sfRoundUp = true;
  }
  return sign ? <i64>(0 - v) : <i64>v;
}

// ---- f64 bridges for the transcendental instructions --------------------------------------------
/** An extended value as the nearest double (overflows to +-inf, underflows to 0); no flags. */
export function extToDouble(aSE: u32, aSig: u64): f64 {
  const f = sfFlags, r = sfRC, u = sfRoundUp, m = sfMasks;
  sfRC = RC_NEAR;
  sfMasks = 0x3f;
  const bits = extToF64(aSE, aSig);
  sfFlags = f; sfRC = r; sfRoundUp = u; sfMasks = m;
  return reinterpret<f64>(bits);
}
/** A double into zSE/zSig, exactly. */
export function doubleToExt(x: f64): void {
  f64ToExt(reinterpret<u64>(x));
}
