// Differential tests of the x87 against the host's real FPU. tests/fpu-native/ref.c (compiled
// with gcc at test time) executes x87 instruction bytes on this x86-64 host; the same bytes run on
// tabvisor through the in-process harness, inside a table-driven 32-bit guest loop. Each case is
// FNINIT; FLDCW cw; FLD B; FLD A (so ST0 = A, ST1 = B); POPF flags; <op> with EDI/RDI pointing at a
// 10-byte memory slot; then FNSAVE. Compared: CW, SW, tag word, FOP, every non-empty register
// (80 bits), the memory slot and EFLAGS' arithmetic flags. Exact for everything except the
// transcendentals (FSIN FCOS FSINCOS FPTAN FPATAN F2XM1 FYL2X FYL2XP1), which tabvisor computes in
// f64: those compare values to 2^-50 relative and the status word without C1/PE/UE.
// Skipped when the host is not x86-64 or gcc is missing.

import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir, arch } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CoreHarness, nasm } from "./harness";
import { RP } from "../../src/shared/run-page";

// ---- Host reference ---------------------------------------------------------------------------
function compileRef(): string | null {
  if (arch() !== "x64") return null;
  try {
    const out = join(mkdtempSync(join(tmpdir(), "tabvisor-fpu-")), "fpu-ref");
    execFileSync("gcc", ["-O0", "-o", out, fileURLToPath(new URL("../fpu-native/ref.c", import.meta.url))]);
    return out;
  } catch {
    return null;
  }
}
const refBin = compileRef();

// ---- Values -------------------------------------------------------------------------------------
interface X80 { se: number; sig: bigint }
const TOP = 1n << 63n;
function x(se: number, sig: bigint): X80 { return { se, sig }; }
/** A double as an exact extended value. */
function fromF64(v: number): X80 {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v, true);
  const bits = dv.getBigUint64(0, true);
  const sign = Number(bits >> 63n) << 15;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  if (exp === 0x7ff) return x(sign | 0x7fff, TOP | (frac << 11n));
  if (exp === 0) {
    if (frac === 0n) return x(sign, 0n);
    let e = 0x3c01, f = frac << 11n;
    while ((f & TOP) === 0n) { f <<= 1n; e--; }
    return x(sign | e, f);
  }
  return x(sign | (exp + 0x3c00), TOP | (frac << 11n));
}
function hex80(v: X80): string {
  const b = new Uint8Array(10);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, v.sig, true);
  dv.setUint16(8, v.se, true);
  return [...b].map((c) => c.toString(16).padStart(2, "0")).join("");
}
function hexBytes(bytes: number[]): string {
  const b = bytes.slice(0, 10);
  while (b.length < 10) b.push(0);
  return b.map((c) => c.toString(16).padStart(2, "0")).join("");
}
const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
const f32bits = (v: number) => { const dv = new DataView(new ArrayBuffer(4)); dv.setFloat32(0, v, true); return dv.getUint32(0, true); };
const f64bits = (v: number) => { const dv = new DataView(new ArrayBuffer(8)); dv.setFloat64(0, v, true); return dv.getBigUint64(0, true); };

// The brief's list, plus extended-only encodings and integer-rounding boundaries.
const BASIC: X80[] = [
  0, -0, 1, -1, 1.5, -1.5, 2.5, -2.5, 1e308, 1e-308, Infinity, -Infinity, NaN, Math.PI,
].map(fromF64).concat([
  x(0x4034, TOP | (1n << 10n)), // 2^53 + 1, exact only as m80
  x(0x7fff, 0x8000000000000001n), // SNaN
  x(0xffff, 0xc000000000000123n), // -QNaN with payload
]);
const EXTRA: X80[] = [
  0.5, 3, -7, 0.1, -0.75, 1e18, 12345.678, 32767.5, -32768.5, 2147483647.5, 2 ** 63, -(2 ** 63), 4.5, 5.5, 1e-310,
].map(fromF64).concat([
  x(0x3ffd, 0xaaaaaaaaaaaaaaabn), // 1/3
  x(0x7000, 0xc90fdaa22168c235n), // ~1e4000 (beyond double)
  x(0x0100, 0x8000000000000001n), // ~1e-4800
  x(0x0000, 0x0000123456789abcn), // extended denormal
  x(0x8000, 0x8000000000000001n), // pseudo-denormal (negative)
  x(0x3fff, 0x4000000000000000n), // unnormal
  x(0x7ffe, 0xffffffffffffffffn), // largest finite
  x(0x0001, 0x8000000000000000n), // smallest normal
  x(0x403e, 0xfffffffffffffc00n), // 2^64 - 1024
]);
const ALL = BASIC.concat(EXTRA);
const SMALL = BASIC.slice(0, 14).concat(EXTRA.slice(0, 6));

