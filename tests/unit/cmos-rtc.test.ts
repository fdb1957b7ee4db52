import { describe, expect, it } from "vitest";
import type { IrqLine } from "../../src/vmm/device";
import { CmosRtc, type Clock } from "../../src/devices/cmos-rtc";

// Register indexes and bits, spelled out here so the tests do not trust the device's constants.
const SEC = 0x00, SEC_ALARM = 0x01, MIN = 0x02, MIN_ALARM = 0x03, HOUR = 0x04, HOUR_ALARM = 0x05;
const WDAY = 0x06, MDAY = 0x07, MONTH = 0x08, YEAR = 0x09, A = 0x0a, B = 0x0b, C = 0x0c, D = 0x0d;
const CENTURY = 0x32;
const UIP = 0x80, SET = 0x80, PIE = 0x40, AIE = 0x20, UIE = 0x10, DM_BINARY = 0x04, H24 = 0x02;

class FakeClock implements Clock {
  constructor(public t: number) {}
  nowMs(): number {
    return this.t;
  }
}

class RecordingIrq implements IrqLine {
  level = false;
  history: boolean[] = [];
  set(level: boolean): void {
    this.level = level;
    this.history.push(level);
  }
}

/** 2024-03-05T13:07:09.000Z, a Tuesday. */
const T0 = Date.UTC(2024, 2, 5, 13, 7, 9);

function make(t = T0, memorySize = 16 * 1024 * 1024) {
  const clock = new FakeClock(t);
  const irq = new RecordingIrq();
  const rtc = new CmosRtc({ clock, irq, memorySize });
  const rd = (index: number) => {
    rtc.write(0, 1, index);
    return rtc.read(1, 1);
  };
  const wr = (index: number, v: number) => {
    rtc.write(0, 1, index);
    rtc.write(1, 1, v);
  };
  const time = () => [YEAR, MONTH, MDAY, HOUR, MIN, SEC].map(rd);
  return { rtc, clock, irq, rd, wr, time };
}

