// The PC real-time clock and CMOS RAM: a Motorola MC146818A (as in the IBM AT; Dallas DS12887 is
// the later drop-in), 128 bytes behind an index port (offset 0) and a data port (offset 1).
//
// Invariants:
// - Time is never stored while the clock runs: guest time = `clock.nowMs() + offsetMs` (UTC), and
//   the time registers are computed from it on every read, in BCD or binary (register B DM) and in
//   12- or 24-hour form (register B 24/12). Day of week (Sunday = 1) is, as on the chip, a counter
//   of its own that advances at midnight: it is the date's weekday plus `weekdayAdjust`, and a
//   guest write to the date leaves it unchanged (only a write to register 6 changes it).
// - The clock is stopped while register B SET is 1 or register A DV2-0 hold the divider in reset
//   (11x). On stopping, the current time is latched into the RAM bytes of the time registers (in
//   the format in force before the write that stopped it); while stopped, the guest reads and
//   writes those bytes as plain RAM; on restarting, they are parsed (in the format then in force)
//   and become the new `offsetMs`. Values out of range (hour 25, day 31 of February) are
//   normalized by calendar arithmetic, not kept as written.
// - The divider phase (where in the second the clock is) is `(now + offsetMs) mod 1000`. SET keeps
//   the phase running, so after SET is cleared the next update comes at the next divider second
//   boundary; releasing a divider reset restarts the phase so the first update comes 500 ms later
//   (MC146818A datasheet, "Divider Reset"). A guest write to a time register while the clock runs
//   changes only that field and keeps the phase.
// - Interrupt flags (register C) are brought up to date on every data-port access and on `tick()`:
//   UF if a second boundary passed, AF if a boundary passed at which the alarm matched (at most the
//   last 24 hours of boundaries are checked), PF if a periodic boundary (rate from register A
//   RS3-0, counted on the divider phase) passed. Flags are set whether or not they are enabled;
//   IRQF = (PF & PIE) | (AF & AIE) | (UF & UIE) and the IRQ line follows IRQF. Reading C clears
//   all flags, which lowers the line. The VMM calls `tick()` at `nextDeadlineMs()`.
// - UIP (register A bit 7) reads 1 during the last 244 µs before each second boundary while the
//   clock runs. The window is sub-millisecond, so the injected clock should have sub-millisecond
//   resolution (performance.timeOrigin + performance.now()); with whole milliseconds UIP never reads 1.
// - Only divider setting 010 (32.768 kHz time base) is modelled: any DV value other than 11x runs
//   the clock at the normal rate. DSE (daylight saving) and SQWE are stored but have no effect.
// - CMOS RAM (0x0E-0x7F, except the century byte 0x32) is plain storage. The memory-size bytes
//   and their checksum are written once at construction; guest writes do not refresh the checksum.
// - Offset 0 (the index port) is write-only on the PC: reads return 0xFF. Wide accesses act as
//   byte accesses on the low byte.

import type { AccessSize, BusDevice, IrqLine } from "../vmm/device";

/** Wall-clock time, for the RTC. */
export interface Clock {
  /** Milliseconds since 1970-01-01T00:00:00Z; may be fractional, should not go backwards. */
  nowMs(): number;
}

// Port offsets (IBM AT Technical Reference: 0x70 = CMOS address, 0x71 = CMOS data).
const PORT_INDEX = 0;
const PORT_DATA = 1;

const INDEX_MASK = 0x7f; // bits 0-6 select one of 128 bytes
const INDEX_NMI_DISABLE = 0x80; // IBM AT Technical Reference, port 0x70 bit 7: 1 = NMI masked