// ---- Ops ----------------------------------------------------------------------------------------
// Memory operands use [edi]/[rdi] (ModR/M rm = 7).
const ARITH: Record<string, string> = {
  "fadd st0,st1": "d8c1", "fmul st0,st1": "d8c9", "fsub st0,st1": "d8e1", "fsubr st0,st1": "d8e9",
  "fdiv st0,st1": "d8f1", "fdivr st0,st1": "d8f9",
  "fadd st1,st0": "dcc1", "fsubr st1,st0": "dce1", "fsub st1,st0": "dce9", "fdivr st1,st0": "dcf1", "fdiv st1,st0": "dcf9",
  "faddp": "dec1", "fmulp": "dec9", "fsubrp": "dee1", "fsubp": "dee9", "fdivrp": "def1", "fdivp": "def9",
};
const COMPARE: Record<string, string> = {
  "fcom st1": "d8d1", "fcomp st1": "d8d9", "fcompp": "ded9", "fucom st1": "dde1", "fucomp st1": "dde9",
  "fucompp": "dae9", "fcomi": "dbf1", "fucomi": "dbe9", "fcomip": "dff1", "fucomip": "dfe9", "ftst": "d9e4",
};
const UNARY: Record<string, string> = {
  "fsqrt": "d9fa", "frndint": "d9fc", "fxam": "d9e5", "fchs": "d9e0", "fabs": "d9e1", "fxtract": "d9f4",
  "fincstp": "d9f7", "fdecstp": "d9f6", "ffree st1": "ddc1", "fld st1": "d9c1", "fst st1": "ddd1",
  "fstp st1": "ddd9", "fxch": "d9c9", "fnop": "d9d0",
};
const BINARY2: Record<string, string> = { "fscale": "d9fd", "fprem": "d9f8", "fprem1": "d9f5" };
const STORES: Record<string, string> = {
  "fst m32": "d917", "fstp m32": "d91f", "fst m64": "dd17", "fstp m64": "dd1f", "fstp m80": "db3f",
  "fist m16": "df17", "fistp m16": "df1f", "fist m32": "db17", "fistp m32": "db1f", "fistp m64": "df3f",
  "fbstp": "df37",
};
const CONSTS: Record<string, string> = {
  "fld1": "d9e8", "fldl2t": "d9e9", "fldl2e": "d9ea", "fldpi": "d9eb", "fldlg2": "d9ec", "fldln2": "d9ed", "fldz": "d9ee",
};
const FCMOV: Record<string, string> = {
  "fcmovb": "dac1", "fcmove": "dac9", "fcmovbe": "dad1", "fcmovu": "dad9",
  "fcmovnb": "dbc1", "fcmovne": "dbc9", "fcmovnbe": "dbd1", "fcmovnu": "dbd9",
};
const TRANS: Record<string, string> = {
  "fsin": "d9fe", "fcos": "d9ff", "fptan": "d9f2", "fsincos": "d9fb", "fpatan": "d9f3", "f2xm1": "d9f0",
  "fyl2x": "d9f1", "fyl2xp1": "d9f9",
};

interface Case {
  name: string; cw: number; flags: number; op: string; a: X80; b: X80; mem: string; approx?: boolean;
  /** Bytes of the memory slot to compare (default: the first 10), as [start, end) ranges. */
  memRanges?: [number, number][];
}
const DUMMY = fromF64(1);
const NOMEM = "00".repeat(10);

// ---- Running --------------------------------------------------------------------------------------
interface Result { save: Uint8Array; mem: Uint8Array; eflags: number }
const fromHex = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));

