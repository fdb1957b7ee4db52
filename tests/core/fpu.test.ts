// x87 FPU unit tests on the in-process core: exact memory formats (m32/m64/m80 and integer/BCD
// conversions with every rounding mode), arithmetic and precision control, condition codes and
// FCOMI EFLAGS, FXAM classes, stack faults and the real indefinite, environment/FSAVE/FXSAVE byte
// layouts in protected and real mode, instruction/operand pointers, and the #NM / #MF rules.
// (tests/core/fpu-native.test.ts compares much of the same against the host's real x87.)

import { describe, expect, it } from "vitest";
import { CoreHarness, nasm, EAX, ECX, EDX } from "./harness";
import { RP } from "../../src/shared/run-page";

const DATA = 0x4000; // scratch data the tests read back

function setup(source: string, opts: { bits?: 16 | 32; before?: (h: CoreHarness) => void } = {}): CoreHarness {
  const h = new CoreHarness();
  h.load(0x1000, nasm(source + "\nhlt", opts.bits ?? 32, 0x1000));
  if ((opts.bits ?? 32) === 32) h.flat32(0x1000); else h.real16(0x1000);
  opts.before?.(h);
  return h;
}
function run32(source: string, before?: (h: CoreHarness) => void): CoreHarness {
  const h = setup(source, { before });
  const r = h.run(100_000);
  expect(r.reason, "stops at the HLT").toBe(RP.EXIT_HLT);
  return h;
}
const view = (h: CoreHarness) => new DataView(h.ram.buffer, h.ram.byteOffset, h.ram.byteLength);
const bytes = (h: CoreHarness, at: number, n: number) => Array.from(h.ram.subarray(at, at + n));
const hexOf = (h: CoreHarness, at: number, n: number) => Buffer.from(h.ram.subarray(at, at + n)).toString("hex");
/** 10 bytes of an extended value given as "SSSS:MMMMMMMMMMMMMMMM" (sign/exponent : significand). */
function x80(s: string): number[] {
  const [se, sig] = s.split(":");
  const out: number[] = [];
  const m = BigInt("0x" + sig);
  for (let i = 0; i < 8; i++) out.push(Number((m >> BigInt(8 * i)) & 0xffn));
  out.push(parseInt(se, 16) & 0xff, parseInt(se, 16) >> 8);
  return out;
}
const db = (b: number[]) => `db ${b.map((v) => "0x" + v.toString(16)).join(",")}`;
const u16 = (h: CoreHarness, at: number) => view(h).getUint16(at, true);
const u32 = (h: CoreHarness, at: number) => view(h).getUint32(at, true);
const u64 = (h: CoreHarness, at: number) => view(h).getBigUint64(at, true);
/** The FPU area of the run page (layout in wasm/cpu/fpu/state.ts). */
const fpuArea = (h: CoreHarness) => new DataView(h.memory.buffer, h.rp.base + RP.RP_FPU, RP.RP_FPU_SIZE);

const INDEFINITE = "ffff:c000000000000000";

