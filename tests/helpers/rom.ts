// Build small 64 KiB BIOS ROMs from a few lines of assembly, for CLI and API tests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A ROM whose reset vector jumps to `body` (16-bit code at F000:0000). Returns the file path. */
export function romFile(body: string, name = "rom"): string {
  const dir = mkdtempSync(join(tmpdir(), "tabvisor-rom-"));
  const src = join(dir, `${name}.asm`);
  const bin = join(dir, `${name}.bin`);
  writeFileSync(src, `bits 16\norg 0\nstart:\n${body}\ntimes 0xfff0-($-$$) db 0\njmp 0xf000:start\ntimes 0x10000-($-$$) db 0\n`);
  execFileSync("nasm", ["-f", "bin", "-o", bin, src]);
  return bin;
}

export function rom(body: string): Uint8Array {
  return readFileSync(romFile(body));
}