// Register indexes (MC146818A datasheet, Figure "Address Map"; 0x32 is the IBM AT century byte).
const REG_SECONDS = 0x00;
const REG_SECONDS_ALARM = 0x01;
const REG_MINUTES = 0x02;
const REG_MINUTES_ALARM = 0x03;
const REG_HOURS = 0x04;
const REG_HOURS_ALARM = 0x05;
const REG_DAY_OF_WEEK = 0x06;
const REG_DAY_OF_MONTH = 0x07;
const REG_MONTH = 0x08;
const REG_YEAR = 0x09;
const REG_A = 0x0a;
const REG_B = 0x0b;
const REG_C = 0x0c;
const REG_D = 0x0d;
const REG_CENTURY = 0x32; // IBM AT Technical Reference, CMOS 0x32: century in BCD
/** The bytes that make up the time of day and date. */
const TIME_REGISTERS = [
  REG_SECONDS, REG_MINUTES, REG_HOURS, REG_DAY_OF_WEEK, REG_DAY_OF_MONTH, REG_MONTH, REG_YEAR, REG_CENTURY,
] as const;

const REGA_UIP = 0x80; // MC146818A datasheet, register A bit 7: update in progress (read-only)
const REGA_DV_MASK = 0x70; // MC146818A datasheet, register A bits 6-4: divider DV2-0
const REGA_DV_RESET = 0x60; // MC146818A datasheet, DV2-0 = 11x: divider held in reset
const REGA_RS_MASK = 0x0f; // MC146818A datasheet, register A bits 3-0: periodic rate RS3-0
const REGA_WRITABLE = REGA_DV_MASK | REGA_RS_MASK;

const REGB_SET = 0x80; // MC146818A datasheet, register B bit 7: inhibit updates to set the time
const REGB_PIE = 0x40; // MC146818A datasheet, register B bit 6: periodic interrupt enable
const REGB_AIE = 0x20; // MC146818A datasheet, register B bit 5: alarm interrupt enable
const REGB_UIE = 0x10; // MC146818A datasheet, register B bit 4: update-ended interrupt enable
const REGB_DM = 0x04; // MC146818A datasheet, register B bit 2: data mode, 1 = binary, 0 = BCD
const REGB_24H = 0x02; // MC146818A datasheet, register B bit 1: 1 = 24-hour, 0 = 12-hour
// Bit 3 SQWE and bit 0 DSE are stored only.

const REGC_IRQF = 0x80; // MC146818A datasheet, register C bit 7: an enabled flag is set
const REGC_PF = 0x40; // MC146818A datasheet, register C bit 6: periodic interrupt flag
const REGC_AF = 0x20; // MC146818A datasheet, register C bit 5: alarm interrupt flag
const REGC_UF = 0x10; // MC146818A datasheet, register C bit 4: update-ended interrupt flag
const REGC_FLAGS = REGC_PF | REGC_AF | REGC_UF; // same bit positions as PIE, AIE, UIE in register B

const REGD_VRT = 0x80; // MC146818A datasheet, register D bit 7: valid RAM and time (battery good)

const HOUR_PM = 0x80; // MC146818A datasheet, hours byte bit 7 in 12-hour mode: 1 = PM
const ALARM_DONT_CARE = 0xc0; // MC146818A datasheet: alarm byte 11xxxxxx matches any value

/** Power-on values as the BIOS leaves them: 32.768 kHz divider with 1024 Hz periodic rate. */
const REGA_DEFAULT = 0x26;
/** 24-hour, BCD, no interrupts (IBM AT BIOS default). */
const REGB_DEFAULT = REGB_24H;

const UIP_WINDOW_MS = 0.244; // MC146818A datasheet: UIP rises 244 µs before the update cycle
const MS_PER_SECOND = 1000;
const SECONDS_PER_DAY = 86400;
/** Divider restart: the first update cycle begins 500 ms after DV2-0 leave reset. */
const DIVIDER_RESTART_PHASE_MS = 500;

