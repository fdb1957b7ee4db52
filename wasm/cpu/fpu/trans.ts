// Transcendental x87 instructions, computed in f64 with JS Math (see the deviations in state.ts):
// special operands (zero, infinity, NaN, unsupported, denormal) follow the x87 rules exactly;
// finite results carry about 53 good bits and always set PE. Results go to zSE/zSig (softfloat.ts),
// flags to sfFlags. Arguments that leave the f64 range are scaled exactly in extended precision
// first, and products by ST(1) are done in extended precision (so overflow/underflow are exact).

import {
  zSE, zSig, raise, sfMul, sfAdd, propagateNaN, isUnsupported, isNaN80, isDenormal80,
  extToDouble, doubleToExt, NAN_SE, NAN_SIG, sfSetZ,
} from "./softfloat";
import { SW_IE, SW_DE, SW_ZE, SW_UE, SW_PE } from "./state";

const TOP64: u64 = 0x8000000000000000;
// log2(e) and ln(2) as extended constants (round to nearest).
const L2E_SE: u32 = 0x3fff;
const L2E_SIG: u64 = 0xb8aa3b295c17f0bc;
const LN2_SE: u32 = 0x3ffe;
const LN2_SIG: u64 = 0xb17217f7d1cf79ac;

@inline function setZ(se: u32, sig: u64): void { sfSetZ(se, sig); }
@inline function nan(): void { sfSetZ(NAN_SE, NAN_SIG); }
@inline function isZero(se: u32, sig: u64): bool { return (se & 0x7fff) == 0 && sig == 0; }
@inline function isInf(se: u32, sig: u64): bool { return (se & 0x7fff) == 0x7fff && (sig << 1) == 0; }
@inline function neg(se: u32): bool { return (se >> 15) != 0; }

/** Store a double result (inexact). */
function fromDouble(x: f64): void {
  doubleToExt(x);
  raise(SW_PE);
}

/** Returns 1 when |x| >= 2^63 (C2: out of range, operand unchanged), -1 when the result is set by
 * the special-operand rules, 0 when the caller computes a finite result. */
function trigSpecial(se: u32, sig: u64): i32 {
  if (isUnsupported(se, sig)) { raise(SW_IE); nan(); return -1; }
  if (isNaN80(se, sig)) { propagateNaN(se, sig, 0, 0); return -1; }
  if (isInf(se, sig)) { raise(SW_IE); nan(); return -1; }
  if ((se & 0x7fff) >= 0x403e) return 1;
  if (isDenormal80(se, sig)) raise(SW_DE);
  return 0;
}

/** FSIN (which = 0), FCOS (1), FPTAN (2) of ST(0); the result in zSE/zSig. Returns as trigSpecial. */
export function trig(which: i32, se: u32, sig: u64): i32 {
  const s = trigSpecial(se, sig);
  if (s != 0) return s;
  if (isZero(se, sig)) {
    if (which == 1) setZ(0x3fff, TOP64); else setZ(se, sig);
    return 0;
  }
  if ((se & 0x7fff) < 0x3fff - 40) {
    // |x| < 2^-40: sin x = tan x = x and cos x = 1 to extended precision, inexactly.
    if (which == 1) setZ(0x3fff, TOP64); else setZ(se, sig);
    raise(SW_PE);
    if (which != 1 && (se & 0x7fff) == 0 && (sig >> 63) == 0) raise(SW_UE);
    return 0;
  }
  const x = extToDouble(se, sig);
  fromDouble(which == 0 ? Math.sin(x) : which == 1 ? Math.cos(x) : Math.tan(x));
  return 0;
}

