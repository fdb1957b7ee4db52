// The default Linux guest (Debian bookworm's 686 kernel + a busybox initramfs) boots on tabvisor
// to a shell on the serial console, and answers commands. Bounded by an instruction budget; the
// waits are for guest output. This is the acceptance test for the CPU core.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createVM, ByteCollector, type Vm, type RunOutcome } from "../../src/node";
import { ensureLinuxGuest, KERNEL, INITRD, BUILD_TIMEOUT } from "./guest";

/** Generous: the interpreter reaches the prompt in a few billion instructions. */
const BUDGET = 20_000_000_000;
const PROMPT = "~ # ";

describe("Linux on tabvisor", () => {
  let vm: Vm;
  let ended: RunOutcome | null = null;
  const serial = new ByteCollector();

  async function until(what: string, cond: () => boolean): Promise<void> {
    // No wall-clock limit of our own: the instruction budget ends a run that goes nowhere.
    while (!cond()) {
      if (ended) throw new Error(`the VM stopped while waiting for ${what}: ${ended.message}\n--- serial ---\n${serial.text().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  /** Type a command line and return what the shell printed for it, up to the next prompt. */
  async function shell(line: string): Promise<string> {
    const mark = serial.text().length;
    vm.sendSerial(new TextEncoder().encode(line + "\r"));
    await until(`the output of '${line}'`, () => serial.text().slice(mark).includes(`\n${PROMPT}`));
    const out = serial.text().slice(mark);
    return out.slice(out.indexOf("\n") + 1, out.lastIndexOf(PROMPT)).replace(/\r/g, "");
  }

  beforeAll(async () => {
    ensureLinuxGuest();
    vm = await createVM({
      kernel: readFileSync(KERNEL),
      initrd: readFileSync(INITRD),
      cmdline: "console=ttyS0 quiet",
      memorySize: 128 << 20,
      serial,
      maxInstructions: BUDGET,
    });
    void vm.start().then((o) => (ended = o));
  }, BUILD_TIMEOUT);

  afterAll(async () => {
    await vm?.destroy();
  });

  it("boots to the busybox prompt on ttyS0", async () => {
    await until("init", () => serial.text().includes("tabvisor: init started"));
    await until("the prompt", () => serial.text().includes(PROMPT));
    console.log(`prompt after ${vm.stats().instructions} instructions`);
  }, 1_800_000);

  it("answers uname -m, arithmetic, and /proc/cpuinfo with the advertised identity", async () => {
    expect((await shell("uname -m")).trim()).toBe("i686");
    expect((await shell("echo $((6*7))")).trim()).toBe("42");
    const cpuinfo = await shell("cat /proc/cpuinfo | head -5");
    expect(cpuinfo).toMatch(/vendor_id\s*:\s*GenuineIntel/);
    expect(cpuinfo).toMatch(/cpu family\s*:\s*6/);
    expect(cpuinfo).toMatch(/model\s*:\s*3\b/);
  }, 600_000);
});
