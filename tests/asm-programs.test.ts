// The project's self-checking x86 programs (tests/asm/*.asm, built by scripts/build-asm.mjs):
// each runs on tabvisor through createVM and must print "PASS <name>" on the debug console and
// exit through isa-debug-exit with 0 (status 1). The same binaries run under QEMU (the reference
// CPU) must print exactly the same text, so a check that is wrong about x86 cannot pass.

import { describe, expect, it, beforeAll } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { createVM, ByteCollector } from "../src/node";

const ASM_DIR = new URL("./asm/", import.meta.url).pathname;
const BUILD_DIR = `${ASM_DIR}build/`;
const programs = readdirSync(ASM_DIR).filter((f) => f.endsWith(".asm")).map((f) => f.slice(0, -4)).sort();
const BUDGET = 20_000_000;

beforeAll(() => {
  // Incremental: rebuilds what is older than its source or any include.
  execFileSync(process.execPath, ["scripts/build-asm.mjs"], { stdio: "inherit" });
});

describe("self-checking programs on tabvisor", () => {
  it("there are programs for real mode and protected mode", () => {
    expect(programs.some((p) => p.startsWith("real-"))).toBe(true);
    expect(programs.some((p) => p.startsWith("pm-"))).toBe(true);
  });

  for (const name of programs) {
    it(name, async () => {
      const out = new ByteCollector();
      const vm = await createVM({ bios: readFileSync(`${BUILD_DIR}${name}.bin`), debugcon: out, maxInstructions: BUDGET });
      const outcome = await vm.start();
      await vm.destroy();
      expect(out.text(), outcome.message).toMatch(new RegExp(`^PASS ${name}\\b`, "m"));
      expect(out.text()).not.toMatch(/FAIL/);
      expect(outcome).toMatchObject({ kind: "debug-exit", status: 1 });
    });
  }
});

describe("the same programs under QEMU (reference)", () => {
  for (const name of programs) {
    it(`${name} prints the same under qemu-system-i386`, async () => {
      const q = spawnSync(
        "qemu-system-i386",
        ["-nodefaults", "-display", "none", "-m", "16", "-bios", `${BUILD_DIR}${name}.bin`, "-debugcon", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
        { encoding: "latin1", timeout: 60_000 },
      );
      expect(q.error, "qemu-system-i386 must be installed (apt-get install qemu-system-x86)").toBeUndefined();
      const out = new ByteCollector();
      const vm = await createVM({ bios: readFileSync(`${BUILD_DIR}${name}.bin`), debugcon: out, maxInstructions: BUDGET });
      await vm.start();
      await vm.destroy();
      expect(q.status).toBe(1);
      expect(out.text()).toBe(q.stdout);
    });
  }
});
