// Shared machinery of the integer differential tests: builds the native reference (ref.c) into a
// temp dir, assembles instruction snippets once, runs a batch of cases natively and on tabvisor
// (a table-driven 32-bit guest loop on the in-process core), and compares them.
//
// A case is one instruction plus a register file (EAX ECX EDX EBX EBP ESI EDI), EFLAGS and 8
// bytes at MEM_SLOT (0x200000 on both sides, so [edi] addresses the same bytes). Compared: all
// seven registers (minus `skipRegs`), the memory slot, the fault kind, and EFLAGS under the case's
// `defined` mask. Flags outside `defined` (but inside the six status flags) are undefined by the
// SDM: they are recorded per `cat`egory for the summary table instead of being compared.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, arch } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CoreHarness } from "../core/harness";
import { RP } from "../../src/shared/run-page";

export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;
export const FLAG_NAMES: [number, string][] = [[CF, "CF"], [PF, "PF"], [AF, "AF"], [ZF, "ZF"], [SF, "SF"], [OF, "OF"]];
export const REG_NAMES = ["eax", "ecx", "edx", "ebx", "ebp", "esi", "edi"];
export const R = { eax: 0, ecx: 1, edx: 2, ebx: 3, ebp: 4, esi: 5, edi: 6 } as const;
export const MEM_SLOT = 0x200000;
export const FAULT_NAMES = ["none", "#DE", "#UD", "other fault", "core refused (INTERNAL_ERROR)"];

export type Bits = 8 | 16 | 32;
export const mask = (bits: Bits) => (bits === 32 ? 0xffffffff : (1 << bits) - 1);
export const hex = (v: number, digits = 0) => "0x" + (v >>> 0).toString(16).padStart(digits, "0");
export function flagList(f: number): string {
  return FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(" ") || "-";
}

// ---- Native reference --------------------------------------------------------------------------

/** Deletes the directory of a reference binary built by buildRef. */
export function removeRef(ref: string | null): void {
  if (ref) rmSync(dirname(ref), { recursive: true, force: true });
}

/** Compiles ref.c; null when the host cannot run it (not x86-64, no gcc). */
export function buildRef(): string | null {
  if (arch() !== "x64") return null;
  try {
    const out = join(mkdtempSync(join(tmpdir(), "tabvisor-diff-")), "int-ref");
    execFileSync("gcc", ["-O1", "-o", out, fileURLToPath(new URL("./ref.c", import.meta.url))], { stdio: "pipe" });
    return out;
  } catch {
    return null;
  }
}

// ---- Instructions ------------------------------------------------------------------------------

export interface Op {
  /** Assembly text (32-bit nasm syntax); also the display name. */
  asm: string;
  /** Bytes run by tabvisor. */
  guest: Uint8Array;
  /** Bytes run natively: the same, except INC/DEC short forms (REX prefixes in 64-bit mode). */
  native: Uint8Array;
}

/** Assembles every snippet with one nasm run (bits 32). */
export function assemble(snippets: string[]): Map<string, Op> {
  const dir = mkdtempSync(join(tmpdir(), "tabvisor-diff-asm-"));
  const src = snippets.map((s, i) =>
    `s${i}: db e${i} - b${i}\nb${i}: ${s}\ne${i}: times 31 - (e${i} - b${i}) db 0`).join("\n");
  writeFileSync(join(dir, "ops.asm"), `bits 32\n${src}\n`);
  execFileSync("nasm", ["-f", "bin", "-o", join(dir, "ops.bin"), join(dir, "ops.asm")]);
  const bin = readFileSync(join(dir, "ops.bin"));
  rmSync(dir, { recursive: true, force: true });
  const ops = new Map<string, Op>();
  snippets.forEach((s, i) => {
    const len = bin[i * 32];
    const guest = Uint8Array.from(bin.subarray(i * 32 + 1, i * 32 + 1 + len));
    ops.set(s, { asm: s, guest, native: toNative(guest) });
  });
  return ops;
}

function toNative(b: Uint8Array): Uint8Array {
  let i = 0;
  while (b[i] === 0x66) i++;
  if (b[i] >= 0x40 && b[i] <= 0x4f && i === b.length - 1) {
    const out = Array.from(b.subarray(0, i));
    out.push(0xff, 0xc0 | ((b[i] & 8) ? 8 : 0) | (b[i] & 7));
    return Uint8Array.from(out);
  }
  return b;
}

// ---- Cases and results -------------------------------------------------------------------------

