// The in-worker 8259A pair and 8254 PIT: programmed by guest code, driven by host IRQ lines,
// delivering interrupts through the real-mode IVT. No exits are involved (ports are in-worker).

import { describe, expect, it } from "vitest";
import { CoreHarness, nasm, EAX, EBX, ECX, EDX } from "./harness";
import { RP } from "../../src/shared/run-page";
import { IRQ_LINES_BASE, IRQ_CHANGE_SEQ_INDEX, IRQ_EDGE_COUNT_INDEX } from "../../wasm/layout";

/** Standard PC PIC init (vectors 0x08 and 0x70), then the given masks. */
const PIC_INIT = (masterMask: number, slaveMask: number) => `
  mov al, 0x11
  out 0x20, al
  out 0xa0, al
  mov al, 0x08
  out 0x21, al
  mov al, 0x70
  out 0xa1, al
  mov al, 4
  out 0x21, al
  mov al, 2
  out 0xa1, al
  mov al, 1
  out 0x21, al
  out 0xa1, al
  mov al, ${masterMask}
  out 0x21, al
  mov al, ${slaveMask}
  out 0xa1, al`;

/** Host side of an IRQ line, as src/vmm/vm.ts drives it. */
function setLine(h: CoreHarness, irq: number, level: boolean): void {
  const lines = new Int32Array(h.memory.buffer, IRQ_LINES_BASE, IRQ_EDGE_COUNT_INDEX + 16);
  if (Atomics.exchange(lines, irq, level ? 1 : 0) === (level ? 1 : 0)) return;
  if (level) Atomics.add(lines, IRQ_EDGE_COUNT_INDEX + irq, 1);
  Atomics.add(lines, IRQ_CHANGE_SEQ_INDEX, 1);
}

/** A handler at 0:0x3000+n*0x20 that counts into [0x600+2n], sends EOI(s) and returns. */
function installHandler(h: CoreHarness, vector: number, n: number, slave = false): void {
  const at = 0x3000 + n * 0x20;
  const code = nasm(`inc word [0x600+${2 * n}]\npush ax\nmov al, 0x20\n${slave ? "out 0xa0, al\n" : ""}out 0x20, al\npop ax\niret`, 16, at);
  h.load(at, code);
  new DataView(h.ram.buffer, h.ram.byteOffset).setUint32(vector * 4, at, true);
}
const counter = (h: CoreHarness, n: number) => new DataView(h.ram.buffer, h.ram.byteOffset).getUint16(0x600 + 2 * n, true);

describe("8259A PIC", () => {
  it("delivers an unmasked host IRQ through the IVT at the programmed vector, and EOI re-arms it", () => {
    const h = new CoreHarness();
    installHandler(h, 0x0c, 0); // IRQ 4
    h.load(0x1000, nasm(`${PIC_INIT(0xef, 0xff)}\nsti\nspin: inc ebx\ncmp word [0x600], 2\njb spin\nhlt`, 16, 0x1000));
    h.real16(0x1000);
    let r = h.run(2000);
    expect(r.reason).toBe(RP.EXIT_NONE); // spinning: slice used up, no interrupt yet
    setLine(h, 4, true);
    r = h.run(2000);
    expect(counter(h, 0)).toBe(1);
    setLine(h, 4, false); // edge-triggered: a new rising edge is needed; this pulse is shorter
    setLine(h, 4, true); // than the PIC's sampling, and the host's edge counter still shows it
    r = h.run(20000);
    expect(counter(h, 0)).toBe(2);
    expect(r.reason).toBe(RP.EXIT_HALT_SLEEP); // HLT with IF=1 sleeps in the worker, no exit to the host
  });

  it("an IRQ latched while IF=0 wakes the STI;HLT that follows instead of being slept through", () => {
    // The race the demo guest hit: the line rises while the host answers an IN exit (IF=0);
    // the PIC latches it on resume; then STI;HLT must take it, not sleep on an old line change.
    const h = new CoreHarness();
    installHandler(h, 0x0c, 0); // IRQ 4
    h.load(0x1000, nasm(`${PIC_INIT(0xef, 0xff)}\ncli\nin al, 0x78\nsti\nhlt\ncli\nhlt`, 16, 0x1000));
    h.real16(0x1000);
    h.onIn = () => setLine(h, 4, true);
    const r = h.run(1000);
    expect(r.reason).toBe(RP.EXIT_HLT); // the final CLI;HLT, not a sleep
    expect(counter(h, 0)).toBe(1);
  });

  it("a masked IRQ is held in IRR until unmasked", () => {
    const h = new CoreHarness();
    installHandler(h, 0x0b, 0); // IRQ 3
    h.load(0x1000, nasm(`${PIC_INIT(0xff, 0xff)}\nsti\nmov cx, 200\nw: loop w\nmov al, 0x0a\nout 0x20, al\nin al, 0x20\nmov bl, al\nmov al, 0xf7\nout 0x21, al\nnop\nnop\ncli\nhlt`, 16, 0x1000));
    h.real16(0x1000);
    h.run(40); // into the wait loop, PIC programmed
    setLine(h, 3, true);
    const r = h.run(5000);
    expect(r.reason).toBe(RP.EXIT_HLT);
    expect(h.gpr(EBX) & 0xff).toBe(0x08); // IRR bit 3 set while masked (OCW3 read IRR)
    expect(counter(h, 0)).toBe(1); // delivered after unmasking
  });

  it("slave IRQs cascade through master IR2 to vectors 0x70+", () => {
    const h = new CoreHarness();
    installHandler(h, 0x74, 0, true); // IRQ 12
    h.load(0x1000, nasm(`${PIC_INIT(0xfb, 0xef)}\nsti\nspin: cmp word [0x600], 1\njb spin\ncli\nhlt`, 16, 0x1000));
    h.real16(0x1000);
    h.run(100);
    setLine(h, 12, true);
    const r = h.run(5000);
    expect(r.reason).toBe(RP.EXIT_HLT);
    expect(counter(h, 0)).toBe(1);
  });

  it("level-triggered inputs (ELCR) re-request while the line stays high", () => {
    const h = new CoreHarness();
    installHandler(h, 0x72, 0, true); // IRQ 10, level via ELCR bit 2 of 0x4D1
    h.load(0x1000, nasm(`mov dx, 0x4d1\nmov al, 0x04\nout dx, al\n${PIC_INIT(0xfb, 0xfb)}\nsti\nspin: cmp word [0x600], 3\njb spin\ncli\nhlt`, 16, 0x1000));
    h.real16(0x1000);
    h.run(40);
    setLine(h, 10, true); // held high: after each EOI the request is there again (a storm)
    expect(h.run(500).reason).toBe(RP.EXIT_NONE);
    const during = counter(h, 0);
    expect(during).toBeGreaterThan(10);
    setLine(h, 10, false); // the device deasserts: the storm stops and the main loop finishes
    expect(h.run(500).reason).toBe(RP.EXIT_HLT);
    expect(counter(h, 0) - during).toBeLessThanOrEqual(1);
  });
});