// CMOS RAM layout (IBM AT Technical Reference, "CMOS RAM Address Map").
const CMOS_FLOPPY_TYPES = 0x10; // drive types A/B, 0 = none
const CMOS_DISK_TYPES = 0x12; // fixed disk types C/D, 0 = none
const CMOS_EQUIPMENT = 0x14;
const CMOS_BASE_MEM_LO = 0x15; // base memory in KiB
const CMOS_BASE_MEM_HI = 0x16;
const CMOS_EXT_MEM_LO = 0x17; // memory above 1 MiB in KiB
const CMOS_EXT_MEM_HI = 0x18;
const CMOS_CHECKSUM_FIRST = 0x10; // checksum covers 0x10-0x2D
const CMOS_CHECKSUM_LAST = 0x2d;
const CMOS_CHECKSUM_HI = 0x2e; // big-endian 16-bit sum
const CMOS_CHECKSUM_LO = 0x2f;
const CMOS_EXT_MEM2_LO = 0x30; // copy of 0x17/0x18 (set by POST on the AT)
const CMOS_EXT_MEM2_HI = 0x31;
const CMOS_HIGH_MEM_LO = 0x34; // memory above 16 MiB in 64 KiB units (AMI/Phoenix convention)
const CMOS_HIGH_MEM_HI = 0x35;

const EQUIPMENT_FPU = 0x02; // IBM AT Technical Reference, CMOS 0x14 bit 1: math coprocessor present
// Bits 5-4 = 00: primary display has its own BIOS (EGA/VGA). Bit 0 = 0: no floppy drives.

const KIB = 1024;
const MIB = 1024 * KIB;
const BASE_MEMORY_KIB = 640;
const HIGH_MEMORY_UNIT = 64 * KIB;

const CMOS_SIZE = 128;

/** Snapshot of a {@link CmosRtc}: plain data, JSON-serializable. */
export interface CmosRtcState {
  version: 1;
  /** Index register bits 0-6. */
  index: number;
  /** Index register bit 7. */
  nmiMasked: boolean;
  /** All 128 bytes. Time bytes are meaningful only while the clock is stopped; 0x0A-0x0D unused. */
  ram: number[];
  /** Register A bits 0-6 (UIP is computed). */
  regA: number;
  regB: number;
  /** Register C flag bits PF, AF, UF (IRQF is computed). */
  regC: number;
  /** Guest time minus host time, in ms (meaningful for the phase even while stopped). */
  offsetMs: number;
  /** Days added to the date-derived weekday, 0-6. */
  weekdayAdjust: number;
  /** Host time up to which interrupt flags have been computed. */
  eventsCheckedMs: number;
}

/** Construction options for {@link CmosRtc}. */
export interface CmosRtcOptions {
  /** Bus name; defaults to "cmos-rtc". */
  name?: string;
  /** Wall time (UTC). */
  clock: Clock;
  /** The interrupt line (IRQ 8 on a PC). */
  irq: IrqLine;
  /** Guest RAM size in bytes, for the CMOS memory-size bytes. */
  memorySize: number;
  /** Report a math coprocessor in the equipment byte; defaults to true. */
  fpuPresent?: boolean;
}

/** Time-of-day fields of the guest clock, in natural units (month 1-12, weekday 1-7 with Sunday = 1). */
interface TimeFields {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** An MC146818A RTC with 128 bytes of CMOS RAM, driven by an injected clock. */
export class CmosRtc implements BusDevice {
  readonly name: string;
  private readonly clock: Clock;
  private readonly irq: IrqLine;
  private ram = new Uint8Array(CMOS_SIZE);
  private index = 0;
  private nmiDisabled = false;
  private regA = REGA_DEFAULT;
  private regB = REGB_DEFAULT;
  private regC = 0;
  private offsetMs = 0;
  private weekdayAdjust = 0;
  private eventsCheckedMs: number;
  private irqLevel: boolean | undefined = undefined;

  constructor(options: CmosRtcOptions) {
    this.name = options.name ?? "cmos-rtc";
    this.clock = options.clock;
    this.irq = options.irq;
    const size = options.memorySize;
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`${this.name}: bad memorySize ${String(size)}`);
    this.writeMemorySize(size, options.fpuPresent ?? true);
    this.eventsCheckedMs = this.clock.nowMs();
    this.updateIrq();
  }

