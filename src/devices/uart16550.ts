// A 16550A UART (National/TI PC16550D), the PC's COM port: eight byte registers at offsets 0..7.
//
// Invariants:
// - Transmission is instant: a THR write goes straight to `output` (or, in loopback, to the RX
//   side), so the TX FIFO is always empty and LSR.THRE and LSR.TEMT always read 1.
// - Host input is never overrun: `receive` appends to an unbounded host queue; the queue refills
//   the RX FIFO (16 bytes, or a 1-byte holding register with FIFOs off) whenever the guest makes
//   room. What already sits in the FIFO/RBR is discarded when the guest clears the RX FIFO (FCR
//   bit 1) or switches FIFO mode, as on hardware and in QEMU — so a byte typed before the guest
//   initializes the port is dropped by that initialization.
//   The queue is held (not delivered) while loopback is on, since SIN is disconnected then.
//   Only guest-generated loopback bytes can overrun (LSR.OE).
// - The IRQ line is re-evaluated after every register access, every `receive` and `setState`:
//   it is high while an enabled interrupt is pending (IIR bit 0 = 0) AND MCR.OUT2 is set.
//   `irq.set` is called only when that level changes (and once at construction and setState).
// - Accesses of size 2 or 4 are treated as byte accesses: a read returns the byte zero-extended,
//   a write uses the low byte. Offsets outside 0..7 read 0xFF and ignore writes.

import type { AccessSize, BusDevice, ByteSink, IrqLine } from "../vmm/device";

// Register offsets (PC16550D datasheet, Table II "Register Addresses").
const REG_DATA = 0; // RBR (read) / THR (write); DLL when DLAB = 1
const REG_IER = 1; // IER; DLM when DLAB = 1
const REG_IIR_FCR = 2; // IIR (read) / FCR (write), not affected by DLAB
const REG_LCR = 3;
const REG_MCR = 4;
const REG_LSR = 5;
const REG_MSR = 6;
const REG_SCR = 7;

const IER_ERBFI = 0x01; // PC16550D datasheet, IER bit 0: enable received data available interrupt
const IER_ETBEI = 0x02; // PC16550D datasheet, IER bit 1: enable THR empty interrupt
const IER_ELSI = 0x04; // PC16550D datasheet, IER bit 2: enable receiver line status interrupt
const IER_EDSSI = 0x08; // PC16550D datasheet, IER bit 3: enable modem status interrupt
const IER_MASK = 0x0f; // PC16550D datasheet, IER bits 4-7 are always 0

const IIR_NO_INT = 0x01; // PC16550D datasheet, IIR bit 0: 1 = no interrupt pending
const IIR_MODEM_STATUS = 0x00; // PC16550D datasheet, Table IV: priority 4, modem status
const IIR_THRE = 0x02; // PC16550D datasheet, Table IV: priority 3, THR empty
const IIR_RX_DATA = 0x04; // PC16550D datasheet, Table IV: priority 2, received data available
const IIR_LINE_STATUS = 0x06; // PC16550D datasheet, Table IV: priority 1, receiver line status
const IIR_RX_TIMEOUT = 0x0c; // PC16550D datasheet, Table IV: priority 2, character timeout
const IIR_FIFOS_ENABLED = 0xc0; // PC16550D datasheet, IIR bits 6-7: set when FCR bit 0 = 1

const FCR_ENABLE_FIFO = 0x01; // PC16550D datasheet, FCR bit 0
const FCR_CLEAR_RX = 0x02; // PC16550D datasheet, FCR bit 1: RCVR FIFO reset
// FCR bit 2 (XMIT FIFO reset) needs no constant: the XMIT FIFO is always empty here.
const FCR_TRIGGER_SHIFT = 6; // PC16550D datasheet, FCR bits 6-7: RCVR trigger level
const RX_TRIGGER_LEVELS = [1, 4, 8, 14] as const; // PC16550D datasheet, FCR bits 7:6 = 00..11