export interface Case {
  op: Op;
  /** EAX ECX EDX EBX EBP ESI EDI. */
  regs: number[];
  flags: number;
  /** 8 bytes at MEM_SLOT. */
  mem?: bigint;
  /** Status flags compared strictly (the rest of the six are undefined for this case). */
  defined: number;
  /** Registers not compared (undefined results), by index. */
  skipRegs?: number[];
  /** Undefined-behaviour category for the summary (cases with undefined flags or results). */
  cat?: string;
  /** Extra words for the mismatch message. */
  note?: string;
}

export interface Out { regs: number[]; flags: number; mem: bigint; fault: number }

export const REC = 80, OUTREC = 48;

function encode(cases: Case[], native: boolean): Uint8Array {
  const buf = new Uint8Array(cases.length * REC);
  const dv = new DataView(buf.buffer);
  cases.forEach((c, i) => {
    const o = i * REC;
    const bytes = native ? c.op.native : c.op.guest;
    buf.set(bytes, o);
    buf[o + bytes.length] = 0xc3; // RET (the native side adds its own)
    buf[o + 24] = bytes.length;
    dv.setUint32(o + 28, (c.flags | 2) >>> 0, true);
    c.regs.forEach((v, r) => dv.setUint32(o + 32 + 4 * r, v >>> 0, true));
    dv.setBigUint64(o + 64, c.mem ?? 0n, true);
  });
  return buf;
}

function decode(buf: Uint8Array, offset: number, n: number): Out[] {
  const dv = new DataView(buf.buffer, buf.byteOffset + offset);
  const outs: Out[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * OUTREC;
    const regs = [];
    for (let r = 0; r < 7; r++) regs.push(dv.getUint32(o + 4 * r, true));
    outs.push({ regs, flags: dv.getUint32(o + 28, true), mem: dv.getBigUint64(o + 32, true), fault: dv.getUint32(o + 40, true) });
  }
  return outs;
}

export function runNative(ref: string, cases: Case[]): Out[] {
  const out = execFileSync(ref, { input: encode(cases, true), maxBuffer: 1 << 30 });
  if (out.length !== cases.length * OUTREC) throw new Error(`native reference returned ${out.length} bytes for ${cases.length} cases`);
  return decode(out, 0, cases.length);
}

// Guest memory map: GDTR/IDTR 0x7F0/0x7F8, loop variables 0x700, GDT 0x800, IDT 0x900, loop
// code 0x1000, exception stubs 0x1400 (16 bytes each), stack below 0x80000, MEM_SLOT, cases from
// 0x300000, results from 0x1800000.
const CUR = 0x700, END = 0x704, OUTP = 0x708, TARGET = 0x70c, SAVEA = 0x710, FAULT = 0x714, DONE_HOOK = 0x718;
export const CASES = 0x300000, RESULTS = 0x1800000, MAX_BATCH = Math.floor((RESULTS - CASES) / REC);
const STUBS = 0x1400;
const loopSource = `
bits 32
org 0x1000
  lgdt [0x7f0]
  lidt [0x7f8]
next:
  mov esp, 0x80000
  mov eax, [${CUR}]
  cmp eax, [${END}]
  jae done
  mov ecx, [eax+64]
  mov [${MEM_SLOT}], ecx
  mov ecx, [eax+68]
  mov [${MEM_SLOT + 4}], ecx
  mov [${TARGET}], eax
  push dword [eax+28]
  mov ecx, [eax+36]
  mov edx, [eax+40]
  mov ebx, [eax+44]
  mov ebp, [eax+48]
  mov esi, [eax+52]
  mov edi, [eax+56]
  mov eax, [eax+32]
  popfd
  call [${TARGET}]
  pushfd
  mov [${SAVEA}], eax
  mov eax, [${OUTP}]
  pop dword [eax+28]
  mov dword [eax+40], 0
store:
  mov [eax+4], ecx
  mov [eax+8], edx
  mov [eax+12], ebx
  mov [eax+16], ebp
  mov [eax+20], esi
  mov [eax+24], edi
  mov ecx, [${SAVEA}]
  mov [eax], ecx
  mov ecx, [${MEM_SLOT}]
  mov [eax+32], ecx
  mov ecx, [${MEM_SLOT + 4}]
  mov [eax+36], ecx
advance:
  add dword [${CUR}], ${REC}
  add dword [${OUTP}], ${OUTREC}
  jmp next
done:
  mov eax, [${DONE_HOOK}]    ; 0 on tabvisor; the QEMU ROM's dump routine (qemu.ts)
  test eax, eax
  jz .halt
  jmp eax
.halt:
  hlt
fault_common:                       ; [esp] = EIP, CS, EFLAGS (vectors 0 and 6 push no error code)
  mov [${SAVEA}], eax
  mov eax, [${OUTP}]
  push ecx
  mov ecx, [esp+12]
  mov [eax+28], ecx
  mov ecx, [${FAULT}]
  mov [eax+40], ecx
  pop ecx
  jmp store
times ${STUBS - 0x1000} - ($ - $$) db 0xf4
%assign v 0
%rep 32
  mov dword [${FAULT}], (v == 0) ? 1 : (v == 6) ? 2 : 0x100 + v
  jmp fault_common
  align 16, db 0xf4
%assign v v + 1
%endrep
`;
let loopBin: Uint8Array | null = null;
function loopCode(): Uint8Array {
  if (!loopBin) {
    const dir = mkdtempSync(join(tmpdir(), "tabvisor-diff-loop-"));
    writeFileSync(join(dir, "loop.asm"), loopSource);
    execFileSync("nasm", ["-f", "bin", "-o", join(dir, "loop.bin"), join(dir, "loop.asm")]);
    loopBin = readFileSync(join(dir, "loop.bin"));
    rmSync(dir, { recursive: true, force: true });
  }
  return loopBin;
}