function runNative(cases: Case[]): Result[] {
  const input = cases.map((c) =>
    `${c.cw.toString(16)} ${c.flags.toString(16)} ${c.op} ${hex80(c.a)} ${hex80(c.b)} ${c.mem}`).join("\n") + "\n";
  const out = execFileSync(refBin!, { input, maxBuffer: 1 << 28 }).toString().trim().split("\n");
  expect(out.length).toBe(cases.length);
  return out.map((line) => {
    const [save, mem, fl] = line.split(" ");
    const f = fromHex(fl);
    return { save: fromHex(save), mem: fromHex(mem), eflags: f[0] | (f[1] << 8) | (f[2] << 16) | (f[3] << 24) };
  });
}

const CASES = 0x100000, RESULTS = 0x800000, CODEBUF = 0x2000, SLOT = 0x3000, REC = 80, OUT = 288;
const guestLoop = nasm(`
  mov esi, ${CASES}
  mov ebp, ${RESULTS}
  mov ecx, [0xff0]
next:
  test ecx, ecx
  jz done
  movzx edx, byte [esi+4]
  xor ebx, ebx
copy:
  mov al, [esi+8+ebx]
  mov [${CODEBUF}+ebx], al
  inc ebx
  cmp ebx, edx
  jb copy
  mov byte [${CODEBUF}+ebx], 0xc3
  mov eax, [esi+60]
  mov [${SLOT}], eax
  mov eax, [esi+64]
  mov [${SLOT}+4], eax
  mov ax, [esi+68]
  mov [${SLOT}+8], ax
  mov edi, ${SLOT}
  fninit
  fldcw [esi]
  fld tword [esi+50]
  fld tword [esi+40]
  movzx eax, word [esi+2]
  push eax
  popfd
  mov eax, ${CODEBUF}
  call eax
  pushfd
  pop eax
  mov [ebp+120], eax
  fnsave [ebp]
  push esi
  push edi
  push ecx
  mov esi, ${SLOT}
  lea edi, [ebp+128]
  mov ecx, 40
  rep movsd
  mov edi, ${SLOT}
  xor eax, eax
  mov ecx, 128
  rep stosd
  pop ecx
  pop edi
  pop esi
  fninit
  add esi, ${REC}
  add ebp, ${OUT}
  dec ecx
  jmp next
done:
  hlt`, 32, 0x1000);

function runGuest(all: Case[]): Result[] {
  const out: Result[] = [];
  for (let i = 0; i < all.length; i += 20000) out.push(...runGuestChunk(all.slice(i, i + 20000)));
  return out;
}
function runGuestChunk(cases: Case[]): Result[] {
  const h = new CoreHarness(0x1000000);
  h.load(0x1000, guestLoop);
  const dv = new DataView(h.ram.buffer, h.ram.byteOffset, h.ram.byteLength);
  dv.setUint32(0xff0, cases.length, true);
  cases.forEach((c, i) => {
    const r = CASES + i * REC;
    dv.setUint16(r, c.cw, true);
    dv.setUint16(r + 2, c.flags, true);
    const op = fromHex(c.op);
    h.ram[r + 4] = op.length;
    expect(op.length).toBeLessThanOrEqual(32);
    h.ram.set(op, r + 8);
    h.ram.set(fromHex(hex80(c.a)), r + 40);
    h.ram.set(fromHex(hex80(c.b)), r + 50);
    h.ram.set(fromHex(c.mem), r + 60);
  });
  h.flat32(0x1000);
  const run = h.run(200 * cases.length + 1000);
  expect(run.reason, "the guest loop ends at its HLT").toBe(RP.EXIT_HLT);
  return cases.map((_, i) => {
    const o = RESULTS + i * OUT;
    return { save: h.ram.slice(o, o + 108), mem: h.ram.slice(o + 128, o + 288), eflags: dv.getUint32(o + 120, true) };
  });
}

// ---- Comparing ------------------------------------------------------------------------------------
const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
function reg80(save: Uint8Array, i: number): X80 {
  const dv = new DataView(save.buffer, save.byteOffset);
  return x(dv.getUint16(28 + i * 10 + 8, true), dv.getBigUint64(28 + i * 10, true));
}
const fmt = (v: X80) => `${v.se.toString(16).padStart(4, "0")}:${v.sig.toString(16).padStart(16, "0")}`;
/** An extended value as a JS number (approximately; for tolerance checks). */
function approx(v: X80): number {
  const e = v.se & 0x7fff;
  const s = v.se & 0x8000 ? -1 : 1;
  if (e === 0x7fff) return (v.sig << 1n) & ((1n << 64n) - 1n) ? NaN : s * Infinity;
  return s * Number(v.sig) * 2 ** (Math.max(e, 1) - 0x3fff - 63);
}