const LCR_DLAB = 0x80; // PC16550D datasheet, LCR bit 7: divisor latch access bit

const MCR_DTR = 0x01; // PC16550D datasheet, MCR bit 0
const MCR_RTS = 0x02; // PC16550D datasheet, MCR bit 1
const MCR_OUT1 = 0x04; // PC16550D datasheet, MCR bit 2
const MCR_OUT2 = 0x08; // PC16550D datasheet, MCR bit 3 (gates INTR onto the ISA bus on a PC)
const MCR_LOOP = 0x10; // PC16550D datasheet, MCR bit 4: loopback
const MCR_MASK = 0x1f; // PC16550D datasheet, MCR bits 5-7 are always 0

const LSR_DATA_READY = 0x01; // PC16550D datasheet, LSR bit 0
const LSR_OVERRUN = 0x02; // PC16550D datasheet, LSR bit 1
const LSR_PARITY = 0x04; // PC16550D datasheet, LSR bit 2
const LSR_FRAMING = 0x08; // PC16550D datasheet, LSR bit 3
const LSR_BREAK = 0x10; // PC16550D datasheet, LSR bit 4
const LSR_THRE = 0x20; // PC16550D datasheet, LSR bit 5: THR (or XMIT FIFO) empty
const LSR_TEMT = 0x40; // PC16550D datasheet, LSR bit 6: THR and transmitter shift register empty
const LSR_ERRORS = LSR_OVERRUN | LSR_PARITY | LSR_FRAMING | LSR_BREAK; // cleared by an LSR read

const MSR_DCTS = 0x01; // PC16550D datasheet, MSR bit 0: delta CTS
const MSR_DDSR = 0x02; // PC16550D datasheet, MSR bit 1: delta DSR
const MSR_TERI = 0x04; // PC16550D datasheet, MSR bit 2: trailing edge ring indicator
const MSR_DDCD = 0x08; // PC16550D datasheet, MSR bit 3: delta DCD
const MSR_DELTAS = MSR_DCTS | MSR_DDSR | MSR_TERI | MSR_DDCD; // cleared by an MSR read
const MSR_CTS = 0x10; // PC16550D datasheet, MSR bit 4
const MSR_DSR = 0x20; // PC16550D datasheet, MSR bit 5
const MSR_RI = 0x40; // PC16550D datasheet, MSR bit 6
const MSR_DCD = 0x80; // PC16550D datasheet, MSR bit 7
/** Modem inputs outside loopback: a connected terminal asserting CTS, DSR and DCD. */
const MSR_CONNECTED = MSR_CTS | MSR_DSR | MSR_DCD;

const FIFO_SIZE = 16; // PC16550D datasheet: 16-byte RCVR and XMIT FIFOs

/** Snapshot of a Uart16550: plain data, JSON-serializable. */
export interface Uart16550State {
  version: 1;
  /** Registers as programmed: IER (bits 0-3), LCR, MCR (bits 0-4), SCR, divisor latch DLL/DLM. */
  ier: number;
  lcr: number;
  mcr: number;
  scr: number;
  dll: number;
  dlm: number;
  /** FCR bit 0. */
  fifoEnabled: boolean;
  /** RX trigger level from FCR bits 7:6: 1, 4, 8 or 14. */
  rxTriggerLevel: number;
  /** Bytes in the RX FIFO (or holding register), oldest first. */
  rxFifo: number[];
  /** Host input not yet moved into the RX FIFO, oldest first. */
  hostQueue: number[];
  /** Pending LSR error bits (OE, PE, FE, BI). */
  lineErrors: number;
  /** Pending MSR delta bits (0-3). */
  msrDeltas: number;
  /** The THRE interrupt is latched (reported while IER.ETBEI is set). */
  thrInterruptPending: boolean;
}