describe("x87 memory formats", () => {
  it("FLD m80 / FSTP m80 keep every encoding bit for bit (SNaN, pseudo-denormal, unnormal, denormal)", () => {
    const vals = [
      "7fff:8000000000000001", // SNaN: not quieted by an 80-bit load or store
      "0000:8000000000000001", // pseudo-denormal
      "3fff:4000000000000000", // unnormal
      "0000:0000000000000001", // smallest denormal
      "ffff:c000000000000000", // real indefinite
      "7ffe:ffffffffffffffff", // largest finite
      "8000:0000000000000000", // -0
    ];
    const src = vals.map((v, i) => `fld tword [src+${i * 10}]\nfstp tword [${DATA + i * 16}]`).join("\n") +
      "\nfnstsw ax\njmp end\nsrc: " + vals.map((v) => db(x80(v))).join("\n") + "\nend:";
    const h = run32("fninit\n" + src);
    vals.forEach((v, i) => expect(bytes(h, DATA + i * 16, 10), v).toEqual(x80(v)));
    expect(h.gpr(EAX) & 0xffff, "no exception flags, TOP back to 0").toBe(0);
  });

  it("FLD m64 converts exactly: normals, the smallest denormal, infinities, NaNs (SNaN quieted with IE)", () => {
    const cases: [string, string, number][] = [
      ["0x3ff0000000000000", "3fff:8000000000000000", 0], // 1.0
      ["0x8000000000000000", "8000:0000000000000000", 0], // -0
      ["0x0000000000000001", "3bcd:8000000000000000", 0x02], // 2^-1074: DE
      ["0x000fffffffffffff", "3c00:fffffffffffff000", 0x02], // largest denormal
      ["0xfff0000000000000", "ffff:8000000000000000", 0], // -inf
      ["0x7ff8000000000000", "7fff:c000000000000000", 0], // QNaN
      ["0x7ff0000000000001", "7fff:c000000000000800", 0x01], // SNaN -> QNaN, IE
      ["0x400921fb54442d18", "4000:c90fdaa22168c000", 0], // pi as a double
    ];
    for (const [bits, want, flags] of cases) {
      const h = run32(`fninit\nfld qword [val]\nfnstsw ax\nfstp tword [${DATA}]\njmp end\nval: dq ${bits}\nend:`);
      expect(bytes(h, DATA, 10), bits).toEqual(x80(want));
      expect(h.gpr(EAX) & 0x3f, `${bits} flags`).toBe(flags);
    }
  });

  it("FST m64 rounds per RC, with PE and C1 (round up), and handles overflow, underflow and NaNs", () => {
    // 2^53 + 1 is exact in 80 bits; to double it rounds to 2^53 or 2^53 + 2.
    const cases: [string, number, string, number][] = [
      ["4034:8000000000000400", 0x000, "0x4340000000000000", 0x20], // nearest (tie to even): 2^53
      ["4034:8000000000000400", 0x400, "0x4340000000000000", 0x20], // down
      ["4034:8000000000000400", 0x800, "0x4340000000000001", 0x220], // up: C1
      ["4034:8000000000000400", 0xc00, "0x4340000000000000", 0x20], // chop
      ["c034:8000000000000400", 0x400, "0xc340000000000001", 0x220], // -(2^53+1) down: away from zero
      ["7000:8000000000000000", 0x000, "0x7ff0000000000000", 0x228], // overflow -> inf, OE PE C1
      ["7000:8000000000000000", 0xc00, "0x7fefffffffffffff", 0x28], // chop: largest finite
      ["3bcc:c000000000000000", 0x000, "0x0000000000000001", 0x230], // 0.75 * 2^-1074 -> 2^-1074: UE PE C1
      ["3bcd:8000000000000000", 0x000, "0x0000000000000001", 0x00], // exact denormal: no UE
      ["7fff:8000000000000001", 0x000, "0x7ff8000000000000", 0x01], // SNaN: IE, quieted
      ["3fff:4000000000000000", 0x000, "0xfff8000000000000", 0x01], // unnormal: IE, indefinite
    ];
    for (const [v, rc, want, sw] of cases) {
      const h = run32(`fninit\nfldcw [cw]\nfld tword [val]\nfst qword [${DATA}]\nfnstsw ax\njmp end\ncw: dw ${0x37f | rc}\nval: ${db(x80(v))}\nend:`);
      expect(u64(h, DATA), `${v} rc=${rc}`).toBe(BigInt(want));
      expect(h.gpr(EAX) & 0x3ff, `${v} rc=${rc} status`).toBe(sw);
    }
  });

  it("FLD/FST m32: single denormals load with DE; 1/3 rounds to nearest", () => {
    const h = run32(`fninit
      fld dword [den]
      fnstsw ax
      fstp tword [${DATA}]
      fld1
      fidiv dword [three]
      fst dword [${DATA + 16}]
      jmp end
      den: dd 0x00000001
      three: dd 3
      end:`);
    expect(bytes(h, DATA, 10)).toEqual(x80("3f6a:8000000000000000")); // 2^-149
    expect(h.gpr(EAX) & 0x3f).toBe(0x02);
    expect(u32(h, DATA + 16)).toBe(0x3eaaaaab);
  });

  it("FIST/FISTP round per RC; out-of-range and NaN store the integer indefinite with IE", () => {
    const vals = [2.5, -2.5, 3.5, -0.5, 1e10, NaN];
    const want: Record<number, number[]> = { // per RC: nearest, down, up, chop (as int16 from FIST m16)
      0x000: [2, -2, 4, 0, -0x8000, -0x8000],
      0x400: [2, -3, 3, -1, -0x8000, -0x8000],
      0x800: [3, -2, 4, 0, -0x8000, -0x8000],
      0xc00: [2, -2, 3, 0, -0x8000, -0x8000],
    };
    for (const rc of [0x000, 0x400, 0x800, 0xc00]) {
      const src = vals.map((_, i) => `fld qword [v+${i * 8}]\nfistp word [${DATA + i * 2}]`).join("\n");
      const h = run32(`fninit\nfldcw [cw]\n${src}\nfnstsw ax\nfld qword [v+32]\nfistp qword [${DATA + 32}]\njmp end\ncw: dw ${0x37f | rc}\nv: dq ${vals.map((v) => Number.isNaN(v) ? "__QNaN__" : v.toPrecision(17)).join(", ")}\nend:`);
      const got = vals.map((_, i) => view(h).getInt16(DATA + i * 2, true));
      expect(got, `rc=${rc}`).toEqual(want[rc]);
      expect(h.gpr(EAX) & 0x21, "IE and PE").toBe(0x21);
      expect(view(h).getBigInt64(DATA + 32, true), "1e10 fits in 64 bits").toBe(10000000000n);
    }
  });

  it("FILD m16/m32/m64 are exact; 2^63 - 1 needs all 64 significand bits", () => {
    const h = run32(`fninit
      fild word [a]
      fstp tword [${DATA}]
      fild dword [b]
      fstp tword [${DATA + 16}]
      fild qword [c]
      fstp tword [${DATA + 32}]
      fild qword [c]
      fistp qword [${DATA + 48}]
      jmp end
      a: dw -32768
      b: dd 0x7fffffff
      c: dq 0x7fffffffffffffff
      end:`);
    expect(bytes(h, DATA, 10)).toEqual(x80("c00e:8000000000000000"));
    expect(bytes(h, DATA + 16, 10)).toEqual(x80("401d:fffffffe00000000"));
    expect(bytes(h, DATA + 32, 10)).toEqual(x80("403d:fffffffffffffffe"));
    expect(u64(h, DATA + 48)).toBe(0x7fffffffffffffffn);
  });

  it("FBLD/FBSTP: packed BCD both ways, rounding per RC, and the BCD indefinite when too large", () => {
    const h = run32(`fninit
      fbld tword [bcd]
      fld st0
      fbstp tword [${DATA}]
      fstp tword [${DATA + 16}]
      fld qword [half]
      fbstp tword [${DATA + 32}]
      fld qword [big]
      fbstp tword [${DATA + 48}]
      fnstsw ax
      jmp end
      bcd: db 0x89,0x67,0x45,0x23,0x01,0x89,0x67,0x45,0x23,0x80
      half: dq -12.5
      big: dq 1e18
      end:`);
    expect(hexOf(h, DATA, 10)).toBe("89674523018967452380");
    expect(bytes(h, DATA + 16, 10)).toEqual(x80("c038:d0569035a1604540"));
    expect(hexOf(h, DATA + 32, 10)).toBe("12000000000000000080"); // -12.5 -> -12 (nearest even)
    expect(hexOf(h, DATA + 48, 10)).toBe("00000000000000c0ffff"); // the packed BCD indefinite
    expect(h.gpr(EAX) & 1).toBe(1);
  });
});

