// Runs the differential cases under qemu-system-i386 (TCG): the same 32-bit guest loop as on
// tabvisor, started from a small BIOS ROM that enters flat protected mode; the case records and
// the loop are put in RAM with QEMU's generic loader, and the results come back through the debug
// console (port 0xE9, raw bytes) when the loop's done-hook dumps them. Used by qemu-undefined.ts.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CASES, Case, OUTREC, Out, RESULTS, decodeResults, guestCases, guestLowMemory } from "./native";

const ROM = `
bits 16
org 0
start16:
  cli
  in al, 0x92                  ; A20 on (the cases live above 1 MiB)
  or al, 2
  and al, 0xfe
  out 0x92, al
  o32 lgdt [cs:gdtr]
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp dword 0x08:0xf0000 + pm32
bits 32
pm32:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov fs, ax
  mov gs, ax
  mov esp, 0x80000
  mov dword [0x718], 0xf0000 + dump
  mov eax, 0x1000
  jmp eax
dump:
  cld
  mov esi, ${RESULTS}
  mov ecx, [0x708]
  sub ecx, esi
  mov dx, 0xe9
  rep outsb
  mov dx, 0xf4
  xor eax, eax
  out dx, al
  cli
  hlt
align 8
gdt: dq 0, 0x00cf9b000000ffff, 0x00cf93000000ffff
gdtr: dw 23
  dd 0xf0000 + gdt
times 0xfff0 - ($ - $$) db 0
bits 16
  jmp 0xf000:start16
times 0x10000 - ($ - $$) db 0
`;

export function qemuAvailable(): boolean {
  return spawnSync("qemu-system-i386", ["--version"]).status === 0;
}

export function qemuVersion(): string {
  return execFileSync("qemu-system-i386", ["--version"]).toString().split("\n")[0];
}

export function runQemu(cases: Case[]): Out[] {
  const dir = mkdtempSync(join(tmpdir(), "tabvisor-diff-qemu-"));
  writeFileSync(join(dir, "rom.asm"), ROM);
  execFileSync("nasm", ["-f", "bin", "-o", join(dir, "rom.bin"), join(dir, "rom.asm")]);
  writeFileSync(join(dir, "low.bin"), guestLowMemory(cases.length));
  writeFileSync(join(dir, "cases.bin"), guestCases(cases));
  const q = spawnSync("qemu-system-i386", [
    "-nodefaults", "-display", "none", "-m", "64", "-bios", join(dir, "rom.bin"),
    "-device", `loader,file=${join(dir, "low.bin")},addr=0x0,force-raw=on`,
    "-device", `loader,file=${join(dir, "cases.bin")},addr=${CASES},force-raw=on`,
    "-debugcon", `file:${join(dir, "out.bin")}`,
    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", ...(process.env.QEMU_LOG ? ["-d", "int,cpu_reset,in_asm", "-D", process.env.QEMU_LOG] : []),
  ], { timeout: Number(process.env.QEMU_TIMEOUT ?? 300_000) });
  const out = q.status === 1 ? readFileSync(join(dir, "out.bin")) : null;
  rmSync(dir, { recursive: true, force: true });
  if (!out) throw new Error(`qemu exited with ${q.status} ${q.signal ?? ""} ${q.error ?? ""}: ${q.stderr}`);
  if (out.length !== cases.length * OUTREC) throw new Error(`qemu returned ${out.length} bytes for ${cases.length} cases`);
  return decodeResults(out, cases.length);
}
