// The `tabvisor` command as a user runs it: output, exit statuses, one-line errors.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { writeFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { romFile } from "./helpers/rom";
import { ensureLinuxGuest, KERNEL } from "./boot/guest";

const BIN = new URL("../bin/tabvisor.mjs", import.meta.url).pathname;

function tabvisor(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000, input: "" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const HELLO = romFile(`
  mov ax, cs
  mov ds, ax
  mov si, msg
.l: lodsb
  test al, al
  jz .done
  out 0xe9, al
  jmp .l
.done:
  mov al, 0x42
  out 0x80, al
  mov al, 0x7e
  mov dx, 0x190
  out dx, al
  mov al, 3
  out 0xf4, al
  cli
  hlt
msg: db "hello, debugcon", 10, 0`, "hello");

describe("tabvisor CLI", () => {
  it("runs a ROM headless: debugcon to stdout, status from isa-debug-exit, POST code in the report", () => {
    const r = tabvisor("-bios", HELLO, "-debugcon", "stdio", "-postcode-port", "0x190");
    expect(r.stdout).toBe("hello, debugcon\n");
    expect(r.status).toBe((3 << 1) | 1);
    expect(r.stderr).toMatch(/debug-exit port: status 7 after \d+ instructions; last POST code 0x7E/);
  });

  it("serial output goes to a file with -serial file:PATH", () => {
    const out = join(mkdtempSync(join(tmpdir(), "tabvisor-")), "com1.txt");
    const rom = romFile(`
      mov dx, 0x3f8
      mov al, 'O'
      out dx, al
      mov al, 'K'
      out dx, al
      mov al, 0
      out 0xf4, al
      hlt`);
    const r = tabvisor("-bios", rom, "-serial", `file:${out}`);
    expect(r.status).toBe(1);
    expect(readFileSync(out, "utf8")).toBe("OK");
  });

  it("an unimplemented instruction stops with CS:EIP and the bytes, status 6", () => {
    const rom = romFile("nop\nnop\nmovups xmm0, xmm1\nhlt"); // SSE: not implemented
    const r = tabvisor("-bios", rom);
    expect(r.status).toBe(6);
    expect(r.stderr).toMatch(/unimplemented instruction at F000:00000002: 0F 10 C1 F4/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a triple fault is reported as SHUTDOWN with CS:EIP, status 4", () => {
    // An IVT limit of 0 makes INT 0x20 fault, the #GP fault, and the #DF fault: shutdown.
    const rom = romFile(`
      lidt [cs:idt]
      int 0x20
      hlt
      idt: dw 0
           dd 0`);
    const r = tabvisor("-bios", rom);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/triple fault \(SHUTDOWN\) at F000:0000/);
  });

  it("the instruction budget ends a guest that never stops, status 8", () => {
    const rom = romFile("spin: inc ax\njmp spin");
    const r = tabvisor("-bios", rom, "-max-instructions", "100000");
    expect(r.status).toBe(8);
    expect(r.stderr).toMatch(/instruction budget of 100000 exhausted at F000:.* after 100000 instructions/);
  });

  it("HLT with interrupts disabled ends the run instead of hanging, status 10", () => {
    const rom = romFile("cli\nhlt");
    const r = tabvisor("-bios", rom);
    expect(r.status).toBe(10);
    expect(r.stderr).toMatch(/halted with interrupts disabled at F000:00000002/);
  });

  it("Linux boot inputs: not a bzImage, an initrd that does not fit, -m too small", () => {
    ensureLinuxGuest();
    const dir = mkdtempSync(join(tmpdir(), "tabvisor-"));
    const big = join(dir, "big-initrd.img");
    writeFileSync(big, new Uint8Array(200 << 20));
    const cases: [string[], RegExp][] = [
      [["-kernel", HELLO], /kernel '.*hello.bin' is not a Linux bzImage/],
      [["-kernel", KERNEL, "-initrd", big, "-m", "128M"], /initrd '.*big-initrd.img' \(200 MiB\) does not fit/],
      [["-kernel", KERNEL, "-m", "16M"], /kernel '.*bzImage' needs \d+ MiB of RAM, the VM has 16 MiB/],
      [["-kernel", join(dir, "nope")], /cannot read kernel '.*nope': no such file/],
    ];
    for (const [args, msg] of cases) {
      const r = tabvisor(...args);
      expect(r.stderr, args.join(" ")).toMatch(msg);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });

  it("bad input: one line naming the problem, status 2, no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "tabvisor-"));
    const small = join(dir, "small.bin");
    writeFileSync(small, new Uint8Array(1000));
    const cases: [string[], RegExp][] = [
      [["-bios", join(dir, "missing.bin")], /cannot read BIOS image '.*missing.bin': no such file/],
      [["-bios", small], /BIOS image '.*small.bin' is 1000 bytes: a BIOS ROM must be 65536 or 131072 bytes/],
      [["-bios", HELLO, "-bogus"], /unknown option '-bogus'/],
      [["-bios", HELLO, "-m", "0"], /memory size 0 bytes: must be a whole number of MiB, at least 1 MiB/],
      [["-bios", HELLO, "-postcode-port", "0x3f8"], /POST code port 0x3F8: already used by COM1/],
      [[], /no guest to run/],
    ];
    for (const [args, msg] of cases) {
      const r = tabvisor(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(msg);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });
});