/** FPATAN: atan2(y = ST(1), x = ST(0)). */
export function patan(ySE: u32, ySig: u64, xSE: u32, xSig: u64): void {
  if (isUnsupported(ySE, ySig) || isUnsupported(xSE, xSig)) { raise(SW_IE); nan(); return; }
  if (isNaN80(ySE, ySig) || isNaN80(xSE, xSig)) { propagateNaN(xSE, xSig, ySE, ySig); return; }
  if (isDenormal80(ySE, ySig) || isDenormal80(xSE, xSig)) raise(SW_DE);
  if (!neg(xSE) && (isZero(ySE, ySig) || (isInf(xSE, xSig) && !isInf(ySE, ySig)))) {
    setZ(ySE & 0x8000, 0); // atan2(+-0, +x) and atan2(y, +inf) are +-0 exactly
    return;
  }
  // Scale both by the same power of two so the larger is about 1 (atan2 depends on y/x only).
  const ey = <i32>(ySE & 0x7fff), ex = <i32>(xSE & 0x7fff);
  let y: f64, x: f64;
  const yInf = isInf(ySE, ySig), xInf = isInf(xSE, xSig);
  if (yInf || xInf) {
    // Only the signs and which operand is infinite matter.
    y = yInf ? (neg(ySE) ? -Infinity : Infinity) : (neg(ySE) ? -1.0 : 1.0);
    x = xInf ? (neg(xSE) ? -Infinity : Infinity) : (neg(xSE) ? -1.0 : 1.0);
    if (!yInf && isZero(ySE, ySig)) y = neg(ySE) ? -0.0 : 0.0;
  } else {
    const big = ey > ex ? ey : ex;
    const shift = big - 0x3fff;
    y = isZero(ySE, ySig) ? (neg(ySE) ? -0.0 : 0.0) : scaled(ySE, ySig, shift);
    x = isZero(xSE, xSig) ? (neg(xSE) ? -0.0 : 0.0) : scaled(xSE, xSig, shift);
  }
  fromDouble(Math.atan2(y, x));
}

/** The value of (se, sig) * 2^-shift as a double (denormal inputs are handled by the caller's DE). */
function scaled(se: u32, sig: u64, shift: i32): f64 {
  let e = <i32>(se & 0x7fff);
  if (e == 0) e = 1; // denormal / pseudo-denormal: exponent 1 with the significand as stored
  e -= shift;
  if (e <= 0) return 0.0 * (neg(se) ? -1.0 : 1.0);
  if (e >= 0x7fff) return neg(se) ? -Infinity : Infinity;
  // Normalize a denormal significand while keeping the value.
  let s = sig;
  if ((s >> 63) == 0) {
    const z = <i32>clz<u64>(s);
    s <<= <u64>z;
    e -= z;
    if (e <= 0) return 0.0;
  }
  return extToDouble((se & 0x8000) | <u32>e, s);
}

/** log2(x) for finite x > 0 as a double, exact when x is a power of two (then no PE). */
function log2Of(se: u32, sig: u64): f64 {
  let e = <i32>(se & 0x7fff);
  let s = sig;
  if (e == 0) {
    e = 1;
    const z = <i32>clz<u64>(s);
    s <<= <u64>z;
    e -= z;
  }
  const unb = e - 0x3fff;
  if ((s << 1) == 0) return <f64>unb; // a power of two
  raise(SW_PE);
  if (unb == 0 || unb == -1) {
    // x in [0.5, 2): log2(x) = log1p(x - 1) / ln 2 with x - 1 computed exactly.
    sfAdd(<u32>(0x3fff + unb), s, 0x3fff, TOP64, true);
    return Math.log1p(extToDouble(zSE, zSig)) * Math.LOG2E;
  }
  return <f64>unb + Math.log2(extToDouble(0x3fff, s));
}

/** FYL2X: y * log2(x), y = ST(1), x = ST(0). Special operands as Bochs' fyl2x. */
export function yl2x(ySE: u32, ySig: u64, xSE: u32, xSig: u64): void {
  if (isUnsupported(ySE, ySig) || isUnsupported(xSE, xSig)) { raise(SW_IE); nan(); return; }
  const ySign = ySE & 0x8000;
  const xExp = xSE & 0x7fff, yExp = ySE & 0x7fff;
  if (xExp == 0x7fff) {
    if ((xSig << 1) != 0 || (yExp == 0x7fff && (ySig << 1) != 0)) { propagateNaN(xSE, xSig, ySE, ySig); return; }
    if (neg(xSE)) { raise(SW_IE); nan(); return; } // log2(-inf)
    if (isZero(ySE, ySig)) { raise(SW_IE); nan(); return; } // 0 * inf
    if (isDenormal80(ySE, ySig)) raise(SW_DE);
    setZ(ySign | 0x7fff, TOP64);
    return;
  }
  if (yExp == 0x7fff) {
    if ((ySig << 1) != 0) { propagateNaN(xSE, xSig, ySE, ySig); return; }
    if (neg(xSE) && !isZero(xSE, xSig)) { raise(SW_IE); nan(); return; }
    if (isDenormal80(xSE, xSig)) raise(SW_DE);
    if (xExp < 0x3fff) { setZ((ySign ^ 0x8000) | 0x7fff, TOP64); return; } // log2(x) < 0 (or -inf)
    if (xExp == 0x3fff && (xSig << 1) == 0) { raise(SW_IE); nan(); return; } // inf * log2(1)
    setZ(ySign | 0x7fff, TOP64);
    return;
  }
  if (isZero(xSE, xSig)) {
    if (isZero(ySE, ySig)) { raise(SW_IE); nan(); return; }
    raise(SW_ZE);
    setZ((ySign ^ 0x8000) | 0x7fff, TOP64); // y * -inf
    return;
  }
  if (neg(xSE)) { raise(SW_IE); nan(); return; } // log of a negative number
  if (isDenormal80(xSE, xSig)) raise(SW_DE);
  if (isZero(ySE, ySig)) { setZ(xExp < 0x3fff ? ySign ^ 0x8000 : ySign, 0); return; }
  if (isDenormal80(ySE, ySig)) raise(SW_DE);
  if (xExp == 0x3fff && xSig == TOP64) { setZ(ySign, 0); return; } // log2(1) = +0
  const l = log2Of(xSE, xSig);
  doubleToExt(l);
  sfMul(ySE, ySig, zSE, zSig);
  if ((xSig << 1) != 0 || xExp == 0) raise(SW_PE);
}

