// The programmatic API (createVM) under Node, driving the demo guest the page boots by default:
// the greeting arrives over COM1, typed bytes echo, exits are counted, pause/resume/reset work.
// Waits are for guest-visible output; the deadline is only a safety net.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createVM, ByteCollector, type Vm } from "../src/node";
import { rom } from "./helpers/rom";

const DEMO = new URL("../public/guests/demo.bin", import.meta.url);

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("createVM with the demo guest", () => {
  let vm: Vm;
  const serial = new ByteCollector();

  beforeAll(async () => {
    if (!existsSync(DEMO)) execFileSync(process.execPath, ["scripts/build-asm.mjs"], { stdio: "inherit" });
    vm = await createVM({ bios: readFileSync(DEMO), serial });
    void vm.start();
  });
  afterAll(async () => {
    await vm?.destroy();
  });

  it("greets over COM1, then sleeps in HLT rather than spinning", async () => {
    await until("the greeting", () => serial.text().includes("demo> "));
    expect(serial.text()).toContain("Hello from tabvisor!");
    await until("HLT", () => vm.stats().state === "halted");
    const a = vm.stats().instructions;
    await new Promise((r) => setTimeout(r, 50));
    expect(vm.stats().instructions).toBe(a); // idle: no instructions while halted
  });

  it("echoes typed bytes and answers Enter; every UART access is a counted exit", async () => {
    const before = vm.stats();
    vm.sendSerial(new TextEncoder().encode("abc\r"));
    await until("the status line", () => serial.text().includes("[lines: 1, bytes typed: 4]"));
    expect(serial.text()).toContain("demo> abc");
    const after = vm.stats();
    expect(after.exitsByReason.IO).toBeGreaterThan(before.exitsByReason.IO ?? 0);
    expect(after.exitsByPort.get(0x3fd)?.reads).toBeGreaterThan(0); // LSR polls
    expect(after.exitsByPort.get(0x3f8)?.writes).toBeGreaterThan(0); // THR
    expect(after.lastPostCode).toBe(4); // the demo writes its byte count to port 0x80
  });

  it("pause stops the vCPU, resume continues, reset reboots", async () => {
    await vm.pause();
    expect(vm.stats().state).toBe("paused");
    const n = serial.text().length;
    vm.sendSerial(new TextEncoder().encode("x"));
    await new Promise((r) => setTimeout(r, 50));
    expect(serial.text().length).toBe(n); // nothing runs while paused
    vm.resume();
    await until("the echo after resume", () => serial.text().endsWith("x"));
    await vm.reset();
    await until("a second greeting", () => serial.text().split("Hello from tabvisor!").length === 3);
  });
});

describe("stopping", () => {
  it("a stop request reaches a guest idle in HLT (it makes no exits), as Ctrl-A x in the CLI does", async () => {
    const serial = new ByteCollector();
    const vm = await createVM({ bios: readFileSync(DEMO), serial });
    const ended = vm.start();
    await until("the idle guest", () => serial.text().includes("demo> ") && vm.stats().state === "halted");
    vm.requestStop({ kind: "poweroff", status: 0, message: "stopped by the test" });
    expect(await ended).toMatchObject({ kind: "poweroff", message: "stopped by the test" });
    await vm.destroy();
  });
});

describe("createVM configuration errors", () => {
  it("rejects a ROM of the wrong size with a one-line message", async () => {
    await expect(createVM({ bios: new Uint8Array(4096), biosName: "tiny.bin" })).rejects.toThrow(
      "tiny.bin is 4096 bytes: a BIOS ROM must be 65536 or 131072 bytes",
    );
  });

  it("accepts a 128 KiB ROM, mapped so that the reset vector is its last 16 bytes", async () => {
    const r64 = rom("mov al, 9\nout 0xf4, al\nhlt");
    const r128 = new Uint8Array(0x20000);
    r128.set(r64, 0x10000); // upper half holds the code at F000:xxxx
    const vm = await createVM({ bios: r128 });
    const outcome = await vm.start();
    await vm.destroy();
    expect(outcome).toMatchObject({ kind: "debug-exit", status: 19 });
  });
});

describe("control plane: state and images", () => {
  it("get/set state round-trips registers, and a loaded image runs from the state it sets", async () => {
    const vm = await createVM({ bios: rom("cli\nhlt") });
    const s = await vm.getState();
    expect(s.regs.eip).toBe(0xfff0);
    expect(s.segments.cs).toMatchObject({ selector: 0xf000, base: 0xffff0000 });
    expect(s.cr0 & 1).toBe(0);
    // Load a program into RAM and point CS:IP at it: it writes 0x42 to the exit port.
    vm.writePhysical(0x7c00, Uint8Array.from([0xb0, 0x21, 0xe6, 0xf4, 0xf4])); // mov al,0x21; out 0xf4,al; hlt
    s.segments.cs = { ...s.segments.cs, selector: 0, base: 0 };
    s.regs.eip = 0x7c00;
    s.regs.ebx = 0x12345678;
    await vm.setState(s);
    const back = await vm.getState();
    expect(back.regs.ebx).toBe(0x12345678);
    expect(back.regs.eip).toBe(0x7c00);
    const outcome = await vm.start();
    expect(outcome).toMatchObject({ kind: "debug-exit", status: 0x43 });
    expect(Array.from(vm.readPhysical(0x7c00, 2))).toEqual([0xb0, 0x21]);
    await vm.destroy();
  });
});
