// Compiles the AssemblyScript core (wasm/index.ts) into wasm/build/core.wasm.
// Flags per shared/PLATFORM.md: stub runtime, one imported shared memory, static data placed at
// CORE_DATA_BASE (wasm/layout.ts), no abort import.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// layout.ts is the one source of the memory map; read the two numbers the flags need from it.
const src = readFileSync(join(root, "wasm/layout.ts"), "utf8");
const CORE_DATA_BASE = Number(/CORE_DATA_BASE = (0x[0-9a-f]+)/i.exec(src)[1]);
const GUEST_BACKING_BASE = Number(/GUEST_BACKING_BASE = (0x[0-9a-f]+)/i.exec(src)[1]);

mkdirSync(join(root, "wasm/build"), { recursive: true });
const args = [
  "wasm/index.ts",
  "--outFile", "wasm/build/core.wasm",
  "--textFile", "wasm/build/core.wat",
  "--runtime", "stub",
  "--importMemory", "--sharedMemory",
  "--initialMemory", String(GUEST_BACKING_BASE / 65536),
  "--maximumMemory", "65536",
  "--memoryBase", String(CORE_DATA_BASE),
  "--enable", "threads", "--enable", "simd",
  "--use", "abort=", "--noExportMemory",
  "-O3", "--noAssert",
];
execFileSync(join(root, "node_modules/.bin/asc"), args, { cwd: root, stdio: "inherit" });
console.log("built wasm/build/core.wasm");