  /** Index register bit 7: the guest asked for NMIs to be masked. */
  get nmiMasked(): boolean {
    return this.nmiDisabled;
  }

  /** Bring the interrupt flags up to the injected clock's time and drive the IRQ line. */
  tick(): void {
    this.catchUp(this.clock.nowMs());
    this.updateIrq();
  }

  /**
   * Host time (as `Clock.nowMs`) of the next event that would set an enabled interrupt flag, or
   * null if no interrupt is enabled or the clock cannot produce one. Call `tick()` then.
   */
  nextDeadlineMs(): number | null {
    const now = this.clock.nowMs();
    let next: number | null = null;
    const period = this.periodMs();
    if (this.regB & REGB_PIE && period !== null) {
      next = this.hostTimeOf((Math.floor(this.phaseTime(now) / period) + 1) * period);
    }
    if (this.regB & (REGB_UIE | REGB_AIE) && !this.stopped) {
      const boundary = this.hostTimeOf((Math.floor(this.phaseTime(now) / MS_PER_SECOND) + 1) * MS_PER_SECOND);
      if (next === null || boundary < next) next = boundary;
    }
    return next;
  }

  /** Offset 0 is write-only (reads 0xFF); offset 1 reads the selected byte. Wide reads act as byte reads. */
  read(offset: number, _size: AccessSize): number {
    if (offset !== PORT_DATA) return 0xff;
    const now = this.clock.nowMs();
    this.catchUp(now);
    const value = this.readByte(this.index, now);
    this.updateIrq();
    return value;
  }

  /** Offset 0 selects a byte (bit 7 masks NMI); offset 1 writes it. Wide writes use the low byte. */
  write(offset: number, _size: AccessSize, value: number): void {
    const v = value & 0xff;
    if (offset === PORT_INDEX) {
      this.index = v & INDEX_MASK;
      this.nmiDisabled = (v & INDEX_NMI_DISABLE) !== 0;
      return;
    }
    if (offset !== PORT_DATA) return;
    const now = this.clock.nowMs();
    this.catchUp(now);
    this.writeByte(this.index, v, now);
    this.updateIrq();
  }

  /** A snapshot of the device (copies; safe to JSON.stringify). */
  getState(): CmosRtcState {
    return {
      version: 1,
      index: this.index,
      nmiMasked: this.nmiDisabled,
      ram: Array.from(this.ram),
      regA: this.regA,
      regB: this.regB,
      regC: this.regC,
      offsetMs: this.offsetMs,
      weekdayAdjust: this.weekdayAdjust,
      eventsCheckedMs: this.eventsCheckedMs,
    };
  }

