// Not a test: a tool for docs/cpu-flags.md. Runs every case of the integer differential tests on
// the host CPU, on tabvisor and under qemu-system-i386 (TCG), and prints the undefined-flag table
// with all three, plus how often QEMU differs from the host in *defined* state (a sanity check of
// the harness: it should be zero or a known QEMU bug).
//
//   npx tsx tests/diff/qemu-undefined.ts [--md]

import { readFileSync } from "node:fs";
import { Case, assemble, buildRef, compareOne, runGuest, runNative } from "./native";
import { families, setOps, snippets, undef } from "./cases";
import { qemuAvailable, qemuVersion, runQemu } from "./qemu";

const ref = buildRef();
if (!ref) throw new Error("needs an x86-64 host with gcc");
if (!qemuAvailable()) throw new Error("needs qemu-system-i386");
setOps(assemble(snippets));
undef.reset(["host CPU", "tabvisor", "QEMU"]);

const cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "?";
console.log(`host: ${cpu}; ${qemuVersion()}`);
for (const f of families) {
  let cases = f.cases();
  // QEMU 7.2 itself dies of SIGFPE on 16- and 32-bit IDIV of the most negative dividend by -1
  // (its helpers do that division on the host); those cases are left out of the QEMU run.
  const crashesQemu = (c: Case) =>
    (c.op.asm === "idiv ebx" && c.regs[2] === 0x80000000 && c.regs[0] === 0 && c.regs[3] === 0xffffffff) ||
    (c.op.asm === "idiv bx" && (c.regs[2] & 0xffff) === 0x8000 && (c.regs[0] & 0xffff) === 0 && (c.regs[3] & 0xffff) === 0xffff);
  const skipped = cases.filter(crashesQemu).length;
  if (skipped) console.log(`  (${skipped} cases left out of the QEMU run: IDIV of the most negative dividend by -1 crashes QEMU 7.2)`);
  cases = cases.filter((c) => !crashesQemu(c));
  const n = runNative(ref, cases), g = runGuest(cases), q = runQemu(cases);
  let tv = 0, qm = 0;
  const qemuDiffs: string[] = [];
  cases.forEach((c, i) => {
    if (compareOne(c, n[i], g[i])) tv++;
    const m = compareOne(c, n[i], q[i]);
    if (m) { qm++; if (qemuDiffs.length < 3) qemuDiffs.push(m.replace(/tabvisor/g, "QEMU")); }
    if (c.cat && !n[i].fault && !g[i].fault && !q[i].fault) undef.add(c, [n[i], g[i], q[i]]);
  });
  console.log(`${f.name}: ${cases.length} cases; defined state differs from the host: tabvisor ${tv}, QEMU ${qm}`);
  for (const d of qemuDiffs) console.log("  " + d.replace(/\n/g, "\n  "));
}
if (process.argv.includes("--md")) {
  console.log("\n| category | flag | host CPU | tabvisor | QEMU |\n|---|---|---|---|---|");
  for (const r of undef.rows()) console.log(`| ${r.what} | ${r.item} | ${r.rules[0]} | ${r.rules[1]} (${r.same[1]}) | ${r.rules[2]} (${r.same[2]}) |`);
} else {
  console.log(undef.format());
}