describe("x87 arithmetic", () => {
  it("precision control: 1/3 rounds to 24, 53 or 64 bits in the register", () => {
    const src = [0x07f, 0x27f, 0x37f].map((cw, i) =>
      `fldcw [cw${i}]\nfld1\nfidiv dword [three]\nfstp tword [${DATA + i * 16}]`).join("\n");
    const h = run32(`fninit\n${src}\njmp end\ncw0: dw 0x07f\ncw1: dw 0x27f\ncw2: dw 0x37f\nthree: dd 3\nend:`);
    expect(bytes(h, DATA, 10)).toEqual(x80("3ffd:aaaaab0000000000"));
    expect(bytes(h, DATA + 16, 10)).toEqual(x80("3ffd:aaaaaaaaaaaaa800"));
    expect(bytes(h, DATA + 32, 10)).toEqual(x80("3ffd:aaaaaaaaaaaaaaab"));
  });

  it("FSQRT, FRNDINT in all four rounding modes, FSCALE, FXTRACT, FPREM to completion", () => {
    const h = run32(`fninit
      fld1
      fadd st0, st0
      fsqrt
      fstp tword [${DATA}]            ; sqrt(2)
      ${[0, 0x400, 0x800, 0xc00].map((rc, i) => `fldcw [rc${i}]\nfld qword [m25]\nfrndint\nfistp word [${DATA + 16 + i * 2}]`).join("\n")}
      fldcw [rc0]
      fild word [three]
      fld1
      fscale                            ; 1 * 2^3
      fistp word [${DATA + 32}]
      fstp st0
      fld qword [x]                     ; 10.0
      fxtract                           ; ST0 = 1.25, ST1 = 3
      fstp qword [${DATA + 40}]
      fistp word [${DATA + 48}]
      fld qword [y]                     ; 1e300 mod 7
      fld qword [big]
    again:
      fprem
      fnstsw ax
      test ah, 4                        ; C2: reduction incomplete
      jnz again
      fstp qword [${DATA + 56}]
      fstp st0
      jmp end
      rc0: dw 0x37f
      rc1: dw 0x77f
      rc2: dw 0xb7f
      rc3: dw 0xf7f
      m25: dq -2.5
      three: dw 3
      x: dq 10.0
      y: dq 7.0
      big: dq 1e300
      end:`);
    expect(bytes(h, DATA, 10)).toEqual(x80("3fff:b504f333f9de6484"));
    expect([0, 1, 2, 3].map((i) => view(h).getInt16(DATA + 16 + i * 2, true))).toEqual([-2, -3, -2, -2]);
    expect(view(h).getInt16(DATA + 32, true)).toBe(8);
    expect(view(h).getFloat64(DATA + 40, true)).toBe(1.25);
    expect(view(h).getInt16(DATA + 48, true)).toBe(3);
    // 1e300 mod 7, exactly: the double 1e300 is an integer.
    expect(view(h).getFloat64(DATA + 56, true)).toBe(Number(BigInt(1e300) % 7n));
  });

  it("FPREM reports the low quotient bits in C0 C3 C1 and FPREM1 rounds the quotient to nearest", () => {
    const h = run32(`fninit
      fild word [d]
      fild word [n]
      fprem                 ; 23 / 4: q = 5 (101b), r = 3
      fnstsw ax
      mov [${DATA}], ax
      fstp qword [${DATA + 8}]
      fild word [n]
      fprem1                ; q = 6 (110b), r = -1
      fnstsw ax
      mov [${DATA + 2}], ax
      fstp qword [${DATA + 16}]
      jmp end
      d: dw 4
      n: dw 23
      end:`);
    const cc = (sw: number) => ({ c0: (sw >> 8) & 1, c1: (sw >> 9) & 1, c2: (sw >> 10) & 1, c3: (sw >> 14) & 1 });
    expect(cc(u16(h, DATA))).toEqual({ c0: 1, c3: 0, c1: 1, c2: 0 }); // q = 5: C0 = Q2, C3 = Q1, C1 = Q0
    expect(view(h).getFloat64(DATA + 8, true)).toBe(3);
    expect(cc(u16(h, DATA + 2))).toEqual({ c0: 1, c3: 1, c1: 0, c2: 0 }); // q = 6
    expect(view(h).getFloat64(DATA + 16, true)).toBe(-1);
  });

  it("all register forms of FSUB/FSUBR/FDIV/FDIVR use the right operand order", () => {
    // ST0 = 8, ST1 = 2 before each op; results read from the destination.
    const forms: [string, string, number][] = [
      ["fsub st0, st1", "st0", 6], ["fsubr st0, st1", "st0", -6], ["fdiv st0, st1", "st0", 4], ["fdivr st0, st1", "st0", 0.25],
      ["fsub st1, st0", "st1", -6], ["fsubr st1, st0", "st1", 6], ["fdiv st1, st0", "st1", 0.25], ["fdivr st1, st0", "st1", 4],
      ["fsubp st1, st0", "p", -6], ["fsubrp st1, st0", "p", 6], ["fdivp st1, st0", "p", 0.25], ["fdivrp st1, st0", "p", 4],
    ];
    const src = forms.map(([ins, dst], i) => `fninit\nfild word [two]\nfild word [eight]\n${ins}\n` +
      (dst === "st1" ? "fstp st0\n" : "") + `fstp qword [${DATA + i * 8}]`).join("\n");
    const h = run32(`${src}\njmp end\ntwo: dw 2\neight: dw 8\nend:`);
    forms.forEach(([ins], i) => expect(view(h).getFloat64(DATA + i * 8, true), ins).toBe(forms[i][2]));
  });

  it("memory-operand forms: FADD m32, FMUL m64, FISUB m16, FIDIVR m32", () => {
    const h = run32(`fninit
      fld1
      fadd dword [f]        ; 1 + 1.5
      fmul qword [d]        ; * 4
      fisub word [i16]      ; - 3
      fidivr dword [i32]    ; 21 / 7
      fstp qword [${DATA}]
      jmp end
      f: dd 1.5
      d: dq 4.0
      i16: dw 3
      i32: dd 21
      end:`);
    expect(view(h).getFloat64(DATA, true)).toBe(3);
  });
});

