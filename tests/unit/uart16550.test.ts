import { describe, expect, it } from "vitest";
import { ByteCollector, type IrqLine } from "../../src/vmm/device";
import { Uart16550 } from "../../src/devices/uart16550";

// Register offsets and bits, spelled out here so the tests do not trust the device's constants.
const RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

class RecordingIrq implements IrqLine {
  level = false;
  history: boolean[] = [];
  set(level: boolean): void {
    this.level = level;
    this.history.push(level);
  }
}

function make() {
  const irq = new RecordingIrq();
  const out = new ByteCollector();
  const uart = new Uart16550({ irq, output: out });
  const rd = (off: number) => uart.read(off, 1);
  const wr = (off: number, v: number) => uart.write(off, 1, v);
  return { uart, irq, out, rd, wr };
}

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("Uart16550", () => {
  it("has a name, defaulting to uart16550", () => {
    expect(make().uart.name).toBe("uart16550");
    const named = new Uart16550({ name: "com1", irq: new RecordingIrq(), output: new ByteCollector() });
    expect(named.name).toBe("com1");
  });

  it("scratch register holds any byte", () => {
    const { rd, wr } = make();
    for (const v of [0x00, 0x55, 0xaa, 0xff, 0x5a]) {
      wr(SCR, v);
      expect(rd(SCR)).toBe(v);
    }
  });

  it("DLAB switches offsets 0/1 to the divisor latch and back", () => {
    const { rd, wr } = make();
    wr(IER, 0x05);
    wr(LCR, 0x83); // DLAB + 8N1
    wr(DLL, 0x01);
    wr(DLM, 0x02);
    expect(rd(DLL)).toBe(0x01);
    expect(rd(DLM)).toBe(0x02);
    wr(LCR, 0x03);
    expect(rd(LCR)).toBe(0x03);
    expect(rd(IER)).toBe(0x05); // IER untouched by the DLM write
    wr(LCR, 0x80);
    expect(rd(DLM)).toBe(0x02);
  });

  it("IER upper four bits read as zero; MCR upper three bits too", () => {
    const { rd, wr } = make();
    wr(IER, 0xff);
    expect(rd(IER)).toBe(0x0f);
    wr(MCR, 0xff & ~0x10);
    expect(rd(MCR)).toBe(0x0f);
  });

  it("THR writes go to the output immediately, LSR THRE|TEMT stay set", () => {
    const { rd, wr, out } = make();
    for (const c of "hi\n") wr(THR, c.charCodeAt(0));
    expect(out.text()).toBe("hi\n");
    expect(rd(LSR) & 0x60).toBe(0x60);
  });

  it("wide accesses act as byte accesses", () => {
    const { uart, out } = make();
    uart.write(THR, 4, 0x12345641);
    expect(out.text()).toBe("A");
    uart.write(SCR, 2, 0xbeef);
    expect(uart.read(SCR, 4)).toBe(0xef);
    expect(uart.read(SCR, 2)).toBe(0xef);
  });

  it("THRE interrupt: raised on ETBEI enable, cleared by IIR read, re-raised by THR write", () => {
    const { rd, wr, irq } = make();
    wr(MCR, 0x08); // OUT2
    expect(rd(IIR)).toBe(0x01);
    expect(irq.level).toBe(false);
    wr(IER, 0x02);
    expect(irq.level).toBe(true);
    expect(rd(IIR)).toBe(0x02); // reported, and thereby cleared
    expect(irq.level).toBe(false);
    expect(rd(IIR)).toBe(0x01);
    wr(THR, 0x41);
    expect(irq.level).toBe(true);
    expect(rd(IIR)).toBe(0x02);
    expect(rd(IIR)).toBe(0x01);
  });

  it("passes Linux's serial8250_startup THRE test (no UART_BUG_THRE)", () => {
    const { rd, wr } = make();
    wr(FCR, 0x07);
    wr(IER, 0x02);
    const iir1 = rd(IIR);
    wr(IER, 0);
    wr(IER, 0x02);
    const iir2 = rd(IIR);
    wr(IER, 0);
    expect(iir1 & 0x01).toBe(0);
    expect(iir2 & 0x01).toBe(0);
    expect(iir2 & 0x0f).toBe(0x02);
  });

  it("identifies as a 16550A: IIR bits 7:6 follow FCR bit 0, idle IIR 0xC1", () => {
    const { rd, wr } = make();
    expect(rd(IIR)).toBe(0x01);
    wr(FCR, 0x01);
    expect(rd(IIR)).toBe(0xc1);
    wr(FCR, 0x00);
    expect(rd(IIR)).toBe(0x01);
    wr(FCR, 0x01);
    wr(LCR, 0x80); // FCR/IIR do not depend on DLAB
    expect(rd(IIR)).toBe(0xc1);
  });

  it("IRQ line is gated by MCR.OUT2", () => {
    const { wr, irq } = make();
    wr(IER, 0x02); // THRE pending
    expect(irq.level).toBe(false);
    wr(MCR, 0x08);
    expect(irq.level).toBe(true);
    wr(MCR, 0x03); // DTR|RTS, no OUT2
    expect(irq.level).toBe(false);
    wr(MCR, 0x0b);
    expect(irq.level).toBe(true);
    wr(IER, 0x00); // masked
    expect(irq.level).toBe(false);
  });

  it("RX with FIFOs off: one-byte holding register, IIR 0x04", () => {
    const { uart, rd, wr, irq } = make();
    wr(MCR, 0x08);
    wr(IER, 0x01);
    uart.receive(text("ab"));
    expect(irq.level).toBe(true);
    expect(rd(IIR)).toBe(0x04);
    expect(rd(LSR) & 0x01).toBe(1);
    expect(rd(RBR)).toBe(0x61);
    expect(rd(IIR)).toBe(0x04); // 'b' moved in from the host queue
    expect(rd(RBR)).toBe(0x62);
    expect(rd(LSR) & 0x01).toBe(0);
    expect(rd(IIR)).toBe(0x01);
    expect(irq.level).toBe(false);
  });

  it.each([
    [0x01, 1],
    [0x41, 4],
    [0xc1, 14],
  ])("RX FIFO trigger level (FCR=%s → %i): timeout 0x0C below, data 0x04 at or above", (fcr, level) => {
    const { uart, rd, wr, irq } = make();
    wr(FCR, fcr);
    wr(MCR, 0x08);
    wr(IER, 0x01);
    if (level > 1) {
      uart.receive(new Uint8Array(level - 1).fill(0x78));
      expect(rd(IIR)).toBe(0xcc);
      expect(irq.level).toBe(true);
    }
    uart.receive(Uint8Array.of(0x79));
    expect(rd(IIR)).toBe(0xc4);
    for (let i = 0; i < level - 1; i++) expect(rd(RBR)).toBe(0x78);
    if (level > 1) {
      uart.receive(Uint8Array.of(0x7a));
      expect(rd(IIR)).toBe(0xcc); // 2 bytes < trigger again
      expect(rd(RBR)).toBe(0x79);
      expect(rd(RBR)).toBe(0x7a);
    } else {
      expect(rd(RBR)).toBe(0x79);
    }
    expect(rd(IIR)).toBe(0xc1);
    expect(irq.level).toBe(false);
  });

  it("FCR bit 1 clears the RX FIFO; trigger bits need FCR bit 0", () => {
    const { uart, rd, wr } = make();
    wr(FCR, 0xc1); // trigger 14
    wr(IER, 0x01);
    uart.receive(text("abc"));
    expect(rd(IIR)).toBe(0xcc);
    wr(FCR, 0x03);
    expect(rd(LSR) & 0x01).toBe(0);
    expect(rd(IIR)).toBe(0xc1);
    wr(FCR, 0x00); // back to 16450 mode ...
    wr(FCR, 0xc0); // ... trigger bits ignored without bit 0
    wr(FCR, 0x01); // FIFO on, trigger 1 (bits 7:6 = 00)
    uart.receive(text("z"));
    expect(rd(IIR)).toBe(0xc4);
  });

  it("FCR writes with bit 0 clear program nothing else (no RX reset in 16450 mode)", () => {
    const { uart, rd, wr } = make();
    uart.receive(text("a"));
    wr(FCR, 0x02);
    expect(rd(LSR) & 0x01).toBe(1);
    expect(rd(RBR)).toBe(0x61);
  });

  it("16450 mode loopback overrun overwrites the holding register", () => {
    const { rd, wr } = make();
    wr(MCR, 0x10);
    wr(THR, 0x31);
    wr(THR, 0x32);
    expect(rd(LSR) & 0x03).toBe(0x03);
    expect(rd(RBR)).toBe(0x32);
    expect(rd(LSR) & 0x01).toBe(0);
  });

  it("host input longer than the FIFO is delivered completely and in order", () => {
    const { uart, rd, wr } = make();
    wr(FCR, 0x01);
    const input = Uint8Array.from({ length: 10000 }, (_, i) => (i * 7 + 3) & 0xff);
    uart.receive(input.subarray(0, 6000));
    uart.receive(input.subarray(6000));
    expect(uart.getState().rxFifo.length).toBe(16);
    const got: number[] = [];
    while (rd(LSR) & 0x01) got.push(rd(RBR));
    expect(got).toEqual([...input]);
    expect(rd(LSR) & 0x03).toBe(0); // no overrun
  });

  it("host input is held while in loopback and delivered after", () => {
    const { uart, rd, wr } = make();
    wr(MCR, 0x10);
    uart.receive(text("k"));
    expect(rd(LSR) & 0x01).toBe(0);
    wr(MCR, 0x00);
    expect(rd(RBR)).toBe(0x6b);
  });

  it("loopback: THR bytes return through RBR and MSR mirrors MCR", () => {
    const { rd, wr, out } = make();
    expect(rd(MSR) & 0xf0).toBe(0xb0); // outside loopback: CTS|DSR|DCD
    wr(FCR, 0x07);
    wr(MCR, 0x10 | 0x0a); // loop + RTS + OUT2, Linux autoconfig's test
    expect(rd(MSR) & 0xf0).toBe(0x90); // CTS|DCD
    wr(MCR, 0x10 | 0x05); // DTR + OUT1
    expect(rd(MSR) & 0xf0).toBe(0x60); // DSR|RI
    wr(THR, 0x55);
    wr(THR, 0xaa);
    expect(out.bytes().length).toBe(0);
    expect(rd(LSR) & 0x01).toBe(1);
    expect(rd(RBR)).toBe(0x55);
    expect(rd(RBR)).toBe(0xaa);
    expect(rd(LSR) & 0x01).toBe(0);
    wr(MCR, 0x00);
    wr(THR, 0x21);
    expect(out.text()).toBe("!");
  });

  it("LSR error bits (loopback overrun) set, interrupt with ELSI, clear on LSR read", () => {
    const { rd, wr, irq } = make();
    wr(FCR, 0x01);
    wr(MCR, 0x18); // loop + OUT2
    wr(IER, 0x05); // ELSI + ERBFI
    for (let i = 0; i < 17; i++) wr(THR, i);
    expect(irq.level).toBe(true);
    expect(rd(IIR)).toBe(0xc6); // line status beats RX data
    const lsr = rd(LSR);
    expect(lsr & 0x02).toBe(0x02);
    expect(lsr & 0x01).toBe(0x01);
    expect(rd(LSR) & 0x1e).toBe(0);
    expect(rd(IIR)).toBe(0xc4); // now RX data (16 ≥ trigger 1)
    for (let i = 0; i < 16; i++) expect(rd(RBR)).toBe(i); // the 17th byte was lost
    expect(rd(LSR) & 0x01).toBe(0);
  });

  it("MSR delta bits set on modem line changes, interrupt with EDSSI, clear on MSR read", () => {
    const { rd, wr, irq } = make();
    wr(IER, 0x08);
    wr(MCR, 0x08); // OUT2, outside loopback: no change in inputs
    expect(rd(IIR)).toBe(0x01);
    wr(MCR, 0x1f); // loopback with all outputs set: CTS DSR DCD unchanged, RI rises
    expect(rd(MSR)).toBe(0xf0);
    wr(MCR, 0x18); // drop DTR, RTS, OUT1: CTS, DSR fall; RI trailing edge
    expect(irq.level).toBe(true);
    expect(rd(IIR)).toBe(0x00);
    expect(rd(MSR)).toBe(0x80 | 0x07);
    expect(rd(MSR)).toBe(0x80);
    expect(rd(IIR)).toBe(0x01);
    expect(irq.level).toBe(false);
  });

  it("IIR priority: RX data over THRE over modem status", () => {
    const { uart, rd, wr } = make();
    wr(MCR, 0x10); // entering loopback drops CTS/DSR/DCD: deltas pending
    wr(IER, 0x0b);
    uart.receive(text("x")); // held by loopback
    wr(THR, 0x31);
    expect(rd(IIR)).toBe(0x04);
    expect(rd(RBR)).toBe(0x31);
    expect(rd(IIR)).toBe(0x02);
    expect(rd(IIR)).toBe(0x00);
    expect(rd(MSR) & 0x0f).toBe(0x0b); // DCTS|DDSR|DDCD
    expect(rd(IIR)).toBe(0x01);
  });

  it("getState/setState round-trips a mid-transfer state through JSON", () => {
    const a = make();
    a.wr(LCR, 0x83);
    a.wr(DLL, 0x03);
    a.wr(DLM, 0x00);
    a.wr(LCR, 0x03);
    a.wr(FCR, 0x81); // trigger 8
    a.wr(MCR, 0x0b);
    a.wr(IER, 0x03);
    a.wr(SCR, 0x42);
    const input = Uint8Array.from({ length: 40 }, (_, i) => 0x30 + i);
    a.uart.receive(input);
    for (let i = 0; i < 5; i++) expect(a.rd(RBR)).toBe(0x30 + i);
    const json = JSON.stringify(a.uart.getState());

    const b = make();
    b.uart.setState(JSON.parse(json));
    expect(b.irq.level).toBe(true);
    expect(b.uart.getState()).toEqual(a.uart.getState());
    expect(b.rd(SCR)).toBe(0x42);
    expect(b.rd(LCR)).toBe(0x03);
    expect(b.rd(IER)).toBe(0x03);
    expect(b.rd(IIR)).toBe(0xc4); // 16 ≥ trigger 8
    const rest: number[] = [];
    while (b.rd(LSR) & 0x01) rest.push(b.rd(RBR));
    expect(rest).toEqual([...input.subarray(5)]);
    expect(b.rd(IIR)).toBe(0xc2); // THRE still latched after the restore
    b.wr(LCR, 0x80);
    expect(b.rd(DLL)).toBe(0x03);
  });

  it("setState moves queued host input into a FIFO with room", () => {
    const { uart, rd } = make();
    uart.setState({ ...uart.getState(), fifoEnabled: true, rxFifo: [0x41], hostQueue: [0x42, 0x43] });
    expect(uart.getState().rxFifo).toEqual([0x41, 0x42, 0x43]);
    expect([rd(RBR), rd(RBR), rd(RBR)]).toEqual([0x41, 0x42, 0x43]);
  });

  it("setState rejects malformed state", () => {
    const { uart } = make();
    const good = uart.getState();
    expect(() => uart.setState({ ...good, ier: 0x1ff })).toThrow(/ier/);
    expect(() => uart.setState({ ...good, rxTriggerLevel: 3 })).toThrow(/rxTriggerLevel/);
    expect(() => uart.setState({ ...good, rxFifo: [1, 2] })).toThrow(/rxFifo/); // FIFOs off: 1 byte max
    expect(() => uart.setState({ ...good, version: 2 } as unknown as typeof good)).toThrow();
  });

  it("drives the IRQ line only on level changes", () => {
    const { rd, wr, irq } = make();
    expect(irq.history).toEqual([false]);
    wr(MCR, 0x08);
    wr(SCR, 1);
    wr(IER, 0x02);
    rd(SCR);
    rd(IIR);
    expect(irq.history).toEqual([false, true, false]);
  });
});