function describeCase(c: Case): string {
  return `${c.name} cw=${c.cw.toString(16)} fl=${c.flags.toString(16)} A=${fmt(c.a)} B=${fmt(c.b)} mem=${c.mem}`;
}

function compareOne(c: Case, n: Result, g: Result): string | null {
  const problems: string[] = [];
  const swMask = c.approx ? ~(0x0200 | 0x0020 | 0x0010) & 0xffff : 0xffff;
  const nsw = u16(n.save, 4), gsw = u16(g.save, 4);
  if (u16(n.save, 0) !== u16(g.save, 0)) problems.push(`CW ${u16(n.save, 0).toString(16)} vs ${u16(g.save, 0).toString(16)}`);
  if ((nsw & swMask) !== (gsw & swMask)) problems.push(`SW ${nsw.toString(16)} vs ${gsw.toString(16)}`);
  const ntw = u16(n.save, 8), gtw = u16(g.save, 8);
  if (ntw !== gtw) problems.push(`TW ${ntw.toString(16)} vs ${gtw.toString(16)}`);
  const nfop = (u16(n.save, 18)) & 0x7ff, gfop = u16(g.save, 18) & 0x7ff;
  // The host kernel's context switches (XSAVE/XRSTOR on AMD) may zero FOP: compare when it is set.
  if (nfop !== 0 && nfop !== gfop) problems.push(`FOP ${nfop.toString(16)} vs ${gfop.toString(16)}`);
  const top = (nsw >> 11) & 7;
  for (let i = 0; i < 8; i++) {
    if (((ntw >> (((top + i) & 7) * 2)) & 3) === 3) continue; // empty
    const a = reg80(n.save, i), b = reg80(g.save, i);
    if (a.se === b.se && a.sig === b.sig) continue;
    if (c.approx) {
      const va = approx(a), vb = approx(b);
      if (Number.isNaN(va) && Number.isNaN(vb) && a.se === b.se) continue;
      if (va === vb || Math.abs(va - vb) <= Math.abs(va) * 2 ** -50) continue;
    }
    problems.push(`ST${i} ${fmt(a)} vs ${fmt(b)}`);
  }
  for (const [s, e] of c.memRanges ?? [[0, 10]]) {
    const a = Buffer.from(n.mem.subarray(s, e)).toString("hex"), b = Buffer.from(g.mem.subarray(s, e)).toString("hex");
    if (a !== b) problems.push(`mem[${s}..${e}) ${a} vs ${b}`);
  }
  if ((n.eflags & 0x8d5) !== (g.eflags & 0x8d5)) problems.push(`EFLAGS ${(n.eflags & 0x8d5).toString(16)} vs ${(g.eflags & 0x8d5).toString(16)}`);
  return problems.length ? `${describeCase(c)}: host ${problems.join(", ")} (tabvisor second)` : null;
}

function check(cases: Case[]): void {
  const n = runNative(cases);
  const g = runGuest(cases);
  const bad: string[] = [];
  cases.forEach((c, i) => {
    const p = compareOne(c, n[i], g[i]);
    if (p) bad.push(p);
  });
  expect(bad.slice(0, 25), `${bad.length} of ${cases.length} cases differ`).toEqual([]);
}