describe("x87 compares and classification", () => {
  const rel = (a: string, b: string, ins: string) => `fninit\nfld qword [${b}]\nfld qword [${a}]\n${ins}\nfnstsw ax`;
  const consts = "jmp end\none: dq 1.0\ntwo: dq 2.0\nqnan: dq __QNaN__\nend:";

  it("FCOM/FUCOM set C3 C2 C0 for >, <, = and unordered; FNSTSW AX reads them", () => {
    const cc = (sw: number) => sw & 0x4500;
    expect(cc(run32(`${rel("two", "one", "fcom st1")}\n${consts}`).gpr(EAX))).toBe(0x0000);
    expect(cc(run32(`${rel("one", "two", "fcom st1")}\n${consts}`).gpr(EAX))).toBe(0x0100);
    expect(cc(run32(`${rel("one", "one", "fcom st1")}\n${consts}`).gpr(EAX))).toBe(0x4000);
    const un = run32(`${rel("qnan", "one", "fcom st1")}\n${consts}`).gpr(EAX);
    expect(cc(un)).toBe(0x4500);
    expect(un & 1, "FCOM of a QNaN is invalid").toBe(1);
    const uq = run32(`${rel("qnan", "one", "fucom st1")}\n${consts}`).gpr(EAX);
    expect(cc(uq)).toBe(0x4500);
    expect(uq & 1, "FUCOM of a QNaN is not").toBe(0);
  });

  it("FCOMPP pops twice, FTST compares with zero, FICOM with an integer", () => {
    const h = run32(`fninit
      fld1
      fld1
      fcompp
      fnstsw ax
      mov [${DATA}], ax
      fldz
      fchs
      ftst
      fnstsw ax
      mov [${DATA + 2}], ax
      fld1
      ficom word [five]
      fnstsw ax
      mov [${DATA + 4}], ax
      jmp end
      five: dw 5
      end:`);
    expect(u16(h, DATA) & 0x7f00, "equal, TOP back to 0").toBe(0x4000);
    expect(u16(h, DATA + 2) & 0x4500, "-0 == 0").toBe(0x4000);
    expect(u16(h, DATA + 4) & 0x4500, "1 < 5").toBe(0x0100);
  });

  it("FCOMI/FUCOMIP set ZF PF CF and clear OF SF AF; the result drives Jcc", () => {
    const flagsAfter = (a: string, b: string, ins: string) => {
      const h = run32(`fninit\nfld qword [${b}]\nfld qword [${a}]\nmov eax, 0xffffffff\nadd eax, 1\n${ins}\npushfd\npop ecx\n${consts}`);
      return h.gpr(ECX) & 0x8d5;
    };
    expect(flagsAfter("two", "one", "fcomi st0, st1")).toBe(0x000);
    expect(flagsAfter("one", "two", "fcomi st0, st1")).toBe(0x001);
    expect(flagsAfter("one", "one", "fcomi st0, st1")).toBe(0x040);
    expect(flagsAfter("qnan", "one", "fucomip st0, st1")).toBe(0x045);
    const h = run32(`fninit\nfld qword [one]\nfld qword [two]\nfcomip st0, st1\nja above\nmov edx, 1\njmp done\nabove: mov edx, 2\ndone:\nfnstsw ax\n${consts}`);
    expect(h.gpr(EDX)).toBe(2);
    expect((h.gpr(EAX) >> 11) & 7, "FCOMIP popped").toBe(7);
  });

  it("FCMOVcc moves ST(i) into ST0 only when its condition holds", () => {
    const h = run32(`fninit
      fld qword [two]
      fld qword [one]
      stc
      fcmovb st0, st1       ; CF=1: move
      fstp qword [${DATA}]
      fld qword [one]
      fcmovnb st0, st1      ; CF=1: no move
      fstp qword [${DATA + 8}]
      xor eax, eax          ; ZF=1 PF=1
      fld qword [one]
      fcmovne st0, st1
      fstp qword [${DATA + 16}]
      fld qword [one]
      fcmovu st0, st1
      fstp qword [${DATA + 24}]
      ${consts}`);
    expect([0, 8, 16, 24].map((o) => view(h).getFloat64(DATA + o, true))).toEqual([2, 1, 1, 2]);
  });

  it("FXAM: C3 C2 C0 class and C1 sign for every class, including empty and unsupported", () => {
    const vals: [string, number][] = [
      ["3fff:8000000000000000", 0x0400], // +normal
      ["8000:0000000000000000", 0x4200], // -zero (C1 = sign)
      ["0000:0000000000000001", 0x4400], // denormal
      ["ffff:8000000000000000", 0x0700], // -infinity
      ["7fff:c000000000000000", 0x0100], // NaN
      ["3fff:0000000000000001", 0x0000], // unsupported (unnormal)
    ];
    for (const [v, want] of vals) {
      const h = run32(`fninit\nfld tword [val]\nfxam\nfnstsw ax\njmp end\nval: ${db(x80(v))}\nend:`);
      expect(h.gpr(EAX) & 0x4700, v).toBe(want);
    }
    expect(run32("fninit\nfxam\nfnstsw ax").gpr(EAX) & 0x4500, "empty").toBe(0x4100);
  });
});