describe("CmosRtc", () => {
  it("has a name, defaulting to cmos-rtc", () => {
    expect(make().rtc.name).toBe("cmos-rtc");
    const named = new CmosRtc({ name: "rtc", clock: new FakeClock(0), irq: new RecordingIrq(), memorySize: 0 });
    expect(named.name).toBe("rtc");
  });

  it("reports the clock's UTC time in BCD, 24-hour by default", () => {
    const { rd } = make();
    expect(rd(B)).toBe(0x02);
    expect([SEC, MIN, HOUR, WDAY, MDAY, MONTH, YEAR, CENTURY].map(rd)).toEqual([
      0x09, 0x07, 0x13, 0x03, 0x05, 0x03, 0x24, 0x20,
    ]);
  });

  it("binary mode (register B DM) reports the same time in binary", () => {
    const { rd, wr } = make();
    wr(B, DM_BINARY | H24);
    expect([SEC, MIN, HOUR, WDAY, MDAY, MONTH, YEAR, CENTURY].map(rd)).toEqual([9, 7, 13, 3, 5, 3, 24, 20]);
  });

  it("advances with the clock, across a year and century boundary", () => {
    const { rd, clock, time } = make(Date.UTC(2099, 11, 31, 23, 59, 59, 500));
    expect(time()).toEqual([0x99, 0x12, 0x31, 0x23, 0x59, 0x59]);
    clock.t += 499;
    expect(rd(SEC)).toBe(0x59);
    clock.t += 1;
    expect(time()).toEqual([0x00, 0x01, 0x01, 0x00, 0x00, 0x00]);
    expect(rd(CENTURY)).toBe(0x21);
  });

  it("12-hour mode: 12 AM, 12 PM and the PM bit, in BCD and binary", () => {
    const cases: [number, number, number][] = [
      // hour (UTC), BCD byte, binary byte
      [0, 0x12, 0x0c], // midnight is 12 AM
      [1, 0x01, 0x01],
      [11, 0x11, 0x0b],
      [12, 0x92, 0x8c], // noon is 12 PM
      [13, 0x81, 0x81],
      [23, 0x91, 0x8b],
    ];
    for (const [hour, bcd, bin] of cases) {
      const { rd, wr } = make(Date.UTC(2024, 0, 1, hour, 30, 0));
      wr(B, 0x00);
      expect(rd(HOUR), `BCD ${hour}:30`).toBe(bcd);
      wr(B, DM_BINARY);
      expect(rd(HOUR), `binary ${hour}:30`).toBe(bin);
    }
  });

  it("12-hour writes: 12 AM is hour 0 and 12 PM is hour 12", () => {
    const { rd, wr } = make();
    wr(B, SET); // 12-hour BCD, stopped
    wr(HOUR, 0x12); // 12 AM
    wr(B, 0x00);
    wr(B, H24);
    expect(rd(HOUR)).toBe(0x00);
    wr(B, SET);
    wr(HOUR, 0x92); // 12 PM
    wr(B, 0x00);
    wr(B, H24);
    expect(rd(HOUR)).toBe(0x12);
    wr(B, SET);
    wr(HOUR, 0x87); // 7 PM
    wr(B, 0x00);
    wr(B, H24);
    expect(rd(HOUR)).toBe(0x19);
  });

  it("SET stops the clock; the written time takes effect when SET is cleared", () => {
    const { rd, wr, clock, time } = make();
    wr(B, SET | H24);
    clock.t += 5000;
    expect(rd(SEC)).toBe(0x09); // frozen
    wr(CENTURY, 0x19);
    wr(YEAR, 0x99);
    wr(MONTH, 0x12);
    wr(MDAY, 0x31);
    wr(HOUR, 0x23);
    wr(MIN, 0x59);
    wr(SEC, 0x58);
    clock.t += 3000;
    expect(time()).toEqual([0x99, 0x12, 0x31, 0x23, 0x59, 0x58]); // still frozen, reads what was written
    wr(B, H24);
    expect(time()).toEqual([0x99, 0x12, 0x31, 0x23, 0x59, 0x58]);
    clock.t += 2000;
    expect(time()).toEqual([0x00, 0x01, 0x01, 0x00, 0x00, 0x00]);
    expect(rd(CENTURY)).toBe(0x20);
  });

  it("SET keeps the divider phase: the next update comes at the old second boundary", () => {
    const { rd, wr, clock } = make(T0 + 300);
    wr(B, SET | H24);
    wr(SEC, 0x30);
    clock.t += 200; // phase now .500
    wr(B, H24);
    expect(rd(SEC)).toBe(0x30);
    clock.t += 499;
    expect(rd(SEC)).toBe(0x30);
    clock.t += 1;
    expect(rd(SEC)).toBe(0x31);
  });

  it("setting SET clears UIE", () => {
    const { rd, wr } = make();
    wr(B, UIE | H24);
    wr(B, SET | UIE | H24);
    expect(rd(B)).toBe(SET | H24);
  });

  it("Linux's set-time sequence (SET, divider reset, write, restore): first update 500 ms later", () => {
    const { rd, wr, clock, time } = make(T0 + 250);
    const control = rd(B);
    wr(B, control | SET);
    const freq = rd(A);
    wr(A, freq | 0x70); // DV2-0 = 111: divider reset
    wr(YEAR, 0x25);
    wr(MONTH, 0x06);
    wr(MDAY, 0x15);
    wr(HOUR, 0x08);
    wr(MIN, 0x00);
    wr(SEC, 0x00);
    clock.t += 1234;
    wr(B, control);
    clock.t += 1234; // still held by the divider reset
    expect(time()).toEqual([0x25, 0x06, 0x15, 0x08, 0x00, 0x00]);
    wr(A, freq);
    expect(rd(A) & 0x7f).toBe(0x26);
    clock.t += 499;
    expect(rd(SEC)).toBe(0x00);
    clock.t += 1;
    expect(rd(SEC)).toBe(0x01);
  });

  it("a time write while running changes that field and keeps ticking", () => {
    const { rd, wr, clock, time } = make(T0 + 600);
    wr(HOUR, 0x02);
    expect(time()).toEqual([0x24, 0x03, 0x05, 0x02, 0x07, 0x09]);
    clock.t += 399;
    expect(rd(SEC)).toBe(0x09);
    clock.t += 1;
    expect(rd(SEC)).toBe(0x10);
    wr(YEAR, 0x30);
    expect(time()).toEqual([0x30, 0x03, 0x05, 0x02, 0x07, 0x10]);
  });

  it("day of week is its own counter: written values stick and advance at midnight", () => {
    const { rd, wr, clock } = make(Date.UTC(2024, 2, 5, 23, 59, 59)); // Tuesday = 3
    expect(rd(WDAY)).toBe(3);
    wr(WDAY, 7);
    expect(rd(WDAY)).toBe(7);
    clock.t += 1000;
    expect(rd(WDAY)).toBe(1); // Saturday (7) -> Sunday (1)
    wr(MDAY, 0x20); // a date write does not move it
    expect(rd(WDAY)).toBe(1);
  });

  it("UIP reads 1 only in the last 244 µs before a second boundary, and never while SET", () => {
    const { rd, wr, clock } = make();
    const uipAt = (ms: number) => {
      clock.t = T0 + ms;
      return (rd(A) & UIP) !== 0;
    };
    expect(uipAt(0)).toBe(false);
    expect(uipAt(500)).toBe(false);
    expect(uipAt(999.75)).toBe(false);
    expect(uipAt(999.76)).toBe(true);
    expect(uipAt(999.99)).toBe(true);
    expect(uipAt(1000)).toBe(false);
    expect(uipAt(1999.9)).toBe(true);
    wr(B, SET | H24);
    expect(uipAt(2999.9)).toBe(false);
  });

  it("register A: UIP is read-only, the rest reads back; register D always reports VRT", () => {
    const { rd, wr } = make();
    expect(rd(A)).toBe(0x26);
    wr(A, 0xaf);
    expect(rd(A)).toBe(0x2f);
    expect(rd(D)).toBe(0x80);
    wr(D, 0x00);
    expect(rd(D)).toBe(0x80);
  });

  it("register C: UF is set each second, raises IRQ 8 with UIE, and clears on read", () => {
    const { rtc, rd, wr, clock, irq } = make();
    expect(rd(C)).toBe(0x00);
    clock.t += 1;
    expect(rd(C)).toBe(0x40); // PF: the default rate (1024 Hz) sets it even without PIE
    wr(A, 0x20); // no periodic rate, so only UF is in play below
    wr(B, UIE | H24);
    expect(irq.level).toBe(false);
    clock.t += 998; // T0 + 999 ms
    rtc.tick();
    expect(irq.level).toBe(false);
    clock.t += 1;
    rtc.tick();
    expect(irq.level).toBe(true);
    expect(rd(C)).toBe(0x90); // IRQF | UF
    expect(irq.level).toBe(false);
    expect(rd(C)).toBe(0x00);
    clock.t += 1000;
    expect(rd(C)).toBe(0x90); // a read brings the flags up to date too
  });

  it("flags are set without their enable bit, but IRQF and the line need it", () => {
    const { rd, wr, clock, irq } = make();
    wr(A, 0x20); // no periodic rate
    clock.t += 1000;
    expect(rd(C)).toBe(0x10);
    expect(irq.history).toEqual([false]);
    clock.t += 1000;
    wr(B, UIE | H24); // enabling with UF already pending raises the line
    expect(irq.level).toBe(true);
    expect(rd(C)).toBe(0x90);
  });

  it("alarm: AF when the time matches, 'don't care' bytes match anything", () => {
    const { rd, wr, clock, irq, rtc } = make(); // 13:07:09
    wr(A, 0x20);
    wr(B, AIE | H24);
    wr(HOUR_ALARM, 0x13);
    wr(MIN_ALARM, 0x07);
    wr(SEC_ALARM, 0x12);
    clock.t += 2000; // 13:07:11
    rtc.tick();
    expect(irq.level).toBe(false);
    expect(rd(C)).toBe(0x10);
    clock.t += 1000; // 13:07:12
    rtc.tick();
    expect(irq.level).toBe(true);
    expect(rd(C)).toBe(0xb0); // IRQF | AF | UF
    wr(HOUR_ALARM, 0xc0);
    wr(MIN_ALARM, 0xff);
    wr(SEC_ALARM, 0xc5);
    clock.t += 1000;
    expect(rd(C)).toBe(0xb0); // every second
    wr(SEC_ALARM, 0x30);
    clock.t += 60_000; // 13:08:13: passed 13:08:00 ... 13:08:13, including :30 of 13:07
    expect(rd(C)).toBe(0xb0);
  });

  it("periodic interrupt at the register A rate, scheduled by nextDeadlineMs", () => {
    const { rtc, rd, wr, clock, irq } = make();
    expect(rtc.nextDeadlineMs()).toBeNull(); // nothing enabled
    wr(B, PIE | H24); // rate 6: 1024 Hz
    const period = 1000 / 1024;
    expect(rtc.nextDeadlineMs()).toBeCloseTo(T0 + period, 9);
    clock.t = rtc.nextDeadlineMs()!;
    rtc.tick();
    expect(irq.level).toBe(true);
    expect(rd(C)).toBe(0xc0); // IRQF | PF
    wr(A, 0x2f); // rate 15: 2 Hz
    clock.t = T0 + 400;
    expect(rtc.nextDeadlineMs()).toBe(T0 + 500);
    expect(rd(C)).toBe(0x00);
    clock.t = T0 + 500;
    expect(rd(C)).toBe(0xc0);
    wr(A, 0x20); // rate 0: off
    expect(rtc.nextDeadlineMs()).toBeNull();
  });

  it("nextDeadlineMs for UIE is the next second boundary, exact even with an odd offset", () => {
    const { rtc, wr, clock, irq } = make(T0 + 123.456);
    wr(MIN, 0x30); // makes the offset non-zero
    wr(A, 0x20);
    wr(B, UIE | H24);
    const deadline = rtc.nextDeadlineMs()!;
    expect(deadline).toBeCloseTo(T0 + 1000, 6);
    clock.t = deadline;
    rtc.tick();
    expect(irq.level).toBe(true);
  });

  it("memory size bytes: 16 MiB", () => {
    const { rd } = make(T0, 16 * 1024 * 1024);
    expect([0x15, 0x16].map(rd)).toEqual([0x80, 0x02]); // 640 KiB
    expect([0x17, 0x18, 0x30, 0x31].map(rd)).toEqual([0x00, 0x3c, 0x00, 0x3c]); // 15360 KiB
    expect([0x34, 0x35].map(rd)).toEqual([0x00, 0x00]);
  });

  it("memory size bytes: 128 MiB", () => {
    const { rd } = make(T0, 128 * 1024 * 1024);
    expect([0x15, 0x16].map(rd)).toEqual([0x80, 0x02]);
    expect([0x17, 0x18, 0x30, 0x31].map(rd)).toEqual([0xff, 0xff, 0xff, 0xff]); // capped
    expect([0x34, 0x35].map(rd)).toEqual([0x00, 0x07]); // 112 MiB / 64 KiB = 0x0700
  });

  it("memory size bytes: 1 GiB, and tiny memories", () => {
    const { rd } = make(T0, 1024 * 1024 * 1024);
    expect([0x17, 0x18].map(rd)).toEqual([0xff, 0xff]);
    expect([0x34, 0x35].map(rd)).toEqual([0x00, 0x3f]); // 1008 MiB / 64 KiB = 0x3F00
    const small = make(T0, 512 * 1024);
    expect([0x15, 0x16, 0x17, 0x18, 0x34, 0x35].map(small.rd)).toEqual([0x00, 0x02, 0, 0, 0, 0]);
    expect(() => make(T0, -1)).toThrow(/memorySize/);
  });

  it("floppy, disk and equipment bytes; checksum over 0x10-0x2D, big-endian at 0x2E", () => {
    for (const size of [16, 128, 1024].map((m) => m * 1024 * 1024)) {
      const { rd } = make(T0, size);
      expect(rd(0x10)).toBe(0x00);
      expect(rd(0x12)).toBe(0x00);
      expect(rd(0x14)).toBe(0x02); // FPU present, EGA/VGA, no floppies
      let sum = 0;
      for (let i = 0x10; i <= 0x2d; i++) sum += rd(i);
      expect((rd(0x2e) << 8) | rd(0x2f)).toBe(sum);
    }
    const noFpu = new CmosRtc({ clock: new FakeClock(T0), irq: new RecordingIrq(), memorySize: 0, fpuPresent: false });
    noFpu.write(0, 1, 0x14);
    expect(noFpu.read(1, 1)).toBe(0x00);
  });

  it("CMOS RAM bytes read back; the index port is write-only", () => {
    const { rtc, rd, wr } = make();
    for (const i of [0x0e, 0x0f, 0x40, 0x7f]) {
      wr(i, i ^ 0x5a);
      expect(rd(i)).toBe(i ^ 0x5a);
    }
    expect(rtc.read(0, 1)).toBe(0xff);
  });

  it("index bit 7 masks NMI and does not change the selected byte", () => {
    const { rtc, wr } = make();
    expect(rtc.nmiMasked).toBe(false);
    wr(0x40, 0x77);
    rtc.write(0, 1, 0x80 | 0x40);
    expect(rtc.nmiMasked).toBe(true);
    expect(rtc.read(1, 1)).toBe(0x77);
    rtc.write(0, 1, 0x40);
    expect(rtc.nmiMasked).toBe(false);
    expect(rtc.read(1, 1)).toBe(0x77);
  });

  it("wide accesses act as byte accesses", () => {
    const { rtc } = make();
    rtc.write(0, 2, 0x1240);
    rtc.write(1, 4, 0xabcdef99);
    rtc.write(0, 1, 0x40);
    expect(rtc.read(1, 2)).toBe(0x99);
  });

  it("getState/setState round-trips through JSON, incl. a stopped clock and pending flags", () => {
    const a = make();
    a.wr(A, 0x20);
    a.wr(0x50, 0x42);
    a.wr(B, UIE | H24);
    a.clock.t += 1000;
    a.rtc.tick();
    a.wr(B, SET | H24);
    a.wr(HOUR, 0x05);
    a.rtc.write(0, 1, 0x80 | 0x50);
    const b = make(a.clock.t);
    b.rtc.setState(JSON.parse(JSON.stringify(a.rtc.getState())));
    expect(b.rtc.getState()).toEqual(a.rtc.getState());
    expect(b.rtc.nmiMasked).toBe(true);
    expect(b.rtc.read(1, 1)).toBe(0x42);
    expect(b.rd(HOUR)).toBe(0x05);
    expect(b.rd(C)).toBe(0x10); // UF pending, UIE cleared by SET
    b.wr(B, H24);
    expect(b.time()).toEqual([0x24, 0x03, 0x05, 0x05, 0x07, 0x10]);
  });

  it("setState drives the IRQ line and rejects malformed state", () => {
    const { rtc, irq } = make();
    const good = rtc.getState();
    rtc.setState({ ...good, regB: UIE | H24, regC: 0x10 });
    expect(irq.level).toBe(true);
    expect(() => rtc.setState({ ...good, regC: 0x80 })).toThrow(/regC/);
    expect(() => rtc.setState({ ...good, regA: 0x80 })).toThrow(/regA/);
    expect(() => rtc.setState({ ...good, ram: [1, 2] })).toThrow(/ram/);
    expect(() => rtc.setState({ ...good, offsetMs: NaN })).toThrow(/offsetMs/);
    expect(() => rtc.setState({ ...good, weekdayAdjust: 7 })).toThrow(/weekdayAdjust/);
    expect(() => rtc.setState({ ...good, version: 2 } as unknown as typeof good)).toThrow();
  });

  it("drives the IRQ line only on level changes", () => {
    const { rtc, rd, wr, clock, irq } = make();
    wr(B, UIE | H24);
    clock.t += 1000;
    rtc.tick();
    rtc.tick();
    clock.t += 1000;
    rtc.tick();
    rd(C);
    rd(C);
    expect(irq.history).toEqual([false, true, false]);
  });
});
