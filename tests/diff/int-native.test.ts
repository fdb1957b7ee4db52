// Differential tests of the integer instruction set: every case runs on this host's CPU (natively,
// 64-bit mode, 8/16/32-bit operands: tests/diff/ref.c, built in beforeAll) and on tabvisor (a
// 32-bit guest loop on the in-process core), and the results are compared: all seven general
// registers, the flags the SDM defines, the memory slot and whether the instruction faulted.
// Flags (and a few results) the SDM leaves undefined are not compared; what each side does with
// them is tallied per category and printed as a table at the end (see docs/cpu-flags.md).
// Operands: edge values crossed with each other plus pseudo-random values from fixed seeds; the
// other registers hold random garbage, so clobbered registers and upper bits show up.
// Skipped when the host is not x86-64 or gcc is missing.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble, buildRef, differential, removeRef } from "./native";
import { families, setOps, snippets, undef } from "./cases";

const ref = buildRef();
const counts: [string, number][] = [];

// ---- Running -------------------------------------------------------------------------------------------

describe.skipIf(ref === null)("integer instructions: tabvisor vs the host CPU", () => {
  beforeAll(() => {
    setOps(assemble(snippets));
  });

  afterAll(() => {
    removeRef(ref);
    const total = counts.reduce((s, [, n]) => s + n, 0);
    console.log(`integer differential cases: ${counts.map(([n, c]) => `${n}: ${c}`).join(", ")}; total ${total}\n` +
      `undefined flags and results (host CPU vs tabvisor; a rule listed when it explains every case):\n${undef.format()}`);
  });

  for (const f of families) {
    it(f.name, () => {
      const cases = f.cases();
      const r = differential(ref!, cases, undef);
      counts.push([f.name, r.cases]);
      expect(r.cases).toBeGreaterThan(500);
      expect(r.mismatches.join("\n\n"), `${r.mismatches.length} mismatches`).toBe("");
      if (f.expectNative) expect(f.expectNative(cases, r.native)).toBeNull();
    });
  }
});