let harness: CoreHarness | null = null;

/** Runs the cases on tabvisor. An INTERNAL_ERROR exit (the core refusing an instruction) is
 *  recorded as fault 4 for that case and the loop resumes with the next one. */
export function runGuest(cases: Case[]): Out[] {
  const results: Out[] = [];
  for (let start = 0; start < cases.length; start += MAX_BATCH) {
    results.push(...runGuestBatch(cases.slice(start, start + MAX_BATCH)));
  }
  return results;
}

/** Guest RAM from 0 to 0x2000: loop variables, GDT, IDT, the loop and its exception stubs. */
export function guestLowMemory(caseCount: number): Uint8Array {
  const low = new Uint8Array(0x2000);
  const dv = new DataView(low.buffer);
  low.set(loopCode(), 0x1000);
  // GDT: null, 0x08 flat code, 0x10 flat data. IDT: 32 interrupt gates to the stubs.
  dv.setUint16(0x7f0, 23, true); dv.setUint32(0x7f2, 0x800, true);
  dv.setUint16(0x7f8, 32 * 8 - 1, true); dv.setUint32(0x7fa, 0x900, true);
  dv.setBigUint64(0x808, 0x00cf9b000000ffffn, true);
  dv.setBigUint64(0x810, 0x00cf93000000ffffn, true);
  for (let v = 0; v < 32; v++) {
    const off = STUBS + 16 * v;
    dv.setUint32(0x900 + 8 * v, (0x08 << 16) | (off & 0xffff), true);
    dv.setUint32(0x904 + 8 * v, (off & 0xffff0000) | 0x8e00, true);
  }
  dv.setUint32(CUR, CASES, true);
  dv.setUint32(END, CASES + caseCount * REC, true);
  dv.setUint32(OUTP, RESULTS, true);
  return low;
}
/** The case records as the guest loop reads them (at CASES). */
export const guestCases = (cases: Case[]) => encode(cases, false);
export const decodeResults = (buf: Uint8Array, n: number) => decode(buf, 0, n);

function runGuestBatch(cases: Case[]): Out[] {
  const h = (harness ??= new CoreHarness(0x2000000));
  const ram = h.ram;
  const dv = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  const code = loopCode();
  h.load(0, guestLowMemory(cases.length));
  ram.set(guestCases(cases), CASES);
  ram.fill(0, RESULTS, RESULTS + cases.length * OUTREC);
  h.flat32(0x1000);
  const nextLabel = 0x1000 + 14; // after the two 7-byte LGDT/LIDT: MOV ESP, 0x80000
  if (code[14] !== 0xbc) throw new Error("guest loop layout changed");
  for (;;) {
    const r = h.run(100 * cases.length + 10_000);
    if (r.reason === RP.EXIT_HLT) break;
    if (r.reason !== RP.EXIT_INTERNAL_ERROR) throw new Error(`guest loop stopped with exit ${r.reason}`);
    const cur = dv.getUint32(CUR, true), outp = dv.getUint32(OUTP, true);
    if (cur >= CASES + cases.length * REC) throw new Error("INTERNAL_ERROR outside a case");
    dv.setUint32(outp + 40, 4, true);
    dv.setUint32(CUR, cur + REC, true);
    dv.setUint32(OUTP, outp + OUTREC, true);
    h.rp.eip = nextLabel;
    h.rp.setGpr(4, 0x80000);
  }
  if (dv.getUint32(CUR, true) !== CASES + cases.length * REC) throw new Error("guest loop ended early");
  return decode(ram, RESULTS, cases.length);
}

