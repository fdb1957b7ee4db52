// Build small 64 KiB BIOS ROMs from a few lines of assembly, for CLI and API tests.
import { assemble } from "./nasm";

/** ROM source: `body` (16-bit code at F000:0000) and a reset vector that jumps to it. */
const romSource = (body: string) =>
  `bits 16\norg 0\nstart:\n${body}\ntimes 0xfff0-($-$$) db 0\njmp 0xf000:start\ntimes 0x10000-($-$$) db 0\n`;

/** Assemble a ROM; returns the file path. */
export function romFile(body: string, name = "rom"): string {
  return assemble(romSource(body), name).path;
}

/** Assemble a ROM; returns its bytes. */
export function rom(body: string): Uint8Array {
  return assemble(romSource(body)).bytes;
}