  /** Restore a snapshot from {@link getState}; throws on a malformed one. Drives the IRQ line. */
  setState(s: CmosRtcState): void {
    if (s === null || typeof s !== "object" || s.version !== 1) throw new Error(`${this.name}: unsupported state`);
    const int = (field: "index" | "regA" | "regB" | "regC" | "weekdayAdjust", mask: number, max = mask): number => {
      const v = s[field];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max || (v & ~mask) !== 0) {
        throw new Error(`${this.name}: bad state field ${field}: ${String(v)}`);
      }
      return v;
    };
    const finite = (field: "offsetMs" | "eventsCheckedMs"): number => {
      const v = s[field];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${this.name}: bad state field ${field}`);
      return v;
    };
    if (
      !Array.isArray(s.ram) || s.ram.length !== CMOS_SIZE ||
      !s.ram.every((b) => Number.isInteger(b) && b >= 0 && b <= 0xff)
    ) {
      throw new Error(`${this.name}: bad state field ram`);
    }
    if (typeof s.nmiMasked !== "boolean") throw new Error(`${this.name}: bad state field nmiMasked`);
    this.index = int("index", INDEX_MASK);
    this.regA = int("regA", REGA_WRITABLE);
    this.regB = int("regB", 0xff);
    this.regC = int("regC", REGC_FLAGS);
    this.weekdayAdjust = int("weekdayAdjust", 7, 6);
    this.offsetMs = finite("offsetMs");
    this.eventsCheckedMs = finite("eventsCheckedMs");
    this.nmiDisabled = s.nmiMasked;
    this.ram = Uint8Array.from(s.ram);
    this.irqLevel = undefined; // force the line to be driven
    this.updateIrq();
  }

  // ---- register access ----

  private readByte(index: number, now: number): number {
    switch (index) {
      case REG_A:
        return this.regA | (this.updateImminent(now) ? REGA_UIP : 0);
      case REG_B:
        return this.regB;
      case REG_C: {
        const value = this.regC | (this.irqf ? REGC_IRQF : 0);
        this.regC = 0; // MC146818A datasheet: all register C bits clear on read
        return value;
      }
      case REG_D:
        return REGD_VRT;
      default:
        if (!this.stopped && isTimeRegister(index)) return this.encodeTime(this.fieldsAt(now))[index]!;
        return this.ram[index]!;
    }
  }

  private writeByte(index: number, value: number, now: number): void {
    switch (index) {
      case REG_A:
        this.setControl(value & REGA_WRITABLE, this.regB, now);
        break;
      case REG_B:
        // MC146818A datasheet, register B: setting SET clears UIE.
        this.setControl(this.regA, value & REGB_SET ? value & ~REGB_UIE : value, now);
        break;
      case REG_C:
      case REG_D:
        break; // read-only
      default:
        if (!this.stopped && isTimeRegister(index)) {
          // Running: change one field, keep the rest and the phase within the second.
          const bytes = this.encodeTime(this.fieldsAt(now));
          bytes[index] = value;
          this.startFrom(bytes, this.phaseMs(now), now);
        } else {
          this.ram[index] = value;
        }
    }
  }

  /** Apply new values of registers A and B, latching or restarting the clock on a stop/run change. */
  private setControl(regA: number, regB: number, now: number): void {
    const wasStopped = this.stopped;
    const wasDividerReset = this.dividerReset;
    const willStop = (regB & REGB_SET) !== 0 || (regA & REGA_DV_RESET) === REGA_DV_RESET;
    if (!wasStopped && willStop) {
      const bytes = this.encodeTime(this.fieldsAt(now)); // latched in the format before this write
      for (const i of TIME_REGISTERS) this.ram[i] = bytes[i]!;
    }
    this.regA = regA;
    this.regB = regB;
    if (wasDividerReset && !this.dividerReset) {
      this.offsetMs = DIVIDER_RESTART_PHASE_MS - now; // only the phase matters until the clock runs
    }
    if (wasStopped && !this.stopped) this.startFrom(this.ram, this.phaseMs(now), now);
  }

  // ---- time keeping ----

  /** SET or a divider reset: the time registers are RAM and no update cycles happen. */
  private get stopped(): boolean {
    return (this.regB & REGB_SET) !== 0 || this.dividerReset;
  }

  private get dividerReset(): boolean {
    return (this.regA & REGA_DV_RESET) === REGA_DV_RESET;
  }

  private get irqf(): boolean {
    return (this.regC & this.regB & REGC_FLAGS) !== 0;
  }

  /** The divider's running time in ms: guest time while the clock runs; only its phase matters otherwise. */
  private phaseTime(now: number): number {
    return now + this.offsetMs;
  }

  /** Milliseconds into the current second, 0 <= phase < 1000. */
  private phaseMs(now: number): number {
    const t = this.phaseTime(now);
    return t - Math.floor(t / MS_PER_SECOND) * MS_PER_SECOND;
  }

  /** The earliest host time whose phase time is at least `t` (guards against rounding). */
  private hostTimeOf(t: number): number {
    let host = t - this.offsetMs;
    for (let i = 0; i < 8 && host + this.offsetMs < t; i++) host += Math.max(Math.abs(host) * Number.EPSILON, 1e-9);
    return host;
  }

  private updateImminent(now: number): boolean {
    return !this.stopped && this.phaseMs(now) >= MS_PER_SECOND - UIP_WINDOW_MS;
  }

  /** Periodic interrupt period in ms for register A RS3-0 (32.768 kHz time base), or null if off. */
  private periodMs(): number | null {
    const rs = this.regA & REGA_RS_MASK;
    if (rs === 0 || this.dividerReset) return null;
    // MC146818A datasheet, "Periodic Interrupt Rate": RS 1 and 2 give 256 and 128 Hz like RS 8 and 9;
    // RS 3-15 give 65536 >> RS Hz (8192 Hz down to 2 Hz).
    const hz = rs < 3 ? 65536 >> (rs + 7) : 65536 >> rs;
    return MS_PER_SECOND / hz;
  }

  /** Set PF, UF and AF for the boundaries passed between the last check and `now`. */
  private catchUp(now: number): void {
    const from = this.eventsCheckedMs;
    this.eventsCheckedMs = now;
    if (!(now > from)) return; // no time passed (or the host clock stepped back)
    const period = this.periodMs();
    if (period !== null && Math.floor(this.phaseTime(now) / period) > Math.floor(this.phaseTime(from) / period)) {
      this.regC |= REGC_PF;
    }
    if (this.stopped) return;
    const lastSecond = Math.floor(this.phaseTime(now) / MS_PER_SECOND);
    const prevSecond = Math.floor(this.phaseTime(from) / MS_PER_SECOND);
    if (lastSecond <= prevSecond) return;
    this.regC |= REGC_UF;
    // A day of boundaries covers every alarm setting; older ones cannot add anything.
    for (let s = Math.max(prevSecond + 1, lastSecond - SECONDS_PER_DAY + 1); s <= lastSecond; s++) {
      if (this.alarmMatches(s)) {
        this.regC |= REGC_AF;
        break;
      }
    }
  }

  /** Whether the alarm bytes match the time at the start of guest second `s` (raw byte compare). */
  private alarmMatches(s: number): boolean {
    const secondOfDay = ((s % SECONDS_PER_DAY) + SECONDS_PER_DAY) % SECONDS_PER_DAY;
    const match = (alarm: number, current: number) => (alarm & ALARM_DONT_CARE) === ALARM_DONT_CARE || alarm === current;
    return (
      match(this.ram[REG_SECONDS_ALARM]!, this.encode(secondOfDay % 60)) &&
      match(this.ram[REG_MINUTES_ALARM]!, this.encode(Math.floor(secondOfDay / 60) % 60)) &&
      match(this.ram[REG_HOURS_ALARM]!, this.encodeHours(Math.floor(secondOfDay / 3600)))
    );
  }

  /** The guest's calendar time at host time `now`. */
  private fieldsAt(now: number): TimeFields {
    const d = new Date(Math.floor(this.phaseTime(now) / MS_PER_SECOND) * MS_PER_SECOND);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: ((d.getUTCDay() + this.weekdayAdjust) % 7) + 1,
      hours: d.getUTCHours(),
      minutes: d.getUTCMinutes(),
      seconds: d.getUTCSeconds(),
    };
  }

  /** The time registers for `f` in the current data mode and hour format, indexed by register. */
  private encodeTime(f: TimeFields): Uint8Array {
    const bytes = new Uint8Array(CMOS_SIZE);
    bytes[REG_SECONDS] = this.encode(f.seconds);
    bytes[REG_MINUTES] = this.encode(f.minutes);
    bytes[REG_HOURS] = this.encodeHours(f.hours);
    bytes[REG_DAY_OF_WEEK] = this.encode(f.weekday);
    bytes[REG_DAY_OF_MONTH] = this.encode(f.day);
    bytes[REG_MONTH] = this.encode(f.month);
    bytes[REG_YEAR] = this.encode(((f.year % 100) + 100) % 100);
    bytes[REG_CENTURY] = this.encode(Math.floor(f.year / 100) & 0xff);
    return bytes;
  }

  /** Restart the clock from the time bytes in `bytes` (current format), `phase` ms into that second. */
  private startFrom(bytes: Uint8Array, phase: number, now: number): void {
    const hourByte = bytes[REG_HOURS]!;
    let hours: number;
    if (this.regB & REGB_24H) {
      hours = this.decode(hourByte);
    } else {
      hours = (this.decode(hourByte & ~HOUR_PM) % 12) + (hourByte & HOUR_PM ? 12 : 0);
    }
    const d = new Date(0);
    d.setUTCFullYear(
      this.decode(bytes[REG_CENTURY]!) * 100 + this.decode(bytes[REG_YEAR]!),
      this.decode(bytes[REG_MONTH]!) - 1,
      this.decode(bytes[REG_DAY_OF_MONTH]!),
    );
    d.setUTCHours(hours, this.decode(bytes[REG_MINUTES]!), this.decode(bytes[REG_SECONDS]!), 0);
    const ms = d.getTime();
    if (Number.isNaN(ms)) return; // outside Date's range: keep the old time
    this.offsetMs = ms + phase - now;
    const weekday = this.decode(bytes[REG_DAY_OF_WEEK]!);
    if (weekday >= 1 && weekday <= 7) this.weekdayAdjust = (((weekday - 1 - d.getUTCDay()) % 7) + 7) % 7;
  }

  private encode(v: number): number {
    if (this.regB & REGB_DM) return v & 0xff;
    return ((Math.floor(v / 10) % 10) << 4) | (v % 10);
  }

  private decode(b: number): number {
    return this.regB & REGB_DM ? b : (b >> 4) * 10 + (b & 0x0f);
  }

  /** Hours 0-23 in the current format: 12-hour mode gives 12, 1-11 with bit 7 = PM. */
  private encodeHours(h: number): number {
    if (this.regB & REGB_24H) return this.encode(h);
    return this.encode(h % 12 === 0 ? 12 : h % 12) | (h >= 12 ? HOUR_PM : 0);
  }

  // ---- CMOS RAM ----

  private writeMemorySize(size: number, fpuPresent: boolean): void {
    const cap = (v: number) => Math.min(Math.max(Math.floor(v), 0), 0xffff);
    const base = Math.min(BASE_MEMORY_KIB, Math.floor(size / KIB));
    const extended = cap((size - MIB) / KIB);
    const high = cap((size - 16 * MIB) / HIGH_MEMORY_UNIT);
    const r = this.ram;
    r[CMOS_FLOPPY_TYPES] = 0;
    r[CMOS_DISK_TYPES] = 0;
    r[CMOS_EQUIPMENT] = fpuPresent ? EQUIPMENT_FPU : 0;
    r[CMOS_BASE_MEM_LO] = base & 0xff;
    r[CMOS_BASE_MEM_HI] = base >> 8;
    r[CMOS_EXT_MEM_LO] = r[CMOS_EXT_MEM2_LO] = extended & 0xff;
    r[CMOS_EXT_MEM_HI] = r[CMOS_EXT_MEM2_HI] = extended >> 8;
    r[CMOS_HIGH_MEM_LO] = high & 0xff;
    r[CMOS_HIGH_MEM_HI] = high >> 8;
    let sum = 0;
    for (let i = CMOS_CHECKSUM_FIRST; i <= CMOS_CHECKSUM_LAST; i++) sum += r[i]!;
    r[CMOS_CHECKSUM_HI] = (sum >> 8) & 0xff;
    r[CMOS_CHECKSUM_LO] = sum & 0xff;
  }

  private updateIrq(): void {
    const level = this.irqf;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }
}

function isTimeRegister(index: number): boolean {
  return (TIME_REGISTERS as readonly number[]).includes(index);
}