describe("x87 stack faults and control", () => {
  it("stack underflow with IE masked produces the real indefinite and sets IE SF, C1=0", () => {
    const h = run32(`fninit
      fadd st0, st1         ; both empty
      fnstsw ax
      mov [${DATA}], ax
      fstp tword [${DATA + 16}]
      fstp qword [${DATA + 32}]   ; empty again: the double indefinite
      fist dword [${DATA + 40}]   ; empty: the integer indefinite`);
    expect(u16(h, DATA) & 0x3ff).toBe(0x041);
    expect(bytes(h, DATA + 16, 10)).toEqual(x80(INDEFINITE));
    expect(u64(h, DATA + 32)).toBe(0xfff8000000000000n);
    expect(u32(h, DATA + 40)).toBe(0x80000000);
  });

  it("stack overflow sets C1 and pushes the indefinite; with IE unmasked the stack is untouched", () => {
    const h = run32(`fninit
      ${"fld1\n".repeat(9)}
      fnstsw ax
      mov [${DATA}], ax
      fstp tword [${DATA + 16}]
      fninit
      fldcw [cw]
      ${"fldz\n".repeat(9)}
      fnstsw ax
      mov [${DATA + 2}], ax
      fnclex
      fstp tword [${DATA + 32}]
      jmp end
      cw: dw 0x37e
      end:`);
    expect(u16(h, DATA) & 0x3bff, "IE SF C1, TOP = 7").toBe(0x3a41);
    expect(bytes(h, DATA + 16, 10)).toEqual(x80(INDEFINITE));
    expect(u16(h, DATA + 2) & 0xbbff, "IE SF C1 ES B, TOP = 0: nothing pushed").toBe(0x82c1);
    expect(bytes(h, DATA + 32, 10), "ST0 still the eighth zero").toEqual(x80("0000:0000000000000000"));
  });

  it("FLDCW forces bit 6, FNSTENV masks everything and clears ES, FNCLEX clears the flags", () => {
    const h = run32(`fninit
      fldcw [cw]
      fnstcw [${DATA}]
      fldz
      fld1
      fdiv st0, st1         ; ZE unmasked: ES B
      fnstsw [${DATA + 2}]
      fnstenv [${DATA + 16}]
      fnstcw [${DATA + 4}]
      fnstsw [${DATA + 6}]
      fnclex
      fnstsw [${DATA + 8}]
      jmp end
      cw: dw 0xffbb
      end:`);
    expect(u16(h, DATA)).toBe(0x1f7b);
    expect(u16(h, DATA + 2) & 0x80ff).toBe(0x8084);
    expect(u16(h, DATA + 16), "the saved CW is the old one").toBe(0x1f7b);
    expect(u16(h, DATA + 20) & 0x80ff).toBe(0x8084);
    expect(u16(h, DATA + 4)).toBe(0x1f7f);
    expect(u16(h, DATA + 6) & 0x80ff).toBe(0x0004);
    expect(u16(h, DATA + 8) & 0x80ff).toBe(0);
  });

  it("FINCSTP/FDECSTP rotate TOP without touching tags; FFREE empties a register", () => {
    const h = run32(`fninit
      fld1
      fdecstp
      fnstsw [${DATA}]
      fincstp
      fincstp
      fnstsw [${DATA + 2}]
      fdecstp
      ffree st0
      fxam
      fnstsw [${DATA + 4}]`);
    expect((u16(h, DATA) >> 11) & 7).toBe(6);
    expect((u16(h, DATA + 2) >> 11) & 7).toBe(0);
    expect(u16(h, DATA + 4) & 0x4500, "empty").toBe(0x4100);
  });

  it("FXCH, FLD ST(i), FST ST(i), FCHS, FABS and the constants", () => {
    const h = run32(`fninit
      fldpi
      fldl2e
      fxch st1
      fstp tword [${DATA}]
      fldln2
      fst st1
      fchs
      fabs
      fld st1
      fstp tword [${DATA + 16}]
      fstp tword [${DATA + 32}]
      fldlg2
      fstp tword [${DATA + 48}]
      fldl2t
      fstp tword [${DATA + 64}]`);
    expect(bytes(h, DATA, 10)).toEqual(x80("4000:c90fdaa22168c235"));
    expect(bytes(h, DATA + 16, 10)).toEqual(x80("3ffe:b17217f7d1cf79ac"));
    expect(bytes(h, DATA + 32, 10)).toEqual(x80("3ffe:b17217f7d1cf79ac"));
    expect(bytes(h, DATA + 48, 10)).toEqual(x80("3ffd:9a209a84fbcff799"));
    expect(bytes(h, DATA + 64, 10)).toEqual(x80("4000:d49a784bcd1b8afe"));
  });

  it("transcendentals (f64 accuracy): FSIN FCOS FSINCOS FPTAN FPATAN F2XM1 FYL2X FYL2XP1", () => {
    const h = run32(`fninit
      fld qword [x]
      fsin
      fstp qword [${DATA}]
      fld qword [x]
      fcos
      fstp qword [${DATA + 8}]
      fld qword [x]
      fsincos               ; ST0 = cos, ST1 = sin
      fstp qword [${DATA + 16}]
      fstp qword [${DATA + 24}]
      fld qword [x]
      fptan                 ; ST0 = 1, ST1 = tan
      fstp qword [${DATA + 32}]
      fstp qword [${DATA + 40}]
      fld1
      fld qword [x]
      fpatan                ; atan2(1, x)
      fstp qword [${DATA + 48}]
      fld qword [x]
      f2xm1
      fstp qword [${DATA + 56}]
      fld1
      fld qword [eight]
      fyl2x                 ; 1 * log2(8)
      fstp qword [${DATA + 64}]
      fld1
      fld qword [x]
      fyl2xp1               ; log2(1.5)
      fstp qword [${DATA + 72}]
      fld qword [huge]
      fsin                  ; |x| >= 2^63: C2, unchanged
      fnstsw ax
      fstp qword [${DATA + 80}]
      jmp end
      x: dq 0.5
      eight: dq 8.0
      huge: dq 1e19
      end:`);
    const f = (o: number) => view(h).getFloat64(DATA + o, true);
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.abs(b) * 2 ** -50);
    close(f(0), Math.sin(0.5));
    close(f(8), Math.cos(0.5));
    close(f(16), Math.cos(0.5));
    close(f(24), Math.sin(0.5));
    expect(f(32)).toBe(1);
    close(f(40), Math.tan(0.5));
    close(f(48), Math.atan2(1, 0.5));
    close(f(56), Math.SQRT2 - 1);
    expect(f(64)).toBe(3);
    close(f(72), Math.log2(1.5));
    expect(h.gpr(EAX) & 0x0400).toBe(0x0400);
    expect(f(80)).toBe(1e19);
  });

  it("FISTTP (SSE3) and reserved encodings stop the VM as unimplemented", () => {
    for (const ins of ["fisttp dword [0x4000]", "db 0xd9, 0xd1"]) {
      const h = setup(`fninit\n${ins}`);
      expect(h.run(100).reason, ins).toBe(RP.EXIT_INTERNAL_ERROR);
      expect(h.rp.internalSuberror).toBe(RP.INTERNAL_ERROR_EMULATION);
    }
  });
});

