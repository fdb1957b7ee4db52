// The cases of the integer differential tests (int-native.test.ts, qemu-undefined.ts): instruction
// families with their operands, which flags the SDM defines for each case, and the undefined-flag
// categories with candidate rules ("models") that the summary table tries against each CPU.

import {
  ARITH, AF, Bits, CF, Case, EDGES, MEM_SLOT, Model, OF, Op, Out, PF, R, SF, UndefinedTable, ZF, mask, prng,
} from "./native";

export const undef = new UndefinedTable();

// ---- Helpers -------------------------------------------------------------------------------------

/** The PRNG; each family restarts it from a seed derived from its name, so its cases do not depend on which families ran before. */
let rnd = prng(0x7ab51503);
function seedFrom(name: string): number {
  let h = 0x7ab51503;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
const garbage = () => Array.from({ length: 7 }, () => rnd());
/** Random status flags (EFLAGS bit 1 is added by the runner). */
const rflags = () => rnd() & ARITH;
/** Sets the low `bits` of register `r` (or AH/BH/CH/DH bits 8-15 when `high`). */
function put(regs: number[], r: number, v: number, bits: Bits, high = false): number[] {
  const shift = high ? 8 : 0;
  const m = (mask(bits) << shift) >>> 0;
  regs[r] = ((regs[r] & ~m) | ((v << shift) & m)) >>> 0;
  return regs;
}
const rval = (bits: Bits) => {
  // Mostly uniform, sometimes near an edge.
  const v = rnd();
  const k = v & 7;
  const m = mask(bits);
  if (k === 0) return (EDGES[bits][rnd() % EDGES[bits].length] + (rnd() % 5) - 2) & m;
  return (rnd() & m) >>> 0;
};
const signBit = (bits: Bits) => (bits === 32 ? 0x80000000 : 1 << (bits - 1));
const msb = (v: number, bits: Bits) => ((v >>> (bits - 1)) & 1);
function szp(v: number, bits: Bits): number {
  v = (v & mask(bits)) >>> 0;
  let p = 0;
  for (let i = 0; i < 8; i++) p ^= (v >> i) & 1;
  return (v === 0 ? ZF : 0) | (v & signBit(bits) ? SF : 0) | (p ? 0 : PF);
}
const ACC: Record<Bits, string> = { 8: "al", 16: "ax", 32: "eax" };
const SRC: Record<Bits, string> = { 8: "bl", 16: "bx", 32: "ebx" };
const SIZES: Bits[] = [8, 16, 32];

// Every snippet used below, assembled at once (setOps) before the cases are built.
let ops = new Map<string, Op>();
export function setOps(o: Map<string, Op>): void { ops = o; }
function op(asm: string): Op {
  const o = ops.get(asm);
  if (!o) throw new Error(`snippet not pre-registered: ${asm}`);
  return o;
}

export interface Family {
  name: string;
  snippets: () => string[];
  cases: () => Case[];
  /** Extra assertions on the native outputs (that the inputs exercise what they should). */
  expectNative?: (cases: Case[], native: Out[]) => string | null;
}
export const families: Family[] = [];
function family(name: string, snippetsFn: () => string[], cases: () => Case[], expectNative?: Family["expectNative"]) {
  families.push({ name, snippets: snippetsFn, cases: () => { rnd = prng(seedFrom(name)); return cases(); }, expectNative });
}

// ---- ALU -------------------------------------------------------------------------------------------

const ALU = ["add", "adc", "sub", "sbb", "and", "or", "xor", "cmp", "test"];
const LOGIC = new Set(["and", "or", "xor", "test"]);
/** The sign-extended imm8 form (83 /n); TEST has none, so it gets F6 /0 on DL. */
const imm8Form = (o: string) => (o === "test" ? "test dl, 0xfd" : `${o} edx, byte -3`);
undef.declare("logic AF", "AF after AND OR XOR TEST", []);

family("ADD ADC SUB SBB AND OR XOR CMP TEST",
  () => ALU.flatMap((o) => [...SIZES.map((b) => `${o} ${ACC[b]}, ${SRC[b]}`), `${o} ah, bh`, `${o} ecx, 0x12345678`, imm8Form(o)]),
  () => {
    const cases: Case[] = [];
    for (const o of ALU) {
      const defined = LOGIC.has(o) ? ARITH & ~AF : ARITH;
      const cat = LOGIC.has(o) ? "logic AF" : undefined;
      for (const b of SIZES) {
        for (const x of EDGES[b]) for (const y of EDGES[b]) for (const cin of [0, CF]) {
          const regs = put(put(garbage(), R.eax, x, b), R.ebx, y, b);
          cases.push({ op: op(`${o} ${ACC[b]}, ${SRC[b]}`), regs, flags: (rflags() & ~CF) | cin, defined, cat });
        }
        for (let i = 0; i < 300; i++) {
          const regs = put(put(garbage(), R.eax, rval(b), b), R.ebx, rval(b), b);
          cases.push({ op: op(`${o} ${ACC[b]}, ${SRC[b]}`), regs, flags: rflags(), defined, cat });
        }
      }
      for (let i = 0; i < 100; i++) {
        cases.push({ op: op(`${o} ah, bh`), regs: put(put(garbage(), R.eax, rval(8), 8, true), R.ebx, rval(8), 8, true), flags: rflags(), defined, cat });
        cases.push({ op: op(`${o} ecx, 0x12345678`), regs: put(garbage(), R.ecx, rval(32), 32), flags: rflags(), defined, cat });
        cases.push({ op: op(imm8Form(o)), regs: put(garbage(), R.edx, rval(32), 32), flags: rflags(), defined, cat });
      }
    }
    return cases;
  });

// ---- INC DEC NEG NOT ----------------------------------------------------------------------------------

family("INC DEC NEG NOT",
  () => ["inc", "dec", "neg", "not"].flatMap((o) => SIZES.map((b) => `${o} ${ACC[b]}`))
    .concat(["db 0xff, 0xc0 ; inc eax (FF /0)", "db 0x66, 0xff, 0xc8 ; dec ax (FF /1)", "dec ecx", "inc di"]),
  () => {
    const cases: Case[] = [];
    for (const o of ["inc", "dec", "neg", "not"]) for (const b of SIZES) {
      const values = [...EDGES[b], ...Array.from({ length: 200 }, () => rval(b))];
      for (const v of values) {
        cases.push({ op: op(`${o} ${ACC[b]}`), regs: put(garbage(), R.eax, v, b), flags: rflags(), defined: ARITH });
      }
    }
    for (const v of [...EDGES[32], ...Array.from({ length: 50 }, () => rnd())]) {
      cases.push({ op: op("db 0xff, 0xc0 ; inc eax (FF /0)"), regs: put(garbage(), R.eax, v, 32), flags: rflags(), defined: ARITH });
      cases.push({ op: op("db 0x66, 0xff, 0xc8 ; dec ax (FF /1)"), regs: put(garbage(), R.eax, v, 16), flags: rflags(), defined: ARITH });
      cases.push({ op: op("dec ecx"), regs: put(garbage(), R.ecx, v, 32), flags: rflags(), defined: ARITH });
      cases.push({ op: op("inc di"), regs: put(garbage(), R.edi, v, 16), flags: rflags(), defined: ARITH });
    }
    return cases;
  });

// ---- Shifts and rotates -------------------------------------------------------------------------------

type ShiftOp = "shl" | "shr" | "sar" | "rol" | "ror" | "rcl" | "rcr";
const SHIFTS: ShiftOp[] = ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"];

/** Bit-by-bit simulation; returns the value and CF after each step, and OF by the count-1 rule at each step. */
function shiftSteps(o: ShiftOp, a: number, count: number, cin: number, bits: Bits) {
  const m = BigInt(mask(bits)), w = BigInt(bits);
  const top = (x: bigint) => Number((x >> (w - 1n)) & 1n);
  const next = (x: bigint) => Number((x >> (w - 2n)) & 1n);
  let v = BigInt(a >>> 0) & m, cf = cin;
  const steps: { v: bigint; cf: number; of: number }[] = [];
  for (let i = 0; i < count; i++) {
    const before = v, cfBefore = cf;
    switch (o) {
      case "shl": cf = top(v); v = (v << 1n) & m; break;
      case "shr": cf = Number(v & 1n); v >>= 1n; break;
      case "sar": cf = Number(v & 1n); v = (v >> 1n) | (BigInt(top(v)) << (w - 1n)); break;
      case "rol": cf = top(v); v = ((v << 1n) | BigInt(cf)) & m; break;
      case "ror": cf = Number(v & 1n); v = (v >> 1n) | (BigInt(cf) << (w - 1n)); break;
      case "rcl": { const out = top(v); v = ((v << 1n) | BigInt(cf)) & m; cf = out; break; }
      case "rcr": { const out = Number(v & 1n); v = (v >> 1n) | (BigInt(cf) << (w - 1n)); cf = out; break; }
    }
    let of = 0;
    if (o === "shl" || o === "rol" || o === "rcl") of = top(v) ^ cf;
    else if (o === "shr") of = top(before);
    else if (o === "sar") of = 0;
    else if (o === "ror") of = top(v) ^ next(v);
    else of = top(before) ^ cfBefore; // rcr
    steps.push({ v, cf, of });
  }
  return steps;
}
interface ShiftNote { o: ShiftOp; a: number; count: number; bits: Bits }
const shiftInfo = new WeakMap<Case, ShiftNote>();
const ofModel = (name: string, f: (c: Case, o: { regs: number[]; flags: number }, s: ShiftNote) => number): Model => ({
  name, bits: OF, flags: (c, o) => { const s = shiftInfo.get(c)!; return f(c, o, s) ? OF : 0; },
});
const SHIFT_OF_MODELS: Model[] = [
  ofModel("OF by the count-1 rule at the first step", (c, _o, s) => shiftSteps(s.o, s.a, s.count, c.flags & CF, s.bits)[0].of),
  ofModel("OF by the count-1 rule at the last step", (c, _o, s) => shiftSteps(s.o, s.a, s.count, c.flags & CF, s.bits)[s.count - 1].of),
  ofModel("OF = MSB(operand) XOR MSB(result)", (_c, o, s) => msb(s.a, s.bits) ^ msb(o.regs[R.eax], s.bits)),
  ofModel("OF = MSB(result) XOR CF", (_c, o, s) => msb(o.regs[R.eax], s.bits) ^ (o.flags & CF)),
];
const SHIFT_CF_MODELS: Model[] = [{
  name: "CF = last bit out of an unbounded shift", bits: CF, flags: (c) => {
    const s = shiftInfo.get(c)!;
    const a = s.a >>> 0;
    if (s.o === "shl") return s.count === s.bits ? a & 1 : 0;
    return s.count === s.bits ? msb(a, s.bits) : 0;
  },
}];
for (const o of ["shl", "shr", "sar"]) {
  undef.declare(`${o} count=1`, `${o.toUpperCase()} by 1: AF`, []);
  undef.declare(`${o} count>1`, `${o.toUpperCase()} by 2..31 (within width): AF, OF`, SHIFT_OF_MODELS);
}
undef.declare("shl count>=w", "SHL 8/16-bit by width..31: AF, OF, CF", [...SHIFT_OF_MODELS, ...SHIFT_CF_MODELS]);
undef.declare("shr count>=w", "SHR 8/16-bit by width..31: AF, OF, CF", [...SHIFT_OF_MODELS, ...SHIFT_CF_MODELS]);
undef.declare("sar count>=w", "SAR 8/16-bit by width..31: AF, OF", SHIFT_OF_MODELS);
for (const o of ["rol", "ror", "rcl", "rcr"]) undef.declare(`${o} count>1`, `${o.toUpperCase()} by 2..31: OF`, SHIFT_OF_MODELS);
for (const o of ["rcl", "rcr"]) undef.declare(`${o} count=k(w+1)`, `${o.toUpperCase()} 8/16-bit by 9, 18, 27 / 17 (no net rotation): OF`, SHIFT_OF_MODELS);

function shiftDefined(o: ShiftOp, count: number, bits: Bits): { defined: number; cat?: string } {
  const c = count & 31;
  if (c === 0) return { defined: ARITH };
  if (o.startsWith("r")) {
    if (c === 1) return { defined: ARITH };
    // RCL/RCR rotate through w+1 bits: these counts rotate back to the start.
    const full = (o === "rcl" || o === "rcr") && c % (bits + 1) === 0;
    return { defined: ARITH & ~OF, cat: full ? `${o} count=k(w+1)` : `${o} count>1` };
  }
  if (c >= bits) {
    return { defined: o === "sar" ? CF | SF | ZF | PF : SF | ZF | PF, cat: `${o} count>=w` };
  }
  return c === 1 ? { defined: ARITH & ~AF, cat: `${o} count=1` } : { defined: ARITH & ~AF & ~OF, cat: `${o} count>1` };
}
const IMM_COUNTS = [1, 2, 7, 8, 9, 16, 17, 31, 32, 33, 200];
const immShift = (o: string, b: Bits, k: number) => `${o} ${ACC[b]}, byte ${k}`;

family("SHL SHR SAR ROL ROR RCL RCR",
  () => SHIFTS.flatMap((o) => SIZES.flatMap((b) => [`${o} ${ACC[b]}, cl`, `${o} ${ACC[b]}, 1`, ...IMM_COUNTS.map((k) => immShift(o, b, k))]))
    .concat(["db 0xd3, 0xf0 ; sal eax, cl (D3 /6)"]),
  () => {
    const cases: Case[] = [];
    const add = (c: Case, o: ShiftOp, a: number, count: number, bits: Bits) => {
      shiftInfo.set(c, { o, a, count: count & 31, bits });
      cases.push(c);
    };
    for (const o of SHIFTS) for (const b of SIZES) {
      const values = [...EDGES[b], ...Array.from({ length: 6 }, () => rval(b))];
      for (let count = 0; count < 32; count++) for (const v of values) {
        const cl = count | (rnd() & 0xe0); // upper bits of CL are masked off
        const regs = put(put(garbage(), R.eax, v, b), R.ecx, cl, 8);
        add({ op: op(`${o} ${ACC[b]}, cl`), regs, flags: rflags(), ...shiftDefined(o, count, b), note: `count=${count}` }, o, v, count, b);
      }
      for (let i = 0; i < 20; i++) {
        const v = rval(b);
        add({ op: op(`${o} ${ACC[b]}, 1`), regs: put(garbage(), R.eax, v, b), flags: rflags(), ...shiftDefined(o, 1, b) }, o, v, 1, b);
        for (const k of IMM_COUNTS) {
          const w = rval(b);
          add({ op: op(immShift(o, b, k)), regs: put(garbage(), R.eax, w, b), flags: rflags(), ...shiftDefined(o, k, b) }, o, w, k, b);
        }
      }
    }
    for (let i = 0; i < 200; i++) {
      const v = rnd(), n = rnd() & 31;
      add({ op: op("db 0xd3, 0xf0 ; sal eax, cl (D3 /6)"), regs: put(put(garbage(), R.eax, v, 32), R.ecx, n, 8), flags: rflags(), ...shiftDefined("shl", n, 32) }, "shl", v, n, 32);
    }
    return cases;
  });

// ---- SHLD SHRD ----------------------------------------------------------------------------------------

const dblInfo = new WeakMap<Case, { left: boolean; a: number; b: number; count: number; bits: Bits }>();
/** The Intel/QEMU behaviour for 16-bit counts above 16: shift the 48-bit dst:src:dst. */
function dbl48(left: boolean, a: number, b: number, count: number): { res: number; cf: number } {
  const x = (BigInt(a & 0xffff) << 32n) | (BigInt(b & 0xffff) << 16n) | BigInt(a & 0xffff);
  const c = BigInt(count);
  if (left) {
    return { res: Number(((x << c) >> 32n) & 0xffffn), cf: Number(((x << (c - 1n)) >> 47n) & 1n) };
  }
  return { res: Number((x >> c) & 0xffffn), cf: Number((x >> (c - 1n)) & 1n) };
}
/** SHLD/SHRD by a count within the operand width. */
function dblShift(left: boolean, a: number, b: number, count: number, bits: Bits): number {
  const m = BigInt(mask(bits)), w = BigInt(bits), c = BigInt(count);
  const x = left ? ((BigInt(a) & m) << w) | (BigInt(b) & m) : ((BigInt(b) & m) << w) | (BigInt(a) & m);
  return Number(left ? ((x << c) >> w) & m : (x >> c) & m);
}
const DBL_MODELS: Model[] = [
  { name: "OF by the count-1 rule at the last step", bits: OF, flags: (c, o) => {
    // The last 1-bit step changed the sign: MSB(result) XOR the bit below it before that step
    // (SHLD: the bit shifted out last = CF; SHRD: bit w-2 of the result).
    const d = dblInfo.get(c)!;
    const r = o.regs[R.eax];
    return msb(r, d.bits) ^ (d.left ? o.flags & CF : (r >>> (d.bits - 2)) & 1) ? OF : 0;
  } },
  { name: "OF = CF", bits: OF, flags: (_c, o) => (o.flags & CF ? OF : 0) },
  { name: "OF = MSB(dst) XOR MSB(result)", bits: OF, flags: (c, o) => { const d = dblInfo.get(c)!; return msb(d.a, d.bits) ^ msb(o.regs[R.eax], d.bits) ? OF : 0; } },
  { name: "SZP of the result", bits: SF | ZF | PF, flags: (c, o) => szp(o.regs[R.eax], dblInfo.get(c)!.bits) },
  { name: "CF = last bit out of dst:src:dst (Intel, QEMU)", bits: CF, flags: (c) => { const d = dblInfo.get(c)!; return dbl48(d.left, d.a, d.b, d.count).cf ? CF : 0; } },
  { name: "result = dst:src:dst shifted (Intel, QEMU)", reg: (c) => { const d = dblInfo.get(c)!; return ((c.regs[R.eax] & ~0xffff) | dbl48(d.left, d.a, d.b, d.count).res) >>> 0; } },
  { name: "result = 32-bit src:dst shifted", reg: (c) => {
    const d = dblInfo.get(c)!;
    const x = d.left ? ((d.a & 0xffff) << 16 | (d.b & 0xffff)) >>> 0 : ((d.b & 0xffff) << 16 | (d.a & 0xffff)) >>> 0;
    const r = d.left ? (x << d.count) >>> 16 : x >>> d.count;
    return ((c.regs[R.eax] & ~0xffff) | (r & 0xffff)) >>> 0;
  } },
  { name: "result = dst:src:src (SHLD) or src:src:dst (SHRD) shifted", reg: (c) => {
    const d = dblInfo.get(c)!;
    const a = BigInt(d.a & 0xffff), b = BigInt(d.b & 0xffff), n = BigInt(d.count);
    const r = d.left ? (((a << 32n) | (b << 16n) | b) << n) >> 32n : ((b << 32n) | (b << 16n) | a) >> n;
    return ((c.regs[R.eax] & ~0xffff) | Number(r & 0xffffn)) >>> 0;
  } },
  { name: "unchanged", reg: (c) => c.regs[R.eax] },
];
for (const o of ["shld", "shrd"]) {
  undef.declare(`${o} count=1`, `${o.toUpperCase()} by 1: AF`, DBL_MODELS);
  undef.declare(`${o} count>1`, `${o.toUpperCase()} by 2..width: AF, OF`, DBL_MODELS);
  undef.declare(`${o} 16-bit count=16`, `${o.toUpperCase()} 16-bit by 16: AF, OF`, DBL_MODELS);
  undef.declare(`${o} 16-bit count>16`, `${o.toUpperCase()} 16-bit by 17..31: result and all flags`, DBL_MODELS, { reg: R.eax });
}
const DBL_IMM = [1, 4, 15, 16, 17, 24, 31, 32, 40];
family("SHLD SHRD",
  () => ["shld", "shrd"].flatMap((o) => ([16, 32] as Bits[]).flatMap((b) => [`${o} ${ACC[b]}, ${SRC[b]}, cl`, ...DBL_IMM.map((k) => `${o} ${ACC[b]}, ${SRC[b]}, ${k}`)])),
  () => {
    const cases: Case[] = [];
    for (const o of ["shld", "shrd"]) for (const b of [16, 32] as Bits[]) {
      const vals = [0, 1, 0x80, signBit(b), mask(b), signBit(b) - 1, 0x5555 & mask(b), 0x12345678 & mask(b)];
      const pairs: [number, number][] = [];
      for (const x of vals) for (const y of vals) pairs.push([x, y]);
      for (let i = 0; i < 16; i++) pairs.push([rval(b), rval(b)]);
      const mk = (asm: string, x: number, y: number, count: number, cl: number) => {
        const c0 = count & 31;
        let defined: number, cat: string | undefined, skipRegs: number[] | undefined;
        if (c0 === 0) defined = ARITH;
        else if (c0 > b) { defined = 0; cat = `${o} 16-bit count>16`; skipRegs = [R.eax]; }
        else if (c0 === 1) { defined = ARITH & ~AF; cat = `${o} count=1`; }
        else { defined = ARITH & ~AF & ~OF; cat = c0 === 16 && b === 16 ? `${o} 16-bit count=16` : `${o} count>1`; }
        const c: Case = { op: op(asm), regs: put(put(put(garbage(), R.eax, x, b), R.ebx, y, b), R.ecx, cl, 8), flags: rflags(), defined, cat, skipRegs, note: `count=${c0}` };
        dblInfo.set(c, { left: o === "shld", a: x, b: y, count: c0, bits: b });
        cases.push(c);
      };
      for (let count = 0; count < 32; count++) for (const [x, y] of pairs) mk(`${o} ${ACC[b]}, ${SRC[b]}, cl`, x, y, count, count | (rnd() & 0xe0));
      for (const k of DBL_IMM) for (let i = 0; i < 16; i++) mk(`${o} ${ACC[b]}, ${SRC[b]}, ${k}`, rval(b), rval(b), k, rnd());
    }
    return cases;
  });

// ---- MUL IMUL -----------------------------------------------------------------------------------------

const mulInfo = new WeakMap<Case, { bits: Bits; signed: boolean; a: number; b: number }>();
function product(c: Case) {
  const d = mulInfo.get(c)!;
  const sx = (v: number) => (d.signed ? BigInt.asIntN(d.bits, BigInt(v)) : BigInt.asUintN(d.bits, BigInt(v)));
  const p = BigInt.asUintN(2 * d.bits, sx(d.a) * sx(d.b));
  return { p, low: Number(p & BigInt(mask(d.bits))), high: Number(p >> BigInt(d.bits)), bits: d.bits };
}
const MUL_MODELS: Model[] = [
  { name: "SZP of the low half", bits: SF | ZF | PF, flags: (c) => { const p = product(c); return szp(p.low, p.bits); } },
  { name: "SZP of the high half", bits: SF | ZF | PF, flags: (c) => { const p = product(c); return szp(p.high, p.bits); } },
  { name: "ZF/SF of the whole product, PF of its low byte", bits: SF | ZF | PF, flags: (c) => {
    const p = product(c);
    let par = 0;
    for (let i = 0; i < 8; i++) par ^= (p.low >> i) & 1;
    return (p.p === 0n ? ZF : 0) | ((p.p >> BigInt(2 * p.bits - 1)) & 1n ? SF : 0) | (par ? 0 : PF);
  } },
];
undef.declare("mul", "MUL: SF ZF AF PF", MUL_MODELS);
undef.declare("imul1", "IMUL (one operand): SF ZF AF PF", MUL_MODELS);
undef.declare("imul2", "IMUL (two and three operands): SF ZF AF PF", MUL_MODELS);
const IMUL3: [Bits, number][] = [[16, 3], [16, -1], [16, 0x7f], [16, -128], [16, 0x1234], [16, 0x7fff], [16, -0x8000],
  [32, 3], [32, -1], [32, 0x7f], [32, -128], [32, 0x10001], [32, 0x7fffffff], [32, -0x80000000], [32, 0], [32, 0xffff]];
family("MUL IMUL",
  () => [...SIZES.flatMap((b) => [`mul ${SRC[b]}`, `imul ${SRC[b]}`]), "imul ax, bx", "imul eax, ebx", "imul ecx, esi",
    ...IMUL3.map(([b, k]) => `imul ${ACC[b]}, ${SRC[b]}, ${k}`)],
  () => {
    const cases: Case[] = [];
    const mk = (asm: string, cat: string, bits: Bits, signed: boolean, a: number, b: number, regs: number[]) => {
      const c: Case = { op: op(asm), regs, flags: rflags(), defined: CF | OF, cat };
      mulInfo.set(c, { bits, signed, a, b });
      cases.push(c);
    };
    for (const b of SIZES) {
      const pairs: [number, number][] = [];
      for (const x of EDGES[b]) for (const y of EDGES[b]) pairs.push([x, y]);
      for (let i = 0; i < 300; i++) pairs.push([rval(b), rval(b)]);
      for (const [x, y] of pairs) {
        mk(`mul ${SRC[b]}`, "mul", b, false, x, y, put(put(garbage(), R.eax, x, b), R.ebx, y, b));
        mk(`imul ${SRC[b]}`, "imul1", b, true, x, y, put(put(garbage(), R.eax, x, b), R.ebx, y, b));
        if (b !== 8) mk(`imul ${ACC[b]}, ${SRC[b]}`, "imul2", b, true, x, y, put(put(garbage(), R.eax, x, b), R.ebx, y, b));
      }
    }
    for (let i = 0; i < 200; i++) { const x = rval(32), y = rval(32); mk("imul ecx, esi", "imul2", 32, true, x, y, put(put(garbage(), R.ecx, x, 32), R.esi, y, 32)); }
    for (const [b, k] of IMUL3) {
      for (const x of [...EDGES[b], ...Array.from({ length: 40 }, () => rval(b))]) {
        mk(`imul ${ACC[b]}, ${SRC[b]}, ${k}`, "imul2", b, true, x, k & mask(b), put(garbage(), R.ebx, x, b));
      }
    }
    return cases;
  });

// ---- DIV IDIV -----------------------------------------------------------------------------------------

undef.declare("div", "DIV (no fault): all six flags", []);
undef.declare("idiv", "IDIV (no fault): all six flags", []);
family("DIV IDIV (and which inputs raise #DE)",
  () => SIZES.flatMap((b) => [`div ${SRC[b]}`, `idiv ${SRC[b]}`]),
  () => {
    const cases: Case[] = [];
    for (const o of ["div", "idiv"]) for (const b of SIZES) {
      const divisors = [...EDGES[b], ...Array.from({ length: 14 }, () => rval(b))];
      for (const d of divisors) {
        // Dividend halves: zero, small, just below/at the divisor, sign patterns, random.
        const highs = [0, 1, (d - 1) & mask(b), d, mask(b), signBit(b), signBit(b) - 1, ((-d) & mask(b)) >>> 0, rval(b), rval(b)];
        const lows = [0, 1, mask(b), signBit(b), rval(b), rval(b)];
        for (const hi of highs) for (const lo of lows) {
          const regs = garbage();
          if (b === 8) put(regs, R.eax, (hi << 8) | lo, 16); else { put(regs, R.edx, hi, b); put(regs, R.eax, lo, b); }
          put(regs, R.ebx, d, b);
          cases.push({ op: op(`${o} ${SRC[b]}`), regs, flags: rflags(), defined: 0, cat: o });
        }
      }
    }
    return cases;
  },
  // Both outcomes must be well represented for every form, zero divisors and overflowing quotients alike.
  (cases, native) => {
    const problems: string[] = [];
    for (const asm of SIZES.flatMap((b) => [`div ${SRC[b]}`, `idiv ${SRC[b]}`])) {
      const mine = cases.map((c, i) => [c, native[i]] as const).filter(([c]) => c.op.asm === asm);
      const de = mine.filter(([, n]) => n.fault === 1);
      const byZero = de.filter(([c]) => (c.regs[R.ebx] & mask(SIZES.find((b) => asm.endsWith(SRC[b]))!)) === 0).length;
      if (de.length - byZero < 50 || byZero < 20 || mine.length - de.length < 200) {
        problems.push(`${asm}: ${mine.length} cases, ${byZero} #DE by zero, ${de.length - byZero} #DE by overflow`);
      }
      if (mine.some(([, n]) => n.fault > 1)) problems.push(`${asm}: a fault other than #DE`);
    }
    return problems.length ? problems.join("; ") : null;
  });

// ---- Bit test and scan ---------------------------------------------------------------------------------

undef.declare("bt", "BT BTS BTR BTC: OF SF AF PF", []);
const bsInfo = new WeakMap<Case, { v: number; bits: Bits; rev: boolean }>();
const BS_MODELS: Model[] = [
  { name: "SZP of the source", bits: SF | ZF | PF, flags: (c) => { const d = bsInfo.get(c)!; return szp(d.v, d.bits); } },
  { name: "SZP of the result", bits: SF | ZF | PF, flags: (c, o) => szp(o.regs[R.eax], bsInfo.get(c)!.bits) },
  { name: "CF = (source == 0)", bits: CF, flags: (c) => (bsInfo.get(c)!.v === 0 ? CF : 0) },
  { name: "unchanged", reg: (c) => c.regs[R.eax] },
  { name: "zero", reg: () => 0 },
];
undef.declare("bsx", "BSF/BSR, source non-zero: CF OF SF AF PF", BS_MODELS);
undef.declare("bsx zero", "BSF/BSR, source zero: CF OF SF AF PF, destination", BS_MODELS, { reg: R.eax });
const BT_IMM = [0, 5, 15, 16, 31, 32, 45, 255];
family("BT BTS BTR BTC BSF BSR",
  () => ["bt", "bts", "btr", "btc"].flatMap((o) => [`${o} ax, bx`, `${o} eax, ebx`, ...BT_IMM.map((k) => `${o} eax, ${k}`), `${o} ax, 17`])
    .concat(["bsf ax, bx", "bsf eax, ebx", "bsr ax, bx", "bsr eax, ebx"]),
  () => {
    const cases: Case[] = [];
    const btDefined = CF | ZF;
    for (const o of ["bt", "bts", "btr", "btc"]) {
      for (const b of [16, 32] as Bits[]) {
        for (let i = 0; i < 300; i++) {
          const off = i < 64 ? i : rnd();
          cases.push({ op: op(`${o} ${ACC[b]}, ${SRC[b]}`), regs: put(put(garbage(), R.eax, rval(b), b), R.ebx, off, b), flags: rflags(), defined: btDefined, cat: "bt" });
        }
      }
      for (const k of BT_IMM) for (let i = 0; i < 20; i++) {
        cases.push({ op: op(`${o} eax, ${k}`), regs: garbage(), flags: rflags(), defined: btDefined, cat: "bt" });
      }
      for (let i = 0; i < 20; i++) cases.push({ op: op(`${o} ax, 17`), regs: garbage(), flags: rflags(), defined: btDefined, cat: "bt" });
    }
    for (const o of ["bsf", "bsr"]) for (const b of [16, 32] as Bits[]) {
      const values = [0, 0, 0, 0, ...EDGES[b], ...Array.from({ length: b }, (_, i) => 2 ** i), ...Array.from({ length: 200 }, () => rval(b))];
      for (const v of values) {
        const zero = (v & mask(b)) === 0;
        const c: Case = {
          op: op(`${o} ${ACC[b]}, ${SRC[b]}`), regs: put(garbage(), R.ebx, v, b), flags: rflags(), defined: ZF,
          cat: zero ? "bsx zero" : "bsx", skipRegs: zero ? [R.eax] : undefined,
        };
        bsInfo.set(c, { v: v & mask(b), bits: b, rev: o === "bsr" });
        cases.push(c);
      }
    }
    return cases;
  });

// ---- BSWAP XADD CMPXCHG CMPXCHG8B --------------------------------------------------------------------

const REGS32 = ["eax", "ecx", "edx", "ebx", "ebp", "esi", "edi"];
undef.declare("bswap16", "BSWAP with a 16-bit operand (66 0F C8): result", [
  { name: "low word cleared", reg: (c) => (c.regs[R.eax] & 0xffff0000) >>> 0 },
  { name: "low word byte-swapped", reg: (c) => ((c.regs[R.eax] & 0xffff0000) | ((c.regs[R.eax] & 0xff) << 8) | ((c.regs[R.eax] >> 8) & 0xff)) >>> 0 },
  { name: "32-bit BSWAP", reg: (c) => { const v = c.regs[R.eax]; return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0; } },
  { name: "unchanged", reg: (c) => c.regs[R.eax] },
], { reg: R.eax });
family("BSWAP XADD CMPXCHG CMPXCHG8B",
  () => [...REGS32.map((r) => `bswap ${r}`), "db 0x66, 0x0f, 0xc8 ; bswap ax",
    ...SIZES.flatMap((b) => [`xadd ${ACC[b]}, ${SRC[b]}`, `xadd ${ACC[b]}, ${ACC[b]}`, `cmpxchg ${SRC[b]}, ${["cl", "cx", "ecx"][SIZES.indexOf(b)]}`, `cmpxchg ${ACC[b]}, ${SRC[b]}`]),
    "xadd [edi], ecx", "cmpxchg [edi], ecx", "cmpxchg byte [edi+3], dl", "cmpxchg8b [edi]"],
  () => {
    const cases: Case[] = [];
    for (const r of REGS32) for (let i = 0; i < 60; i++) cases.push({ op: op(`bswap ${r}`), regs: garbage(), flags: rflags(), defined: ARITH });
    for (let i = 0; i < 60; i++) cases.push({ op: op("db 0x66, 0x0f, 0xc8 ; bswap ax"), regs: garbage(), flags: rflags(), defined: ARITH, cat: "bswap16", skipRegs: [R.eax] });
    for (const b of SIZES) {
      const cx = ["cl", "cx", "ecx"][SIZES.indexOf(b)];
      for (const x of EDGES[b]) for (const y of EDGES[b]) {
        cases.push({ op: op(`xadd ${ACC[b]}, ${SRC[b]}`), regs: put(put(garbage(), R.eax, x, b), R.ebx, y, b), flags: rflags(), defined: ARITH });
        // CMPXCHG: half the time the accumulator equals the destination.
        const acc = rnd() & 1 ? y : x;
        cases.push({ op: op(`cmpxchg ${SRC[b]}, ${cx}`), regs: put(put(put(garbage(), R.eax, acc, b), R.ebx, y, b), R.ecx, x, b), flags: rflags(), defined: ARITH });
      }
      for (let i = 0; i < 100; i++) {
        cases.push({ op: op(`xadd ${ACC[b]}, ${ACC[b]}`), regs: put(garbage(), R.eax, rval(b), b), flags: rflags(), defined: ARITH });
        cases.push({ op: op(`cmpxchg ${ACC[b]}, ${SRC[b]}`), regs: garbage(), flags: rflags(), defined: ARITH });
      }
    }
    const slot = () => BigInt(rnd()) | (BigInt(rnd()) << 32n);
    for (let i = 0; i < 300; i++) {
      const mem = slot();
      const lo = Number(mem & 0xffffffffn), hi = Number(mem >> 32n);
      const regs = garbage();
      regs[R.edi] = MEM_SLOT;
      cases.push({ op: op("xadd [edi], ecx"), regs: [...regs], flags: rflags(), mem, defined: ARITH });
      const k = i % 4; // memory equals EDX:EAX, or differs in the low half, the high half, or both
      regs[R.eax] = k & 1 ? rnd() : lo;
      regs[R.edx] = k & 2 ? rnd() : hi;
      cases.push({ op: op("cmpxchg8b [edi]"), regs: [...regs], flags: rflags(), mem, defined: ARITH });
      regs[R.eax] = i & 1 ? lo : rnd();
      cases.push({ op: op("cmpxchg [edi], ecx"), regs: [...regs], flags: rflags(), mem, defined: ARITH });
      regs[R.eax] = i & 1 ? (lo >>> 24) : rnd();
      cases.push({ op: op("cmpxchg byte [edi+3], dl"), regs: [...regs], flags: rflags(), mem, defined: ARITH });
    }
    return cases;
  });

// ---- Conversions and moves --------------------------------------------------------------------------

const MOVX = ["movsx eax, bl", "movsx eax, bx", "movsx ax, bl", "movzx eax, bl", "movzx eax, bx", "movzx ax, bl",
  "movsx ecx, bh", "movzx edx, ah", "movsx si, dh", "movzx edi, word [edi]"];
family("CBW CWDE CWD CDQ MOVSX MOVZX",
  () => ["cbw", "cwde", "cwd", "cdq", ...MOVX],
  () => {
    const cases: Case[] = [];
    const values = [...EDGES[32], ...EDGES[16], ...EDGES[8], ...Array.from({ length: 150 }, () => rnd())];
    for (const asm of ["cbw", "cwde", "cwd", "cdq", ...MOVX]) for (const v of values) {
      const regs = garbage();
      regs[R.eax] = v; regs[R.ebx] = (v ^ 0x80808080) >>> 0; regs[R.edx] = rnd() & 1 ? v : regs[R.edx];
      const mem = asm.includes("[edi]") ? BigInt(v) * 0x10001n : undefined;
      if (mem !== undefined) regs[R.edi] = MEM_SLOT;
      cases.push({ op: op(asm), regs, flags: rflags(), mem, defined: ARITH });
    }
    return cases;
  });

// ---- SETcc CMOVcc LAHF SAHF CMC CLC STC --------------------------------------------------------------

const CCS = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
/** All 64 combinations of the six status flags. */
const ALL_FLAGS = Array.from({ length: 64 }, (_, i) => [CF, PF, AF, ZF, SF, OF].reduce((f, bit, j) => (i >> j) & 1 ? f | bit : f, 0));
family("SETcc CMOVcc LAHF SAHF CMC CLC STC",
  () => [...CCS.flatMap((cc) => [`set${cc} al`, `set${cc} bh`, `cmov${cc} eax, ebx`, `cmov${cc} ax, bx`]), "lahf", "sahf", "cmc", "clc", "stc"],
  () => {
    const cases: Case[] = [];
    for (const f of ALL_FLAGS) {
      for (const cc of CCS) for (const asm of [`set${cc} al`, `set${cc} bh`, `cmov${cc} eax, ebx`, `cmov${cc} ax, bx`]) {
        cases.push({ op: op(asm), regs: garbage(), flags: f, defined: ARITH });
      }
      for (const asm of ["lahf", "cmc", "clc", "stc"]) cases.push({ op: op(asm), regs: garbage(), flags: f, defined: ARITH });
    }
    for (let ah = 0; ah < 256; ah++) for (const f of [0, ARITH, rflags()]) {
      cases.push({ op: op("sahf"), regs: put(garbage(), R.eax, ah, 8, true), flags: f, defined: ARITH });
    }
    return cases;
  });

export const snippets = [...new Set(families.flatMap((f) => f.snippets()))];
