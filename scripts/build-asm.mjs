// Assembles the x86 guest programs with nasm:
//   tests/asm/*.asm   -> tests/asm/build/<name>.bin (+ <name>.lst listing; 64 KiB BIOS ROM images)
//   src/guests/*.asm  -> public/guests/<name>.bin   (if src/guests exists)
// A file is skipped when its output is newer than the source and every include (*.inc) in the
// include folders. `--force` rebuilds everything. Prints one line per file built.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, relative } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const force = process.argv.includes("--force");
const ROM_SIZE = 65536;

const probe = spawnSync("nasm", ["-v"], { encoding: "utf8" });
if (probe.error || probe.status !== 0) {
  console.log("nasm not found: install it with 'apt-get install -y nasm'");
  process.exit(1);
}

const listAsm = (dir, ext) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => join(dir, f)) : [];
const mtime = (file) => statSync(file).mtimeMs;

const testInclude = join(root, "tests/asm/include");
const guestSrc = join(root, "src/guests");
const sets = [
  {
    srcDir: join(root, "tests/asm"),
    outDir: join(root, "tests/asm/build"),
    includeDirs: [testInclude],
    listing: true,
    romSize: ROM_SIZE,
  },
  {
    srcDir: guestSrc,
    outDir: join(root, "public/guests"),
    includeDirs: [guestSrc, testInclude],
    listing: false,
    romSize: 0,
  },
];

let built = 0;
let upToDate = 0;
for (const set of sets) {
  const sources = listAsm(set.srcDir, ".asm");
  if (sources.length === 0) continue;
  const includes = set.includeDirs.flatMap((d) => listAsm(d, ".inc"));
  const newestInclude = Math.max(0, ...includes.map(mtime));
  mkdirSync(set.outDir, { recursive: true });
  for (const src of sources) {
    const name = src.slice(set.srcDir.length + 1, -".asm".length);
    const out = join(set.outDir, `${name}.bin`);
    if (!force && existsSync(out) && mtime(out) > Math.max(mtime(src), newestInclude)) {
      upToDate++;
      continue;
    }
    const args = ["-f", "bin"];
    // nasm wants include paths to end with a separator
    for (const dir of set.includeDirs) args.push("-I", `${relative(root, dir)}/`);
    if (set.listing) args.push("-l", relative(root, join(set.outDir, `${name}.lst`)));
    args.push("-o", relative(root, out), relative(root, src));
    const r = spawnSync("nasm", args, { cwd: root, stdio: "inherit" });
    if (r.status !== 0) {
      console.error(`nasm failed on ${relative(root, src)}`);
      process.exit(1);
    }
    const size = statSync(out).size;
    if (set.romSize && size !== set.romSize) {
      console.error(`${relative(root, out)} is ${size} bytes; a test ROM must be exactly ${set.romSize}`);
      process.exit(1);
    }
    console.log(`built ${relative(root, out)} (${size} bytes)`);
    built++;
  }
}
if (built === 0) console.log(`asm: ${upToDate} output(s) up to date`);