/** Construction options for {@link Uart16550}. */
export interface Uart16550Options {
  /** Bus name; defaults to "uart16550". */
  name?: string;
  /** The interrupt line (IRQ 4 for COM1 on a PC). */
  irq: IrqLine;
  /** Where transmitted bytes go. */
  output: ByteSink;
}

/** A 16550A UART with instant transmission and lossless host input. */
export class Uart16550 implements BusDevice {
  readonly name: string;
  private readonly irq: IrqLine;
  private readonly output: ByteSink;
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0x0c; // reset value is undefined in the datasheet; 12 = 9600 baud at 1.8432 MHz
  private dlm = 0;
  private fifoEnabled = false;
  private rxTriggerLevel = 1;
  private rxFifo: number[] = [];
  private hostQueue: number[] = [];
  private hostHead = 0; // index of the oldest undelivered byte in hostQueue
  private lineErrors = 0;
  private msrDeltas = 0;
  private thrInterruptPending = false;
  private irqLevel: boolean | undefined = undefined;

  constructor(options: Uart16550Options) {
    this.name = options.name ?? "uart16550";
    this.irq = options.irq;
    this.output = options.output;
    this.updateIrq();
  }

  /** Host input (keystrokes, pasted text): queued without loss, delivered as the guest drains. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) this.hostQueue.push(b);
    this.refillRx();
    this.updateIrq();
  }

  /** Read the register at `offset`; sizes 2 and 4 act as a byte read, zero-extended. */
  read(offset: number, _size: AccessSize): number {
    const value = this.readRegister(offset);
    this.updateIrq();
    return value;
  }

  /** Write the register at `offset`; sizes 2 and 4 write the low byte only. */
  write(offset: number, _size: AccessSize, value: number): void {
    this.writeRegister(offset, value & 0xff);
    this.updateIrq();
  }

  /** A snapshot of the device (copies; safe to JSON.stringify). */
  getState(): Uart16550State {
    return {
      version: 1,
      ier: this.ier,
      lcr: this.lcr,
      mcr: this.mcr,
      scr: this.scr,
      dll: this.dll,
      dlm: this.dlm,
      fifoEnabled: this.fifoEnabled,
      rxTriggerLevel: this.rxTriggerLevel,
      rxFifo: [...this.rxFifo],
      hostQueue: this.hostQueue.slice(this.hostHead),
      lineErrors: this.lineErrors,
      msrDeltas: this.msrDeltas,
      thrInterruptPending: this.thrInterruptPending,
    };
  }

