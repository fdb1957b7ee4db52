// Decoder unit tests: ModR/M and SIB forms, default segments, prefixes, immediates, and how the
// core reports what it cannot run. Each case runs a few instructions on the in-process core.

import { describe, expect, it } from "vitest";
import { CoreHarness, nasm, EAX, ECX, EDX, EBX, ESI, EDI, EBP } from "./harness";
import { RP } from "../../src/shared/run-page";

function run32(source: string, setup?: (h: CoreHarness) => void): CoreHarness {
  const h = new CoreHarness();
  h.load(0x1000, nasm(source + "\nhlt", 32, 0x1000));
  h.flat32(0x1000);
  setup?.(h);
  const r = h.run(10_000);
  expect(r.reason, "stops at the HLT").toBe(RP.EXIT_HLT);
  return h;
}

function run16(source: string, setup?: (h: CoreHarness) => void): CoreHarness {
  const h = new CoreHarness();
  h.load(0x1000, nasm(source + "\nhlt", 16, 0x1000));
  h.real16(0x1000);
  setup?.(h);
  const r = h.run(10_000);
  expect(r.reason, "stops at the HLT").toBe(RP.EXIT_HLT);
  return h;
}

const view = (h: CoreHarness) => new DataView(h.ram.buffer, h.ram.byteOffset, h.ram.byteLength);

describe("32-bit ModR/M and SIB", () => {
  it("register-indirect, disp8, disp32 and absolute forms", () => {
    const h = run32(`
      mov ebx, 0x2000
      mov dword [ebx], 0x11111111
      mov dword [ebx+8], 0x22222222
      mov dword [ebx+0x1000], 0x33333333
      mov dword [0x5000], 0x44444444
      mov eax, [ebx+8]`);
    const v = view(h);
    expect(v.getUint32(0x2000, true)).toBe(0x11111111);
    expect(v.getUint32(0x2008, true)).toBe(0x22222222);
    expect(v.getUint32(0x3000, true)).toBe(0x33333333);
    expect(v.getUint32(0x5000, true)).toBe(0x44444444);
    expect(h.gpr(EAX)).toBe(0x22222222);
  });

  it("SIB: base + index*scale + disp, index-only with disp32, ESP base", () => {
    const h = run32(`
      mov esi, 3
      mov ebx, 0x2000
      mov dword [ebx+esi*4+0x10], 0xaabbccdd   ; 0x201C
      mov dword [esi*8+0x3000], 0x01020304      ; no base: disp32
      push dword 0x55667788
      mov ecx, [esp]
      mov edx, [ebx+esi*4+0x10]`);
    const v = view(h);
    expect(v.getUint32(0x201c, true)).toBe(0xaabbccdd);
    expect(v.getUint32(0x3018, true)).toBe(0x01020304);
    expect(h.gpr(ECX)).toBe(0x55667788);
    expect(h.gpr(EDX)).toBe(0xaabbccdd);
  });

  it("sign-extends imm8 (83 /0) and disp8", () => {
    const h = run32(`
      mov eax, 0x100
      add eax, -2          ; 83 C0 FE
      mov ebx, 0x2010
      mov byte [ebx-0x10], 0x7f
      mov cl, [ebx-16]`);
    expect(h.gpr(EAX)).toBe(0xfe);
    expect(h.gpr(ECX) & 0xff).toBe(0x7f);
  });
});