// ---- Comparing ---------------------------------------------------------------------------------

export function describeCase(c: Case): string {
  const regs = c.regs.map((v, i) => `${REG_NAMES[i]}=${hex(v)}`).join(" ");
  const mem = c.mem !== undefined ? ` mem=${hex(Number(c.mem >> 32n))}_${hex(Number(c.mem & 0xffffffffn), 8).slice(2)}` : "";
  return `${c.op.asm}  [${regs} flags=${hex(c.flags)} (${flagList(c.flags)})${mem}]${c.note ? " " + c.note : ""}`;
}

/** Returns a readable description of every difference in defined state, or null. */
export function compareOne(c: Case, n: Out, g: Out): string | null {
  const p: string[] = [];
  if (n.fault !== g.fault) {
    p.push(`fault: native ${FAULT_NAMES[n.fault] ?? hex(n.fault)}, tabvisor ${FAULT_NAMES[g.fault] ?? "vector " + (g.fault - 0x100)}`);
    return `${describeCase(c)}\n    ${p.join("; ")}`;
  }
  if (g.fault === 4) return null; // both can't be 4; unreachable
  for (let r = 0; r < 7; r++) {
    if (c.skipRegs?.includes(r)) continue;
    if (n.regs[r] !== g.regs[r]) p.push(`${REG_NAMES[r]}: native ${hex(n.regs[r])}, tabvisor ${hex(g.regs[r])}`);
  }
  // A fault leaves the flags alone, whatever the instruction would have done with them.
  const defined = n.fault ? ARITH : c.defined;
  const diff = (n.flags ^ g.flags) & defined;
  if (diff) {
    p.push(`flags (defined ${flagList(defined)}): native ${hex(n.flags & ARITH)} (${flagList(n.flags)}), ` +
      `tabvisor ${hex(g.flags & ARITH)} (${flagList(g.flags)}), differ in ${flagList(diff)}`);
  }
  if (n.mem !== g.mem) p.push(`mem: native ${n.mem.toString(16)}, tabvisor ${g.mem.toString(16)}`);
  return p.length ? `${describeCase(c)}\n    ${p.join("\n    ")}` : null;
}

export interface Summary { cases: number; mismatches: string[]; native: Out[]; guest: Out[] }

/** Runs `cases` on both sides; returns the mismatches (first `limit` described) and feeds `undef`. */
export function differential(ref: string, cases: Case[], undef?: UndefinedTable, limit = 12): Summary {
  const n = runNative(ref, cases);
  const g = runGuest(cases);
  const mismatches: string[] = [];
  let count = 0;
  cases.forEach((c, i) => {
    const m = compareOne(c, n[i], g[i]);
    if (m) { count++; if (mismatches.length < limit) mismatches.push(m); }
    if (undef && c.cat && !n[i].fault && !g[i].fault) undef.add(c, [n[i], g[i]]);
  });
  if (count > mismatches.length) mismatches.push(`... and ${count - mismatches.length} more mismatches`);
  return { cases: cases.length, mismatches, native: n, guest: g };
}

// ---- Undefined behaviour -------------------------------------------------------------------------

/** A candidate explanation of an undefined flag or result: predicts the flags word (or a register). */
export interface Model {
  name: string;
  /** Predicted flags after the op, given the case and that side's own output. */
  flags?: (c: Case, o: Out) => number;
  /** The flags the model speaks for (default: all six). */
  bits?: number;
  /** Predicted value of register `reg`. */
  reg?: (c: Case, o: Out) => number;
}
export const GENERIC_FLAG_MODELS: Model[] = [
  { name: "cleared", flags: () => 0 },
  { name: "set", flags: () => ARITH },
  { name: "unchanged", flags: (c) => c.flags },
];

interface CatData {
  what: string;
  flags: number;
  reg: number | null;
  models: Model[];
  n: number;
  /** `${side}/${bit}` (bit -1: the register) -> cases where that side equals side 0. */
  agree: Map<string, number>;
  /** `${side}/${bit}/${model}` -> cases the model explains on that side. */
  hits: Map<string, number>;
}