  /** Restore a snapshot from {@link getState}; throws on a malformed one. Drives the IRQ line. */
  setState(s: Uart16550State): void {
    if (s === null || typeof s !== "object" || s.version !== 1) throw new Error(`${this.name}: unsupported state`);
    const byte = (field: keyof Uart16550State, mask = 0xff): number => {
      const v = s[field];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || (v & ~mask) !== 0) {
        throw new Error(`${this.name}: bad state field ${field}: ${String(v)}`);
      }
      return v;
    };
    const bytes = (field: "rxFifo" | "hostQueue"): number[] => {
      const v = s[field];
      if (!Array.isArray(v) || !v.every((b) => Number.isInteger(b) && b >= 0 && b <= 0xff)) {
        throw new Error(`${this.name}: bad state field ${field}`);
      }
      return [...v];
    };
    if (typeof s.fifoEnabled !== "boolean" || typeof s.thrInterruptPending !== "boolean") {
      throw new Error(`${this.name}: bad state flags`);
    }
    if (!(RX_TRIGGER_LEVELS as readonly number[]).includes(s.rxTriggerLevel)) {
      throw new Error(`${this.name}: bad state field rxTriggerLevel: ${String(s.rxTriggerLevel)}`);
    }
    const rxFifo = bytes("rxFifo");
    if (rxFifo.length > (s.fifoEnabled ? FIFO_SIZE : 1)) throw new Error(`${this.name}: rxFifo too long`);
    this.ier = byte("ier", IER_MASK);
    this.lcr = byte("lcr");
    this.mcr = byte("mcr", MCR_MASK);
    this.scr = byte("scr");
    this.dll = byte("dll");
    this.dlm = byte("dlm");
    this.lineErrors = byte("lineErrors", LSR_ERRORS);
    this.msrDeltas = byte("msrDeltas", MSR_DELTAS);
    this.fifoEnabled = s.fifoEnabled;
    this.rxTriggerLevel = s.rxTriggerLevel;
    this.thrInterruptPending = s.thrInterruptPending;
    this.rxFifo = rxFifo;
    this.hostQueue = bytes("hostQueue");
    this.hostHead = 0;
    this.refillRx();
    this.irqLevel = undefined; // force the line to be driven
    this.updateIrq();
  }

  private get dlab(): boolean { return (this.lcr & LCR_DLAB) !== 0; }
  private get loopback(): boolean { return (this.mcr & MCR_LOOP) !== 0; }
  /** FIFOs off: a 16450-style 1-byte holding register. */
  private get rxCapacity(): number { return this.fifoEnabled ? FIFO_SIZE : 1; }

  private readRegister(offset: number): number {
    switch (offset) {
      case REG_DATA:
        if (this.dlab) return this.dll;
        return this.readRbr();
      case REG_IER:
        return this.dlab ? this.dlm : this.ier;
      case REG_IIR_FCR:
        return this.readIir();
      case REG_LCR:
        return this.lcr;
      case REG_MCR:
        return this.mcr;
      case REG_LSR: {
        const lsr = (this.rxFifo.length > 0 ? LSR_DATA_READY : 0) | this.lineErrors | LSR_THRE | LSR_TEMT;
        this.lineErrors = 0;
        return lsr;
      }
      case REG_MSR: {
        const msr = this.msrDeltas | this.modemInputs();
        this.msrDeltas = 0;
        return msr;
      }
      case REG_SCR:
        return this.scr;
      default:
        return 0xff;
    }
  }

  private writeRegister(offset: number, value: number): void {
    switch (offset) {
      case REG_DATA:
        if (this.dlab) this.dll = value;
        else this.writeThr(value);
        break;
      case REG_IER:
        if (this.dlab) {
          this.dlm = value;
        } else {
          const enabling = (value & IER_ETBEI) !== 0 && (this.ier & IER_ETBEI) === 0;
          this.ier = value & IER_MASK;
          // THR is always empty, so enabling ETBEI raises the THRE interrupt at once.
          if (enabling) this.thrInterruptPending = true;
        }
        break;
      case REG_IIR_FCR:
        this.writeFcr(value);
        break;
      case REG_LCR:
        this.lcr = value;
        break;
      case REG_MCR:
        this.writeMcr(value & MCR_MASK);
        break;
      case REG_SCR:
        this.scr = value;
        break;
      default:
        break; // LSR and MSR writes (factory test only) are ignored
    }
  }

  private readRbr(): number {
    // Reading an empty RBR returns 0 (the datasheet leaves the value unspecified).
    const value = this.rxFifo.length > 0 ? this.rxFifo.shift()! : 0;
    this.refillRx();
    return value;
  }

  /** The highest-priority pending interrupt, as IIR bits 3:0 (IIR_NO_INT if none). */
  private pendingInterrupt(): number {
    if (this.ier & IER_ELSI && this.lineErrors !== 0) return IIR_LINE_STATUS;
    if (this.ier & IER_ERBFI && this.rxFifo.length > 0) {
      // No character clock: a FIFO below its trigger level times out immediately.
      if (this.fifoEnabled && this.rxFifo.length < this.rxTriggerLevel) return IIR_RX_TIMEOUT;
      return IIR_RX_DATA;
    }
    if (this.ier & IER_ETBEI && this.thrInterruptPending) return IIR_THRE;
    if (this.ier & IER_EDSSI && this.msrDeltas !== 0) return IIR_MODEM_STATUS;
    return IIR_NO_INT;
  }

  private readIir(): number {
    const id = this.pendingInterrupt();
    if (id === IIR_THRE) this.thrInterruptPending = false; // reading IIR clears THRE if reported
    return id | (this.fifoEnabled ? IIR_FIFOS_ENABLED : 0);
  }

  private writeThr(value: number): void {
    // Writing THR clears the THRE interrupt; the byte leaves at once, so THR is empty again
    // and the interrupt is re-raised as the write completes.
    if (this.loopback) this.loopbackByte(value);
    else this.output.write(Uint8Array.of(value));
    this.thrInterruptPending = true;
  }

  /** A byte transmitted in loopback arrives at the receiver; a full receiver overruns. */
  private loopbackByte(value: number): void {
    if (this.rxFifo.length < this.rxCapacity) {
      this.rxFifo.push(value);
    } else {
      this.lineErrors |= LSR_OVERRUN;
      // FIFO mode: the character in the shift register is lost. 16450 mode: it overwrites RBR.
      if (!this.fifoEnabled) this.rxFifo[0] = value;
    }
  }

  private writeFcr(value: number): void {
    const enable = (value & FCR_ENABLE_FIFO) !== 0;
    if (enable !== this.fifoEnabled) {
      // Switching between FIFO and 16450 mode clears both FIFOs.
      this.fifoEnabled = enable;
      this.rxFifo = [];
    }
    // The other FCR bits are programmed only when bit 0 is set in the same write.
    if (enable) {
      this.rxTriggerLevel = RX_TRIGGER_LEVELS[(value >>> FCR_TRIGGER_SHIFT) & 3]!;
      if (value & FCR_CLEAR_RX) this.rxFifo = [];
      // FCR bit 2 (XMIT FIFO reset): transmission is instant, so there is nothing to clear.
    }
    this.refillRx();
  }

  private writeMcr(value: number): void {
    const before = this.modemInputs();
    this.mcr = value;
    const after = this.modemInputs();
    const changed = before ^ after;
    if (changed & MSR_CTS) this.msrDeltas |= MSR_DCTS;
    if (changed & MSR_DSR) this.msrDeltas |= MSR_DDSR;
    if (before & MSR_RI && !(after & MSR_RI)) this.msrDeltas |= MSR_TERI; // trailing edge only
    if (changed & MSR_DCD) this.msrDeltas |= MSR_DDCD;
    this.refillRx(); // leaving loopback reconnects the host input
  }

  /** MSR bits 4-7: mirrored from MCR in loopback, a connected terminal otherwise. */
  private modemInputs(): number {
    if (!this.loopback) return MSR_CONNECTED;
    return (
      (this.mcr & MCR_RTS ? MSR_CTS : 0) |
      (this.mcr & MCR_DTR ? MSR_DSR : 0) |
      (this.mcr & MCR_OUT1 ? MSR_RI : 0) |
      (this.mcr & MCR_OUT2 ? MSR_DCD : 0)
    );
  }

  /** Move host input into the RX FIFO while there is room (not in loopback: SIN is cut off). */
  private refillRx(): void {
    if (this.loopback) return;
    const cap = this.rxCapacity;
    while (this.rxFifo.length < cap && this.hostHead < this.hostQueue.length) {
      this.rxFifo.push(this.hostQueue[this.hostHead++]!);
    }
    if (this.hostHead === this.hostQueue.length) {
      this.hostQueue = [];
      this.hostHead = 0;
    } else if (this.hostHead >= 4096 && this.hostHead * 2 >= this.hostQueue.length) {
      this.hostQueue = this.hostQueue.slice(this.hostHead); // compact a long paste's consumed head
      this.hostHead = 0;
    }
  }

  private updateIrq(): void {
    const level = (this.mcr & MCR_OUT2) !== 0 && this.pendingInterrupt() !== IIR_NO_INT;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }
}