describe("16-bit addressing and default segments", () => {
  it("[bx+si], [bp+di+disp8] via SS, [disp16], and 64 KiB wrap-around", () => {
    const h = run16(`
      mov ax, 0x100
      mov ds, ax          ; DS base 0x1000
      mov ax, 0x200
      mov ss, ax          ; SS base 0x2000
      mov bx, 0x10
      mov si, 0x20
      mov word [bx+si], 0x1111        ; DS:0x30 -> 0x1030
      mov bp, 0x40
      mov di, 0x2
      mov word [bp+di+4], 0x2222      ; SS:0x46 -> 0x2046
      mov word [0x50], 0x3333         ; DS:0x50 -> 0x1050
      mov bx, 0xfff0
      mov si, 0x20
      mov word [bx+si], 0x4444        ; offset wraps to 0x0010 -> 0x1010
      mov ax, 0
      mov ds, ax
      mov ss, ax`);
    const v = view(h);
    expect(v.getUint16(0x1030, true)).toBe(0x1111);
    expect(v.getUint16(0x2046, true)).toBe(0x2222);
    expect(v.getUint16(0x1050, true)).toBe(0x3333);
    expect(v.getUint16(0x1010, true)).toBe(0x4444);
  });

  it("segment override prefixes select ES/FS/GS", () => {
    const h = run16(`
      mov ax, 0x300
      mov es, ax
      mov ax, 0x400
      mov fs, ax
      mov ax, 0x500
      mov gs, ax
      mov byte [es:0x1], 0xe1
      mov byte [fs:0x1], 0xf1
      mov byte [gs:0x1], 0x91`);
    const r = h.ram;
    expect(r[0x3001]).toBe(0xe1);
    expect(r[0x4001]).toBe(0xf1);
    expect(r[0x5001]).toBe(0x91);
  });

  it("66 and 67 prefixes give 32-bit operands and addresses in 16-bit code", () => {
    const h = run16(`
      mov eax, 0x12345678       ; 66 B8 imm32
      mov ebx, 0x2000
      mov ecx, 0x4
      mov [ebx+ecx*2], eax      ; 67 66 89 04 4B
      mov dx, [ebx+ecx*2+2]     ; 67 8B ...`);
    expect(h.gpr(EAX)).toBe(0x12345678);
    expect(view(h).getUint32(0x2008, true)).toBe(0x12345678);
    expect(h.gpr(EDX) & 0xffff).toBe(0x1234);
  });
});

describe("operand sizes", () => {
  it("8-bit high registers AH CH DH BH", () => {
    const h = run32(`
      mov eax, 0x11223344
      mov ah, 0xaa
      mov ecx, 0
      mov ch, ah
      mov bh, 0x5a
      mov dh, bh`);
    expect(h.gpr(EAX)).toBe(0x1122aa44);
    expect(h.gpr(ECX)).toBe(0xaa00);
    expect(h.gpr(EDX) & 0xff00).toBe(0x5a00);
  });

  it("16-bit writes keep the upper half; MOVZX/MOVSX extend", () => {
    const h = run32(`
      mov eax, 0xffffffff
      mov ax, 0x1234
      mov bl, 0x80
      movzx ecx, bl
      movsx edx, bl
      mov si, 0x8001
      movsx edi, si`);
    expect(h.gpr(EAX)).toBe(0xffff1234);
    expect(h.gpr(ECX)).toBe(0x80);
    expect(h.gpr(EDX)).toBe(0xffffff80);
    expect(h.gpr(EDI)).toBe(0xffff8001);
  });
});

describe("string instructions", () => {
  it("REP MOVSB copies CX bytes and leaves SI/DI/CX updated; STD walks down", () => {
    const h = run32(`
      mov esi, 0x2000
      mov edi, 0x3000
      mov ecx, 5
      cld
      rep movsb
      mov ebp, ecx
      std
      mov esi, 0x2004
      mov edi, 0x4004
      mov ecx, 5
      rep movsb
      cld`, (h) => h.ram.set([1, 2, 3, 4, 5], 0x2000));
    expect(Array.from(h.ram.subarray(0x3000, 0x3005))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(h.ram.subarray(0x4000, 0x4005))).toEqual([1, 2, 3, 4, 5]);
    expect(h.gpr(EBP)).toBe(0);
    expect(h.gpr(ESI)).toBe(0x1fff);
    expect(h.gpr(EDI)).toBe(0x3fff);
  });

  it("REPNE SCASB stops at the match", () => {
    const h = run32(`
      mov edi, 0x2000
      mov ecx, 100
      mov al, 0
      repne scasb`, (h) => h.ram.set([7, 7, 7, 0, 7], 0x2000));
    expect(h.gpr(EDI)).toBe(0x2004);
    expect(h.gpr(ECX)).toBe(96);
  });
});

