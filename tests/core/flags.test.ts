// Flags unit tests: every ALU op, INC/DEC/NEG, the shifts and rotates, and MUL/IMUL at 8, 16 and
// 32 bits over edge values, each checked against an oracle written from the SDM's definitions
// (range checks on whole numbers, not the core's bit tricks). Flags the SDM leaves undefined are
// masked out (AF after logic ops and shifts, OF after multi-bit shifts, SF ZF PF AF after MUL).

import { describe, expect, it } from "vitest";
import { CoreHarness, nasm, EAX, EBX, ECX, EDX } from "./harness";
import { RP } from "../../src/shared/run-page";

const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
const ARITH = CF | PF | AF | ZF | SF | OF;
type Bits = 8 | 16 | 32;
const REG: Record<Bits, [string, string]> = { 8: ["al", "bl"], 16: ["ax", "bx"], 32: ["eax", "ebx"] };

const EDGES = [
  0, 1, 2, 0x7f, 0x80, 0x81, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
  0x80000001, 0xfffffffe, 0xffffffff, 0x12345678, 0xf0f0f0f0, 0x0f0f0f0f, 0x55aa55aa,
];

const mask = (bits: Bits) => (bits === 32 ? 0xffffffff : (1 << bits) - 1);
const signed = (v: number, bits: Bits) => {
  const m = mask(bits);
  v = (v & m) >>> 0;
  return v > m / 2 ? v - m - 1 : v;
};
const parity = (v: number) => {
  let p = 0;
  for (let i = 0; i < 8; i++) p ^= (v >> i) & 1;
  return p === 0 ? PF : 0;
};
function szp(res: number, bits: Bits): number {
  const m = mask(bits);
  res = (res & m) >>> 0;
  return (res === 0 ? ZF : 0) | (res > m / 2 ? SF : 0) | parity(res);
}

/** Oracle: result and defined-flag mask for `op` on a, b with carry-in `cin`. */
function oracle(op: string, a: number, b: number, cin: number, bits: Bits): { res: number; flags: number; defined: number } {
  const m = mask(bits);
  a = (a & m) >>> 0;
  b = (b & m) >>> 0;
  const lim = m / 2;
  const inSigned = (v: number) => v >= -lim - 1 && v <= lim;
  switch (op) {
    case "add": case "adc": {
      const c = op === "adc" ? cin : 0;
      const full = a + b + c;
      const res = full % (m + 1);
      const flags = (full > m ? CF : 0) | ((a & 0xf) + (b & 0xf) + c > 0xf ? AF : 0) |
        (inSigned(signed(a, bits) + signed(b, bits) + c) ? 0 : OF) | szp(res, bits);
      return { res, flags, defined: ARITH };
    }
    case "sub": case "sbb": case "cmp": {
      const c = op === "sbb" ? cin : 0;
      const full = a - b - c;
      const res = ((full % (m + 1)) + (m + 1)) % (m + 1);
      const flags = (full < 0 ? CF : 0) | ((a & 0xf) - (b & 0xf) - c < 0 ? AF : 0) |
        (inSigned(signed(a, bits) - signed(b, bits) - c) ? 0 : OF) | szp(res, bits);
      return { res: op === "cmp" ? a : res, flags, defined: ARITH };
    }
    case "and": case "or": case "xor": {
      const res = ((op === "and" ? a & b : op === "or" ? a | b : a ^ b) & m) >>> 0;
      return { res, flags: szp(res, bits), defined: ARITH & ~AF };
    }
    default:
      throw new Error(op);
  }
}