describe("8254 PIT", () => {
  it("channel 0 in mode 2 interrupts periodically on IRQ 0", () => {
    const h = new CoreHarness();
    installHandler(h, 0x08, 0);
    // Count 1193 ≈ 1 ms. Wait in HLT for 3 ticks.
    h.load(0x1000, nasm(`${PIC_INIT(0xfe, 0xff)}\nmov al, 0x34\nout 0x43, al\nmov al, 0xa9\nout 0x40, al\nmov al, 0x04\nout 0x40, al\nsti\nw: hlt\ncmp word [0x600], 3\njb w\ncli\nhlt`, 16, 0x1000));
    h.real16(0x1000);
    let reason = 0;
    const t0 = performance.now();
    for (let i = 0; i < 100 && reason !== RP.EXIT_HLT; i++) {
      reason = h.run(100000).reason;
      if (reason === RP.EXIT_HALT_SLEEP) {
        const deadline = h.core.nextDeadline();
        expect(deadline).toBeLessThan(Infinity); // a sleeping vCPU knows when the PIT fires
        const wait = Math.max(0, deadline / 1e6 - (performance.timeOrigin + performance.now()));
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait); // sleep like the worker
      }
    }
    expect(reason).toBe(RP.EXIT_HLT);
    expect(counter(h, 0)).toBe(3);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2); // ≥ 2 full periods of ~1 ms passed
  });

  it("a latched count reads back LSB then MSB and decreases", () => {
    const h = new CoreHarness();
    h.load(0x1000, nasm(`mov al, 0x34\nout 0x43, al\nxor al, al\nout 0x40, al\nmov al, 0x80\nout 0x40, al
      mov al, 0x00\nout 0x43, al\nin al, 0x40\nmov bl, al\nin al, 0x40\nmov bh, al
      mov cx, 3000\nw: loop w
      mov al, 0x00\nout 0x43, al\nin al, 0x40\nmov dl, al\nin al, 0x40\nmov dh, al\ncli\nhlt`, 16, 0x1000));
    h.real16(0x1000);
    expect(h.run(100000).reason).toBe(RP.EXIT_HLT);
    const first = h.gpr(EBX) & 0xffff;
    const second = h.gpr(EDX) & 0xffff;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(0x8000);
    expect(second).toBeLessThanOrEqual(first); // counting down from 0x8000 (27 ms per period)
  });

  it("port 0x61: channel 2 mode 0 OUT goes high after the count, gated by bit 0", () => {
    const h = new CoreHarness();
    // Gate off, program ch2 mode 0 with 100 ticks (~84 µs), gate on, poll bit 5.
    h.load(0x1000, nasm(`in al, 0x61\nand al, 0xfc\nout 0x61, al
      mov al, 0xb0\nout 0x43, al\nmov al, 100\nout 0x42, al\nxor al, al\nout 0x42, al
      mov ecx, 20000\nhold: loop hold      ; however long the gate is held low, the count waits
      in al, 0x61\nmov bl, al
      in al, 0x61\nor al, 1\nout 0x61, al
      xor ecx, ecx
      poll: inc ecx\nin al, 0x61\ntest al, 0x20\njz poll
      cli\nhlt`, 16, 0x1000));
    h.real16(0x1000);
    expect(h.run(50_000_000).reason).toBe(RP.EXIT_HLT);
    expect(h.gpr(EBX) & 0x20).toBe(0); // OUT still low: the gate held the count
    expect(h.gpr(ECX)).toBeGreaterThanOrEqual(1); // polled until OUT rose
    expect(h.gpr(EAX) & 0x21).toBe(0x21); // gate on, OUT high
  });
});