describe("exits and errors", () => {
  it("IN exits to the host, and the re-executed IN takes the host's value", () => {
    const h = new CoreHarness();
    h.load(0x1000, nasm("in al, 0x60\nmov bl, al\nin ax, dx\nhlt", 32, 0x1000));
    h.flat32(0x1000);
    h.rp.setGpr(EDX, 0x1f0);
    h.inputs.set(0x60, 0xab);
    h.inputs.set(0x1f0, 0xbeef);
    const r = h.run();
    expect(r.reason).toBe(RP.EXIT_HLT);
    expect(h.gpr(EBX) & 0xff).toBe(0xab);
    expect(h.gpr(EAX) & 0xffff).toBe(0xbeef);
    // Three instructions retire plus HLT; the exiting INs are not counted twice.
    expect(r.instructions).toBe(4);
  });

  it("OUT completes, then exits with port, size and data", () => {
    const h = run32("mov eax, 0xcafe1234\nout 0x78, eax\nmov dx, 0x3f8\nout dx, al");
    expect(h.outs).toEqual([
      { port: 0x78, size: 4, value: 0xcafe1234 },
      { port: 0x3f8, size: 1, value: 0x34 },
    ]);
  });

  it("port 0x80 (POST codes, Linux's I/O delay) is latched in the worker: no exit", () => {
    const h = run32("mov al, 0x5a\nout 0x80, al\nout 0x80, al\nin al, 0x80\nmov bl, al");
    expect(h.outs).toEqual([]);
    expect(h.gpr(EBX) & 0xff).toBe(0x5a);
  });

  it("a read outside every slot is an MMIO exit before the instruction completes", () => {
    const h = new CoreHarness();
    h.load(0x1000, nasm("mov eax, [0xfec00000]\nhlt", 32, 0x1000));
    h.flat32(0x1000);
    const r = h.run();
    expect(r.reason).toBe(RP.EXIT_MMIO);
    expect(h.rp.mmioPhysAddr).toBe(0xfec00000);
    expect(h.rp.mmioLen).toBe(4);
    expect(h.rp.mmioIsWrite).toBe(false);
    expect(h.rp.eip).toBe(0x1000); // rolled back: the MOV has not happened yet
  });

  it("an unimplemented opcode stops with INTERNAL_ERROR naming CS:EIP and the bytes", () => {
    const h = new CoreHarness();
    h.load(0x1000, nasm("nop\nnop\nmovups xmm0, xmm1\nhlt", 32, 0x1000)); // 0F 10 C1: SSE, not implemented
    h.flat32(0x1000);
    const r = h.run();
    expect(r.reason).toBe(RP.EXIT_INTERNAL_ERROR);
    expect(h.rp.internalSuberror).toBe(RP.INTERNAL_ERROR_EMULATION);
    expect(h.rp.internalCs).toBe(0x08);
    expect(h.rp.internalEip).toBe(0x1002);
    expect(Array.from(h.rp.internalBytes.subarray(0, 4))).toEqual([0x0f, 0x10, 0xc1, 0xf4]);
  });

  it("DIV by zero in real mode is delivered through the IVT with IP at the DIV", () => {
    const h = new CoreHarness();
    // Handler at 0:0x2000 records the return IP and skips the 2-byte DIV.
    h.load(0x2000, nasm("mov bp, sp\nmov ax, [bp]\nmov [0x600], ax\nadd word [bp], 2\niret", 16, 0x2000));
    h.load(0x1000, nasm("xor bx, bx\nmov ax, 7\ndiv bl\nmov cx, 0x77\nhlt", 16, 0x1000));
    new DataView(h.ram.buffer, h.ram.byteOffset).setUint32(0, 0x2000, true); // IVT[0] = 0000:2000
    h.real16(0x1000);
    const r = h.run();
    expect(r.reason).toBe(RP.EXIT_HLT);
    expect(view(h).getUint16(0x600, true)).toBe(0x1005); // xor bx,bx (2) + mov ax,7 (3)
    expect(h.gpr(ECX) & 0xffff).toBe(0x77);
  });
});