const h = new CoreHarness();
const programs = new Map<string, Uint8Array>();
/** Run `body` (32-bit code) with EAX=a, EBX=b, EFLAGS=flagsIn; returns EAX and EFLAGS after. */
function exec(body: string, a: number, b: number, flagsIn: number, ecx = 0): { eax: number; flags: number; edx: number } {
  let code = programs.get(body);
  if (!code) {
    code = nasm(`push edx\npopfd\n${body}\npushfd\npop esi\nhlt`, 32, 0x1000);
    programs.set(body, code);
  }
  h.load(0x1000, code);
  h.flat32(0x1000);
  h.rp.setGpr(EAX, a);
  h.rp.setGpr(EBX, b);
  h.rp.setGpr(ECX, ecx);
  h.rp.setGpr(EDX, flagsIn | 2);
  const r = h.run(100);
  if (r.reason !== RP.EXIT_HLT) throw new Error(`exit ${r.reason} running ${body}`);
  return { eax: h.gpr(EAX), flags: h.gpr(6), edx: h.gpr(EDX) };
}
const hexs = (v: number) => "0x" + (v >>> 0).toString(16);

describe("ALU flags against the SDM oracle", () => {
  for (const bits of [8, 16, 32] as Bits[]) {
    for (const op of ["add", "adc", "sub", "sbb", "cmp", "and", "or", "xor"]) {
      it(`${op} ${bits}-bit`, () => {
        const [d, s] = REG[bits];
        let checked = 0;
        for (const a of EDGES) for (const b of EDGES) for (const cin of [0, 1]) {
          const got = exec(`${op} ${d}, ${s}`, a, b, cin ? CF : 0);
          const want = oracle(op, a, b, cin, bits);
          const ctx = `${op} ${hexs(a)}, ${hexs(b)} cin=${cin}`;
          expect((got.eax & mask(bits)) >>> 0, ctx).toBe(want.res);
          expect(hexs(got.flags & want.defined), ctx).toBe(hexs(want.flags & want.defined));
          checked++;
        }
        expect(checked).toBe(EDGES.length * EDGES.length * 2);
      });
    }
  }
});

describe("INC, DEC, NEG", () => {
  for (const bits of [8, 16, 32] as Bits[]) {
    it(`${bits}-bit, CF preserved by INC/DEC`, () => {
      const [d] = REG[bits];
      for (const a of EDGES) for (const cin of [0, 1]) {
        const inc = exec(`inc ${d}`, a, 0, cin ? CF : 0);
        const wi = oracle("add", a, 1, 0, bits);
        expect((inc.eax & mask(bits)) >>> 0).toBe(wi.res);
        expect(hexs(inc.flags & ARITH), `inc ${hexs(a)}`).toBe(hexs((wi.flags & ~CF) | (cin ? CF : 0)));
        const dec = exec(`dec ${d}`, a, 0, cin ? CF : 0);
        const wd = oracle("sub", a, 1, 0, bits);
        expect((dec.eax & mask(bits)) >>> 0).toBe(wd.res);
        expect(hexs(dec.flags & ARITH), `dec ${hexs(a)}`).toBe(hexs((wd.flags & ~CF) | (cin ? CF : 0)));
        const neg = exec(`neg ${d}`, a, 0, cin ? CF : 0);
        const wn = oracle("sub", 0, a, 0, bits);
        expect((neg.eax & mask(bits)) >>> 0).toBe(wn.res);
        expect(hexs(neg.flags & ARITH), `neg ${hexs(a)}`).toBe(hexs(wn.flags));
      }
    });
  }
});

/** Shift oracle on whole numbers: returns result, CF, and OF (meaningful for count 1). */
function shiftOracle(op: string, a: number, count: number, cin: number, bits: Bits): { res: number; cf: number; of: number } {
  const m = BigInt(mask(bits));
  const w = BigInt(bits);
  let v = BigInt(a) & m;
  let cf = BigInt(cin);
  const msb = (x: bigint) => (x >> (w - 1n)) & 1n;
  const orig = v;
  for (let i = 0; i < count; i++) {
    switch (op) {
      case "shl": cf = msb(v); v = (v << 1n) & m; break;
      case "shr": cf = v & 1n; v = v >> 1n; break;
      case "sar": cf = v & 1n; v = (v >> 1n) | (msb(v) << (w - 1n)); break;
      case "rol": cf = msb(v); v = ((v << 1n) | cf) & m; break;
      case "ror": cf = v & 1n; v = (v >> 1n) | (cf << (w - 1n)); break;
      case "rcl": { const out = msb(v); v = ((v << 1n) | cf) & m; cf = out; break; }
      case "rcr": { const out = v & 1n; v = (v >> 1n) | (cf << (w - 1n)); cf = out; break; }
    }
  }
  let of = 0n;
  if (op === "shl" || op === "rol" || op === "rcl") of = msb(v) ^ cf;
  else if (op === "shr") of = msb(orig);
  else if (op === "sar") of = 0n;
  else if (op === "ror") of = msb(v) ^ ((v >> (w - 2n)) & 1n);
  else if (op === "rcr") of = msb(v) ^ ((v >> (w - 2n)) & 1n);
  return { res: Number(v), cf: Number(cf), of: Number(of) };
}