// ---- Case generation ---------------------------------------------------------------------------------
const CW_DOUBLE = 0x027f;
const RC = [0x0000, 0x0400, 0x0800, 0x0c00];
function pairs(name: string, op: string, cws: number[], values: X80[], approxOp = false): Case[] {
  const out: Case[] = [];
  for (const cw of cws) for (const a of values) for (const b of values) {
    out.push({ name, cw, flags: 0x2, op, a, b, mem: NOMEM, approx: approxOp });
  }
  return out;
}
function singles(name: string, op: string, cws: number[], values: X80[], approxOp = false): Case[] {
  const out: Case[] = [];
  for (const cw of cws) for (const a of values) out.push({ name, cw, flags: 0x2, op, a, b: DUMMY, mem: NOMEM, approx: approxOp });
  return out;
}
/** xorshift64* for reproducible random operands. */
function rng(seed: bigint): () => bigint {
  let s = seed;
  return () => {
    s ^= s >> 12n; s ^= (s << 25n) & 0xffffffffffffffffn; s ^= s >> 27n;
    return (s * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
  };
}
function randomValues(n: number, seed: bigint, spread: number): X80[] {
  const r = rng(seed);
  const out: X80[] = [];
  for (let i = 0; i < n; i++) {
    const a = r(), b = r();
    const sign = Number(a & 1n) << 15;
    const exp = 0x3fff + Number((a >> 8n) % BigInt(2 * spread + 1)) - spread;
    let sig = b | TOP;
    if ((a >> 40n) % 4n === 0n) sig &= ~((1n << BigInt(Number((a >> 20n) % 60n))) - 1n); // short significands: exact cases
    out.push(x(sign | exp, sig));
  }
  return out;
}

const native = describe.skipIf(refBin === null);

native("x87 vs the host FPU: arithmetic", () => {
  it("+ - * / in every register form, double precision, all input pairs", () => {
    const cases: Case[] = [];
    for (const [name, op] of Object.entries(ARITH)) cases.push(...pairs(name, op, [CW_DOUBLE], ALL));
    check(cases);
  });
  it("+ - * / in extended and single precision and the directed rounding modes", () => {
    const cases: Case[] = [];
    const cws = [0x037f, 0x007f, CW_DOUBLE | 0x400, CW_DOUBLE | 0x800, CW_DOUBLE | 0xc00, 0x0f7f];
    for (const name of ["fadd st0,st1", "fsub st0,st1", "fmul st0,st1", "fdiv st0,st1", "fdivrp"]) {
      cases.push(...pairs(name, ARITH[name], cws, SMALL));
    }
    check(cases);
  });
  it("random operands: + - * / sqrt FPREM FPREM1 FRNDINT FSCALE FST FIST in all precisions and rounding modes", () => {
    // Moderate exponents (rounding), exponents near +-8192 (products and quotients reach the
    // overflow/denormal boundaries), and a few near the ends of the range.
    const vals = randomValues(1200, 0x1234567887654321n, 70)
      .concat(randomValues(400, 0x0badc0ffee123457n, 40).map((v, i) => x(v.se + (i & 1 ? 8192 : -8192), v.sig)))
      .concat(randomValues(100, 0x7777777777777777n, 30).map((v, i) => x((v.se & 0x8000) | (i & 1 ? 0x7ffe - (v.se & 0x1f) : 1 + (v.se & 0x1f)), v.sig)));
    const cases: Case[] = [];
    const ops = ["fadd st0,st1", "fsub st0,st1", "fmul st0,st1", "fdiv st0,st1"];
    const cwOf = (i: number) => 0x007f | ([0, 2, 3][i % 3] << 8) | (((i >> 2) & 3) << 10);
    for (let i = 0; i + 1 < vals.length; i++) {
      const b = vals[(i * 7 + 3) % vals.length];
      for (const [k, name] of ops.entries()) {
        cases.push({ name, cw: cwOf(i + k), flags: 2, op: ARITH[name], a: vals[i], b, mem: NOMEM });
      }
      const pos = x(vals[i].se & 0x7fff, vals[i].sig);
      cases.push({ name: "fsqrt", cw: cwOf(i), flags: 2, op: UNARY["fsqrt"], a: pos, b: DUMMY, mem: NOMEM });
      if (i % 4 === 0) {
        cases.push({ name: "fprem", cw: cwOf(i), flags: 2, op: BINARY2["fprem"], a: vals[i], b, mem: NOMEM });
        cases.push({ name: "fprem1", cw: cwOf(i), flags: 2, op: BINARY2["fprem1"], a: vals[i], b, mem: NOMEM });
        cases.push({ name: "frndint", cw: cwOf(i), flags: 2, op: UNARY["frndint"], a: vals[i], b: DUMMY, mem: NOMEM });
        const sc = fromF64(Number((vals[i].sig >> 40n) % 40000n) - 20000);
        cases.push({ name: "fscale", cw: cwOf(i), flags: 2, op: BINARY2["fscale"], a: vals[i], b: sc, mem: NOMEM });
        for (const st of ["fst m32", "fst m64", "fistp m64", "fist m32"]) {
          cases.push({ name: st, cw: cwOf(i), flags: 2, op: STORES[st], a: vals[i], b: DUMMY, mem: "aa".repeat(10) });
        }
      }
    }
    check(cases);
  });
  it("unmasked exceptions: ES/B set, destination untouched, bias-adjusted over/underflow", () => {
    const cases: Case[] = [];
    for (const name of ["fadd st0,st1", "fmul st0,st1", "fdiv st0,st1", "fsubp"]) {
      cases.push(...pairs(name, ARITH[name], [0x0240, 0x0360, 0x027e], SMALL.concat([EXTRA[17], EXTRA[18], EXTRA[22], EXTRA[23]])));
    }
    check(cases);
  });
});

native("x87 vs the host FPU: other instructions", () => {
  it("FSQRT FRNDINT FXAM FCHS FABS FXTRACT and stack ops, all rounding modes", () => {
    const cases: Case[] = [];
    for (const [name, op] of Object.entries(UNARY)) cases.push(...singles(name, op, RC.map((r) => CW_DOUBLE | r).concat([0x0240, 0x0f60]), ALL));
    check(cases);
  });
  it("FSCALE FPREM FPREM1 on all pairs", () => {
    const cases: Case[] = [];
    for (const [name, op] of Object.entries(BINARY2)) cases.push(...pairs(name, op, [CW_DOUBLE, 0x0f7f, 0x0340], ALL));
    check(cases);
  });
  it("FCOM FUCOM FCOMI FTST families: condition codes and EFLAGS", () => {
    const cases: Case[] = [];
    for (const [name, op] of Object.entries(COMPARE)) {
      cases.push(...pairs(name, op, [CW_DOUBLE], ALL), ...pairs(name, op, [0x0240], SMALL.concat(EXTRA.slice(17))));
    }
    check(cases);
  });
  it("FST/FIST/FBSTP to memory in all rounding modes", () => {
    const cases: Case[] = [];
    for (const [name, op] of Object.entries(STORES)) {
      for (const c of singles(name, op, RC.map((r) => CW_DOUBLE | r).concat([0x0240, 0x0a60]), ALL)) cases.push({ ...c, mem: "aa".repeat(10) });
    }
    // Values that round to integer-range boundaries.
    const edges = [32767.4, 32767.6, -32768.4, -32768.6, 2147483647.4, 2147483647.6, -2147483648.6, 9.2233720368547748e18, -9.2233720368547758e18, 999999999999999999, 1e18, 0.49999999999999994, 0.5, -0.5, 1.5, -2.5].map(fromF64);
    for (const [name, op] of Object.entries(STORES)) {
      for (const c of singles(name, op, RC.map((r) => CW_DOUBLE | r), edges)) cases.push({ ...c, mem: "aa".repeat(10) });
    }
    check(cases);
  });
  it("loads from memory: FLD m32/m64/m80, FILD m16/m32/m64, FBLD, with special encodings", () => {
    const cases: Case[] = [];
    const mems: [string, string][] = [];
    for (const v of [0, -0, 1, -1.5, 1e-40, -1e-45, 3.4e38, Infinity, -Infinity, NaN]) mems.push(["fld m32", hexBytes(le(BigInt(f32bits(v)), 4))]);
    mems.push(["fld m32", hexBytes(le(0x7f800001n, 4))], ["fld m32", hexBytes(le(0xffbfffffn, 4))]);
    for (const v of [0, -0, 1, 1e-308, 5e-324, 1e308, Infinity, NaN, Math.PI]) mems.push(["fld m64", hexBytes(le(f64bits(v), 8))]);
    mems.push(["fld m64", hexBytes(le(0x7ff0000000000001n, 8))]);
    for (const v of ALL) mems.push(["fld m80", hex80(v)]);
    for (const v of [0n, 1n, 0x7fffn, 0x8000n, 0xffffn]) mems.push(["fild m16", hexBytes(le(v, 2))]);
    for (const v of [0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn]) mems.push(["fild m32", hexBytes(le(v, 4))]);
    for (const v of [0n, 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, (1n << 53n) + 1n]) mems.push(["fild m64", hexBytes(le(v, 8))]);
    for (const bcd of ["00000000000000000000", "99999999999999999900", "12345678901234567880", "01000000000000000080", "00000000000000000080"]) {
      mems.push(["fbld", bcd]);
    }
    const ops: Record<string, string> = { "fld m32": "d907", "fld m64": "dd07", "fld m80": "db2f", "fild m16": "df07", "fild m32": "db07", "fild m64": "df2f", "fbld": "df27" };
    for (const [name, mem] of mems) for (const cw of [CW_DOUBLE, 0x027e, 0x0240]) {
      cases.push({ name, cw, flags: 2, op: ops[name], a: DUMMY, b: DUMMY, mem });
    }
    // A load onto a full stack: FLD ST(0) eight times fills it, then the op overflows.
    for (const [name, mem] of mems.slice(0, 4)) {
      cases.push({ name: `${name} overflow`, cw: CW_DOUBLE, flags: 2, op: "d9c0".repeat(6) + ops[name], a: DUMMY, b: DUMMY, mem });
    }
    check(cases);
  });
  it("arithmetic and compares with m32/m64/m16/m32int operands", () => {
    const cases: Case[] = [];
    const memOps: Record<string, [string, (v: number) => string]> = {
      "fadd m32": ["d807", (v) => hexBytes(le(BigInt(f32bits(v)), 4))],
      "fsubr m32": ["d82f", (v) => hexBytes(le(BigInt(f32bits(v)), 4))],
      "fmul m64": ["dc0f", (v) => hexBytes(le(f64bits(v), 8))],
      "fdivr m64": ["dc3f", (v) => hexBytes(le(f64bits(v), 8))],
      "fcom m64": ["dc17", (v) => hexBytes(le(f64bits(v), 8))],
      "fcomp m32": ["d81f", (v) => hexBytes(le(BigInt(f32bits(v)), 4))],
      "fiadd m16": ["de07", (v) => hexBytes(le(BigInt.asUintN(16, BigInt(Math.trunc(v) || 0)), 2))],
      "fidiv m32": ["da37", (v) => hexBytes(le(BigInt.asUintN(32, BigInt(Math.trunc(v) || 0)), 4))],
      "ficomp m16": ["de1f", (v) => hexBytes(le(BigInt.asUintN(16, BigInt(Math.trunc(v) || 0)), 2))],
      "fisub m32": ["da27", (v) => hexBytes(le(BigInt.asUintN(32, BigInt(Math.trunc(v) || 0)), 4))],
    };
    const memVals = [0, -0, 1, -2.5, 1e-40, 1e-310, 3, Infinity, NaN, 7, -32768, 1e300];
    for (const [name, [op, enc]] of Object.entries(memOps)) {
      for (const a of SMALL) for (const v of memVals) {
        if (!Number.isFinite(v) && name.startsWith("fi")) continue;
        for (const cw of [CW_DOUBLE, 0x0240]) cases.push({ name: `${name} ${v}`, cw, flags: 2, op, a, b: DUMMY, mem: enc(v) });
      }
    }
    check(cases);
  });
  it("constants in all rounding modes, FCMOVcc on every flag combination", () => {
    const cases: Case[] = [];
    for (const [name, op] of Object.entries(CONSTS)) cases.push(...singles(name, op, RC.map((r) => 0x037f | r), [DUMMY]));
    for (const [name, op] of Object.entries(FCMOV)) {
      for (const flags of [0x2, 0x3, 0x6, 0x42, 0x43, 0x46, 0x47]) {
        cases.push({ name, cw: CW_DOUBLE, flags, op, a: fromF64(1), b: fromF64(2), mem: NOMEM });
      }
    }
    check(cases);
  });
  it("FNSTENV, FLDENV, FNSAVE/FRSTOR round trips and FNCLEX through the same harness", () => {
    // FNSAVE to [edi], FRSTOR it back, then operate: state must survive exactly.
    const cases: Case[] = [];
    for (const v of ALL) {
      cases.push({ name: "fnsave/frstor", cw: CW_DOUBLE, flags: 2, op: "dd37" + "dd27" + "d8c1", a: v, b: fromF64(3), mem: NOMEM });
    }
    for (const v of ALL) {
      const c = { cw: CW_DOUBLE, flags: 2, a: v, b: fromF64(-3), mem: NOMEM };
      // Image layouts (pointer fields differ on a 64-bit host; FOP is zero in AMD's FXSAVE without an exception).
      cases.push({ ...c, name: "fxsave", op: "d9f7" + "0fae07", memRanges: [[0, 6], [24, 28], [32, 160]] });
      cases.push({ ...c, name: "fnsave", op: "d9f6" + "dd37", memRanges: [[0, 12], [28, 108]] });
      cases.push({ ...c, name: "fnsave 16-bit", op: "d9f6" + "66dd37", memRanges: [[0, 6], [14, 94]] });
      cases.push({ ...c, name: "fnstenv", op: "d8c9" + "d937", memRanges: [[0, 12]] });
      cases.push({ ...c, name: "fnstenv 16-bit", op: "d8c9" + "66d937", memRanges: [[0, 6]] });
      // Round trips: save, reinitialize, restore, use.
      cases.push({ ...c, name: "fxsave/fninit/fxrstor", op: "d9f7" + "0fae07" + "dbe3" + "0fae0f" + "d9f6" + "dec9", memRanges: [[0, 6]] });
      cases.push({ ...c, name: "fnsave16/frstor16", op: "66dd37" + "66dd27" + "dee9", memRanges: [[0, 6]] });
    }
    cases.push({ name: "fnstenv+fldenv", cw: 0x0240, flags: 2, op: "d8f1" + "d937" + "d927", a: fromF64(1), b: fromF64(0), mem: NOMEM });
    cases.push({ name: "fnclex", cw: 0x027f, flags: 2, op: "d8f1" + "dbe2", a: fromF64(1), b: fromF64(0), mem: NOMEM });
    check(cases);
  });
});

native("x87 vs the host FPU: stack faults", () => {
  it("every op on an empty stack (underflow) and the pushing ops on a full one (overflow), masked and unmasked", () => {
    const all: Record<string, string> = { ...ARITH, ...COMPARE, ...UNARY, ...BINARY2, ...STORES, ...CONSTS, ...FCMOV, ...TRANS };
    const cases: Case[] = [];
    const empty = "ddd8ddd8"; // FSTP ST0 twice: nothing left
    const half = "ddd8"; // one value left: ST1 empty
    const full = "d9c0".repeat(6); // FLD ST0 six times: all eight full
    for (const cw of [CW_DOUBLE, 0x0240]) {
      for (const [name, op] of Object.entries(all)) {
        const approxOp = name in TRANS;
        for (const [tag, pre] of [["empty", empty], ["one", half]] as const) {
          cases.push({ name: `${name} (${tag})`, cw, flags: 2, op: pre + op, a: fromF64(0.5), b: fromF64(2), mem: "aa".repeat(10), approx: approxOp });
        }
      }
      for (const name of ["fxtract", "fld st1", "fptan", "fsincos", "fld1", "fldpi", "fld m32", "fild m16", "fld m80", "fbld"]) {
        const op = { ...UNARY, ...TRANS, ...CONSTS }[name] ?? { "fld m32": "d907", "fild m16": "df07", "fld m80": "db2f", "fbld": "df27" }[name]!;
        cases.push({ name: `${name} (full)`, cw, flags: 2, op: full + op, a: fromF64(0.5), b: fromF64(2), mem: NOMEM, approx: name in TRANS });
      }
    }
    check(cases);
  });
});

native("x87 vs the host FPU: transcendentals (tolerance 2^-50)", () => {
  it("FSIN FCOS FPTAN FSINCOS FPATAN F2XM1 FYL2X FYL2XP1", () => {
    const vals = [0, -0, 0.5, -0.5, 1, -1, 0.25, 2, 10, 1e-5, Math.PI / 3, -100, Infinity, NaN, 1e-320].map(fromF64)
      .concat([x(0x7fff, 0x8000000000000001n)]);
    const cases: Case[] = [];
    for (const [name, op] of Object.entries(TRANS)) {
      const two = name === "fpatan" || name === "fyl2x" || name === "fyl2xp1";
      if (two) cases.push(...pairs(name, op, [0x037f], vals, true));
      else cases.push(...singles(name, op, [0x037f], vals, true));
    }
    check(cases);
  });
});