/** Tallies, per category, what each CPU (side 0 is the reference: the host) does with undefined flags and results. */
export class UndefinedTable {
  private cats = new Map<string, CatData>();
  sides = ["host CPU", "tabvisor"];

  /** Declares a category: `what` describes it, `models` are the candidate explanations. */
  declare(cat: string, what: string, models: Model[], opts: { reg?: number } = {}): void {
    this.cats.set(cat, {
      what, flags: 0, reg: opts.reg ?? null, models: [...GENERIC_FLAG_MODELS, ...models], n: 0,
      agree: new Map(), hits: new Map(),
    });
  }

  /** Clears the tallies (keeps the categories). */
  reset(sides: string[]): void {
    this.sides = sides;
    for (const d of this.cats.values()) { d.flags = 0; d.n = 0; d.agree.clear(); d.hits.clear(); }
  }

  /** One case's outputs, one per side. */
  add(c: Case, outs: Out[]): void {
    const d = this.cats.get(c.cat!);
    if (!d) throw new Error(`undeclared category ${c.cat}`);
    d.n++;
    const undefFlags = ARITH & ~c.defined;
    d.flags |= undefFlags;
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    outs.forEach((o, side) => {
      for (const [bit] of FLAG_NAMES) {
        if (!(undefFlags & bit)) continue;
        if (((outs[0].flags ^ o.flags) & bit) === 0) bump(d.agree, `${side}/${bit}`);
        for (const m of d.models) {
          if (m.flags && ((m.bits ?? ARITH) & bit) && ((m.flags(c, o) ^ o.flags) & bit) === 0) bump(d.hits, `${side}/${bit}/${m.name}`);
        }
      }
      if (d.reg !== null) {
        const r = d.reg;
        if (outs[0].regs[r] === o.regs[r]) bump(d.agree, `${side}/-1`);
        for (const m of d.models) if (m.reg && m.reg(c, o) === o.regs[r]) bump(d.hits, `${side}/-1/${m.name}`);
      }
    });
  }

  /** Rows: category, what it is, the flag (or register), each side's rule, and how often each side equals side 0. */
  rows(): { cat: string; what: string; item: string; rules: string[]; same: string[]; n: number }[] {
    const rows = [];
    for (const [cat, d] of this.cats) {
      if (d.n === 0) continue;
      const items: [number, string][] = FLAG_NAMES.filter(([b]) => d.flags & b);
      if (d.reg !== null) items.push([-1, REG_NAMES[d.reg]]);
      for (const [bit, name] of items) {
        const applies = (m: Model) => (bit === -1 ? m.reg !== undefined : m.flags !== undefined && ((m.bits ?? ARITH) & bit) !== 0);
        const rule = (side: number) => {
          const hits = (m: Model) => d.hits.get(`${side}/${bit}/${m.name}`) ?? 0;
          const full = d.models.filter((m) => applies(m) && hits(m) === d.n);
          if (full.length) return full.map((m) => m.name).join(" = ");
          let best: Model | null = null;
          for (const m of d.models) if (applies(m) && (!best || hits(m) > hits(best))) best = m;
          return `no simple rule (closest: ${best?.name}, ${best ? hits(best) : 0}/${d.n})`;
        };
        rows.push({
          cat, what: d.what, item: name, n: d.n,
          rules: this.sides.map((_, s) => rule(s)),
          same: this.sides.map((_, s) => `${d.agree.get(`${s}/${bit}`) ?? 0}/${d.n}`),
        });
      }
    }
    return rows;
  }

  format(): string {
    const rows = this.rows();
    const head = ["category", "flag", ...this.sides.flatMap((s, i) => (i === 0 ? [s] : [s, `= ${this.sides[0]}`]))];
    const table = [head, ...rows.map((r) => [r.cat, r.item, ...r.rules.flatMap((rule, i) => (i === 0 ? [rule] : [rule, r.same[i]]))])];
    const widths = head.map((_, i) => Math.min(70, Math.max(...table.map((row) => row[i].length))));
    return table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join(" | ")).join("\n");
  }
}

// ---- Values ----------------------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export const EDGES: Record<Bits, number[]> = {
  8: [0, 1, 2, 0x0f, 0x10, 0x3f, 0x40, 0x7e, 0x7f, 0x80, 0x81, 0xc0, 0xfe, 0xff],
  16: [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x0f0f, 0x1234, 0x7ffe, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff],
  32: [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x12345678, 0x55aa55aa, 0xf0f0f0f0,
    0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff],
};