describe("shifts and rotates against a bit-by-bit oracle", () => {
  for (const bits of [8, 16, 32] as Bits[]) {
    for (const op of ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"]) {
      it(`${op} ${bits}-bit by CL`, () => {
        const [d] = REG[bits];
        for (const a of EDGES) for (const count of [1, 2, 3, bits - 1, bits === 32 ? 31 : bits]) for (const cin of [0, 1]) {
          const got = exec(`${op} ${d}, cl`, a, 0, cin ? CF : 0, count);
          const want = shiftOracle(op, a, count, cin, bits);
          const ctx = `${op} ${hexs(a)} by ${count} cin=${cin}`;
          expect((got.eax & mask(bits)) >>> 0, ctx).toBe(want.res);
          const shiftWithinWidth = count < bits;
          if (op.startsWith("r") || shiftWithinWidth) expect(got.flags & CF, ctx).toBe(want.cf);
          if (count === 1) expect((got.flags & OF) ? 1 : 0, ctx).toBe(want.of);
          if (!op.startsWith("r") && shiftWithinWidth) {
            expect(hexs(got.flags & (ZF | SF | PF)), ctx).toBe(hexs(szp(want.res, bits)));
          }
        }
      });
    }
  }

  it("a masked count of 0 changes neither the operand nor the flags", () => {
    const got = exec("shl eax, cl", 0x80000001, 0, CF | ZF | OF, 32);
    expect(got.eax).toBe(0x80000001);
    expect(got.flags & ARITH).toBe(CF | ZF | OF);
  });
});

describe("MUL and IMUL", () => {
  for (const bits of [8, 16, 32] as Bits[]) {
    it(`${bits}-bit CF/OF and products`, () => {
      const [, s] = REG[bits];
      for (const a of EDGES) for (const b of EDGES) {
        const m = BigInt(mask(bits));
        const ua = BigInt(a) & m, ub = BigInt(b) & m;
        const mul = exec(`mul ${s}`, a, b, 0);
        const p = ua * ub;
        const lowOf = (x: bigint) => Number(x & m);
        const hiOf = (x: bigint) => Number((x >> BigInt(bits)) & m);
        if (bits === 8) expect(mul.eax & 0xffff).toBe(Number(p & 0xffffn));
        else {
          expect((mul.eax & mask(bits)) >>> 0).toBe(lowOf(p));
          expect((mul.edx & mask(bits)) >>> 0).toBe(hiOf(p));
        }
        const significant = (p >> BigInt(bits)) !== 0n;
        expect(mul.flags & (CF | OF), `mul ${hexs(a)} * ${hexs(b)}`).toBe(significant ? CF | OF : 0);

        const imul = exec(`imul ${s}`, a, b, 0);
        const sp = BigInt(signed(a, bits)) * BigInt(signed(b, bits));
        const spMask = (sp & ((1n << BigInt(2 * bits)) - 1n));
        if (bits === 8) expect(imul.eax & 0xffff).toBe(Number(spMask));
        else {
          expect((imul.eax & mask(bits)) >>> 0).toBe(Number(spMask & m));
          expect((imul.edx & mask(bits)) >>> 0).toBe(Number((spMask >> BigInt(bits)) & m));
        }
        const fits = sp >= -(1n << BigInt(bits - 1)) && sp < (1n << BigInt(bits - 1));
        expect(imul.flags & (CF | OF), `imul ${hexs(a)} * ${hexs(b)}`).toBe(fits ? 0 : CF | OF);
      }
    });
  }
});