describe("x87 environment images", () => {
  it("FNSAVE (32-bit protected mode): environment, tag word, pointers, registers in ST order; then FNINIT; FRSTOR restores", () => {
    const h = run32(`fninit
      mov ebx, ${DATA + 0x200}
      fld1
      fldz
      fld dword [ebx+4]     ; last non-control instruction with a memory operand
      fnsave [${DATA}]
      fnstsw [${DATA + 0x180}]
      frstor [${DATA}]
      fstp tword [${DATA + 0x190}]
      fnstsw [${DATA + 0x182}]`, (hh) => {
      view(hh).setUint32(DATA + 0x204, 0xbf800000, true); // -1.0f
    });
    expect(u32(h, DATA + 0), "CW, upper half ones").toBe(0xffff037f);
    expect(u32(h, DATA + 4), "SW: TOP = 5").toBe(0xffff2800);
    // R5 = -1 (valid 00), R6 = 0 (zero 01), R7 = 1 (valid 00), R0-R4 empty (11).
    expect(u32(h, DATA + 8)).toBe(0xffff13ff);
    const fldAt = 0x1000 + 2 + 5 + 2 + 2; // FNINIT, MOV EBX, FLD1, FLDZ, then "fld dword [ebx+4]"
    expect(u32(h, DATA + 12), "FIP").toBe(fldAt);
    expect(u32(h, DATA + 16), "FCS | FOP << 16").toBe(0x08 | (0x143 << 16));
    expect(u32(h, DATA + 20), "FDP").toBe(DATA + 0x204);
    expect(u32(h, DATA + 24), "FDS").toBe(0xffff0010);
    expect(bytes(h, DATA + 28, 10)).toEqual(x80("bfff:8000000000000000"));
    expect(bytes(h, DATA + 38, 10)).toEqual(x80("0000:0000000000000000"));
    expect(bytes(h, DATA + 48, 10)).toEqual(x80("3fff:8000000000000000"));
    expect(u16(h, DATA + 0x180), "FNSAVE reinitialized the FPU").toBe(0);
    expect(bytes(h, DATA + 0x190, 10), "FRSTOR brought ST0 back").toEqual(x80("bfff:8000000000000000"));
    expect((u16(h, DATA + 0x182) >> 11) & 7).toBe(6);
  });

  it("FNSTENV/FLDENV 16-bit real-mode layout: linear FIP/FDP with the opcode", () => {
    const h = setup(`mov ax, 0x100
      mov ds, ax            ; DS base 0x1000
      fninit
      fld1
      fadd dword [0x200]    ; linear 0x1200
      fnstenv [0x300]       ; 14 bytes at 0x1300
      fldenv [0x300]
      fnstenv [0x320]`, { bits: 16 });
    expect(h.run(1000).reason).toBe(RP.EXIT_HLT);
    const e = 0x1300;
    expect(u16(h, e)).toBe(0x037f);
    expect(u16(h, e + 4), "tag word").toBe(0x3fff);
    const faddIp = 0x1000 + 3 + 2 + 2 + 2; // mov ax, mov ds, fninit, fld1
    expect(u16(h, e + 6), "FIP[15:0]").toBe(faddIp & 0xffff);
    expect(u16(h, e + 8), "FIP[19:16] << 12 | FOP").toBe(0x006); // D8 06: fadd m32 with disp16
    expect(u16(h, e + 10), "FDP[15:0]").toBe(0x1200);
    expect(u16(h, e + 12)).toBe(0);
    expect(bytes(h, e + 0x20, 14), "FLDENV reloaded it all").toEqual(bytes(h, e, 14));
  });

  it("FXSAVE: 512-byte layout (abridged tags by physical register, ST order, MXCSR), FXRSTOR restores", () => {
    const h = run32(`fninit
      fld1
      fldpi
      mov edi, ${DATA}
      mov ecx, 128
      mov eax, 0xaaaaaaaa
      rep stosd
      fxsave [${DATA}]
      fninit
      fxrstor [${DATA}]
      fstp tword [${DATA + 0x300}]
      fstp tword [${DATA + 0x310}]
      fnstsw [${DATA + 0x320}]`);
    expect(u16(h, DATA), "FCW").toBe(0x037f);
    expect(u16(h, DATA + 2), "FSW: TOP 6").toBe(0x3000);
    expect(h.ram[DATA + 4], "abridged tag: R6 R7").toBe(0xc0);
    expect(h.ram[DATA + 5]).toBe(0);
    expect(u16(h, DATA + 6), "FOP: FLDPI D9 EB").toBe(0x1eb);
    expect(u32(h, DATA + 8), "FIP").toBe(0x1000 + 2 + 2);
    expect(u32(h, DATA + 12), "FCS").toBe(0x08);
    expect(u32(h, DATA + 24), "MXCSR").toBe(0x1f80);
    expect(u32(h, DATA + 28), "MXCSR_MASK").toBe(0xffff);
    expect(bytes(h, DATA + 32, 16)).toEqual([...x80("4000:c90fdaa22168c235"), 0, 0, 0, 0, 0, 0]);
    expect(bytes(h, DATA + 48, 16)).toEqual([...x80("3fff:8000000000000000"), 0, 0, 0, 0, 0, 0]);
    expect(bytes(h, DATA + 160, 128).every((b) => b === 0), "XMM0-7 zero").toBe(true);
    expect(bytes(h, DATA + 464, 48).every((b) => b === 0xaa), "available bytes untouched").toBe(true);
    expect(bytes(h, DATA + 0x300, 10)).toEqual(x80("4000:c90fdaa22168c235"));
    expect(bytes(h, DATA + 0x310, 10)).toEqual(x80("3fff:8000000000000000"));
    expect(u16(h, DATA + 0x320)).toBe(0);
  });

  it("the FPU state lives in the run page (physical register order, TOP in FSW)", () => {
    const h = run32("fninit\nfld1\nfldz");
    const a = fpuArea(h);
    expect(a.getUint16(0, true)).toBe(0x037f);
    expect((a.getUint16(2, true) >> 11) & 7).toBe(6);
    expect(a.getUint8(4)).toBe(0xc0);
    expect(a.getBigUint64(0x20 + 7 * 16, true)).toBe(0x8000000000000000n); // R7 = 1.0
    expect(a.getUint16(0x20 + 7 * 16 + 8, true)).toBe(0x3fff);
    expect(a.getUint16(0x20 + 6 * 16 + 8, true)).toBe(0); // R6 = +0
  });
});