/** FYL2XP1: y * log2(x + 1), y = ST(1), x = ST(0). Special operands as Bochs' fyl2xp1. */
export function yl2xp1(ySE: u32, ySig: u64, xSE: u32, xSig: u64): void {
  if (isUnsupported(ySE, ySig) || isUnsupported(xSE, xSig)) { raise(SW_IE); nan(); return; }
  const zSign = (xSE ^ ySE) & 0x8000;
  const xExp = xSE & 0x7fff, yExp = ySE & 0x7fff;
  if (xExp == 0x7fff) {
    if ((xSig << 1) != 0 || (yExp == 0x7fff && (ySig << 1) != 0)) { propagateNaN(xSE, xSig, ySE, ySig); return; }
    if (neg(xSE)) { raise(SW_IE); nan(); return; }
    if (isZero(ySE, ySig)) { raise(SW_IE); nan(); return; }
    if (isDenormal80(ySE, ySig)) raise(SW_DE);
    setZ((ySE & 0x8000) | 0x7fff, TOP64);
    return;
  }
  if (yExp == 0x7fff) {
    if ((ySig << 1) != 0) { propagateNaN(xSE, xSig, ySE, ySig); return; }
    if (isZero(xSE, xSig)) { raise(SW_IE); nan(); return; } // inf * 0
    if (isDenormal80(xSE, xSig)) raise(SW_DE);
    setZ(zSign | 0x7fff, TOP64);
    return;
  }
  if (isZero(xSE, xSig)) {
    if (isDenormal80(ySE, ySig)) raise(SW_DE);
    setZ(zSign, 0);
    return;
  }
  if (isDenormal80(xSE, xSig)) raise(SW_DE);
  if (isZero(ySE, ySig)) { setZ(zSign, 0); return; }
  if (isDenormal80(ySE, ySig)) raise(SW_DE);
  raise(SW_PE);
  if (neg(xSE) && xExp >= 0x3fff) { setZ(xSE, xSig); return; } // x <= -1: outside the domain, x is returned
  if (xExp < 0x3fff - 1000) {
    // Below the double range: log2(1 + x) = x * log2(e) to extended precision.
    sfMul(xSE, xSig, L2E_SE, L2E_SIG);
  } else {
    doubleToExt(Math.log1p(extToDouble(xSE, xSig)) * Math.LOG2E);
  }
  sfMul(ySE, ySig, zSE, zSig);
  raise(SW_PE);
}

/** F2XM1: 2^x - 1 of ST(0), defined for -1 <= x <= 1 (outside it x is returned, as Bochs and AMD do). */
export function f2xm1(se: u32, sig: u64): void {
  if (isUnsupported(se, sig)) { raise(SW_IE); nan(); return; }
  if (isNaN80(se, sig)) { propagateNaN(se, sig, 0, 0); return; }
  if (isInf(se, sig)) {
    if (neg(se)) setZ(0xbfff, TOP64); else setZ(se, sig); // -inf -> -1, +inf -> +inf
    return;
  }
  if (isZero(se, sig)) { setZ(se, sig); return; }
  if (isDenormal80(se, sig)) raise(SW_DE);
  raise(SW_PE);
  if ((se & 0x7fff) >= 0x3fff) {
    if (se == 0xbfff && sig == TOP64) setZ(0xbffe, TOP64); // 2^-1 - 1 = -0.5
    else setZ(se, sig);
    return;
  }
  if ((se & 0x7fff) < 0x3fff - 1000) {
    sfMul(se, sig, LN2_SE, LN2_SIG); // 2^x - 1 = x ln 2 to extended precision
    return;
  }
  fromDouble(Math.expm1(extToDouble(se, sig) * Math.LN2));
}
