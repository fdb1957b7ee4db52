// Assemble a snippet with nasm (-f bin) into a fresh temp folder: the one way tests build code.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Assemble `source`; returns the output file's path and bytes. */
export function assemble(source: string, name = "t"): { path: string; bytes: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), "tabvisor-nasm-"));
  const src = join(dir, `${name}.asm`);
  const bin = join(dir, `${name}.bin`);
  writeFileSync(src, source);
  execFileSync("nasm", ["-f", "bin", "-o", bin, src]);
  return { path: bin, bytes: readFileSync(bin) };
}