// ---- Exceptions: a GDT with flat code/data and an IDT whose handlers record the vector -----------
const GDT = 0x500, IDT = 0x600, HANDLERS = 0x800, VEC = 0x700;
/** Handler for vector v at HANDLERS + 16 * v: record v, then HLT. */
const handlers = nasm(`%assign v 0\n%rep 32\nmov dword [${VEC}], v\nhlt\nalign 16\n%assign v v+1\n%endrep`, 32, HANDLERS);
function withTables(h: CoreHarness, cr0Bits: number): void {
  const dv = view(h);
  dv.setBigUint64(GDT + 8, 0x00cf9a000000ffffn, true);
  dv.setBigUint64(GDT + 16, 0x00cf92000000ffffn, true);
  for (let v = 0; v < 32; v++) {
    const off = HANDLERS + v * 16;
    dv.setUint32(IDT + v * 8, (0x08 << 16) | (off & 0xffff), true);
    dv.setUint32(IDT + v * 8 + 4, (off & 0xffff0000) | 0x8e00, true);
  }
  h.load(HANDLERS, handlers);
  dv.setUint32(VEC, 0xffffffff, true);
  h.rp.setTables({ base: GDT, limit: 23 }, { base: IDT, limit: 32 * 8 - 1 });
  h.rp.cr0 = h.rp.cr0 | cr0Bits;
}
const CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_NE = 0x20;

describe("x87 #NM and #MF", () => {
  it("CR0.TS=1: the first FPU instruction raises #NM before any side effect, EIP at the instruction", () => {
    const h = setup("fninit\nfld1\nmov edx, 1", { before: (hh) => withTables(hh, CR0_TS) });
    const before = new Uint8Array(fpuArea(h).buffer.slice(h.rp.base + RP.RP_FPU, h.rp.base + RP.RP_FPU + 0x100));
    expect(h.run(1000).reason).toBe(RP.EXIT_HLT);
    expect(u32(h, VEC)).toBe(7);
    expect(u32(h, h.gpr(4)), "the pushed EIP is the FNINIT").toBe(0x1000);
    const after = new Uint8Array(fpuArea(h).buffer.slice(h.rp.base + RP.RP_FPU, h.rp.base + RP.RP_FPU + 0x100));
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it("CR0.EM=1 raises #NM for x87 instructions and FXSAVE; FWAIT is #NM only with MP=1 and TS=1", () => {
    for (const [ins, bits, vec] of [
      ["fld1", CR0_EM, 7], ["fxsave [0x4000]", CR0_EM, 7], ["fxsave [0x4000]", CR0_TS, 7],
      ["fwait", CR0_TS, -1], ["fwait", CR0_TS | CR0_MP, 7], ["fwait", CR0_EM, -1],
    ] as [string, number, number][]) {
      const h = setup(ins, { before: (hh) => withTables(hh, bits) });
      expect(h.run(1000).reason, ins).toBe(RP.EXIT_HLT);
      expect(view(h).getInt32(VEC, true), `${ins} cr0 bits ${bits}`).toBe(vec);
    }
  });

  it("FXSAVE to a misaligned address is #GP(0)", () => {
    const h = setup("fxsave [0x4008]", { before: (hh) => withTables(hh, 0) });
    expect(h.run(1000).reason).toBe(RP.EXIT_HLT);
    expect(u32(h, VEC)).toBe(13);
  });

  it("an unmasked exception is pending: #MF (16) at the next waiting instruction when CR0.NE=1", () => {
    const h = setup(`fninit
      fldcw [cw]
      fldz
      fld1
      fdiv st0, st1         ; ZE unmasked: no fault here
      fnstsw ax             ; no-wait: no fault either
      mov edx, 0x1234
      fwait                 ; #MF here
      mov edx, 0x5678
      jmp end
      cw: dw 0x37b
      end:`, { before: (hh) => withTables(hh, CR0_NE) });
    expect(h.run(1000).reason).toBe(RP.EXIT_HLT);
    expect(u32(h, VEC)).toBe(16);
    expect(h.gpr(EDX)).toBe(0x1234);
    expect(h.gpr(EAX) & 0x8084).toBe(0x8084);
    const fwaitAt = 0x1000 + 2 + 6 + 2 + 2 + 2 + 2 + 5;
    expect(u32(h, h.gpr(4)), "EIP of the FWAIT").toBe(fwaitAt);
  });

  it("the pending check also fires on the next x87 instruction, and not with CR0.NE=0", () => {
    const src = `fninit
      fldcw [cw]
      fldz
      fld1
      fdiv st0, st1
      fld1                  ; waiting instruction
      mov edx, 0x5678
      jmp end
      cw: dw 0x37b
      end:`;
    const h = setup(src, { before: (hh) => withTables(hh, CR0_NE) });
    expect(h.run(1000).reason).toBe(RP.EXIT_HLT);
    expect(u32(h, VEC)).toBe(16);
    const h2 = setup(src, { before: (hh) => withTables(hh, 0) });
    expect(h2.run(1000).reason).toBe(RP.EXIT_HLT);
    expect(view(h2).getInt32(VEC, true), "NE=0: no #MF (IRQ13 not modelled)").toBe(-1);
    expect(h2.gpr(EDX)).toBe(0x5678);
  });
});
