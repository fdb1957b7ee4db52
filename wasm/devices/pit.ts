// The 8254 programmable interval timer (ports 0x40-0x43) and port 0x61 (channel 2 gate and
// output, speaker enable, refresh toggle) — an in-worker device. Facts from the Intel 8254
// datasheet. Counters are computed from the shared clock (1.193182 MHz input), not ticked:
// reading a counter or the OUT pin derives it from the time since the count was loaded.
// Channel 0 drives IRQ 0: the run loop calls pitPoll() often, which raises the IRQ edge when a
// period (modes 2, 3) or the terminal count (modes 0, 4) has passed; pitNextDeadline() tells a
// halted vCPU how long it may sleep. Lost ticks are re-injected ("delay" policy, as KVM's PIT
// does): a period that ends while the previous IRQ 0 is still unacknowledged is owed and raised
// as soon as the PIC has taken the previous one, so the guest's jiffies keep up with wall time.
// At most MAX_OWED_TICKS are owed (a paused VM does not come back to an interrupt storm).
// State lives in named fields after the PIC's (snapshot-able).

import { PIC_STATE, PIC_STATE_SIZE, picSetIrq, picIrqRequested } from "./pic";
import { nowNanos } from "../cpu/clock";

/** PIT input clock (Hz). */
const PIT_HZ: f64 = 1193182.0;
const NS_PER_TICK: f64 = 1e9 / PIT_HZ;

const CH_SIZE: u32 = 64;
// Per-channel fields (byte offsets in the channel's block).
const C_MODE: u32 = 0; // u8 0-5
const C_RW: u32 = 1; // u8 access mode: 1 LSB, 2 MSB, 3 LSB then MSB
const C_BCD: u32 = 2; // u8
const C_GATE: u32 = 3; // u8
const C_WRITE_MSB_NEXT: u32 = 4; // u8 the next write is the MSB (access mode 3)
const C_READ_MSB_NEXT: u32 = 5; // u8 the next read is the MSB
const C_LATCHED: u32 = 6; // u8 a count latch is held (0, 1 = LSB next, 2 = MSB next... see read)
const C_STATUS_LATCHED: u32 = 7; // u8
const C_STATUS: u32 = 8; // u8 latched status byte
const C_ARMED: u32 = 9; // u8 counting (a count was written; gate allows)
const C_RELOAD: u32 = 12; // u32 count written (0 means 65536)
const C_LATCH_VALUE: u32 = 16; // u32 latched count
const C_PENDING_LSB: u32 = 20; // u32 LSB written, waiting for the MSB
const C_START: u32 = 24; // f64 ns when counting started
const C_PAUSED_AT: u32 = 32; // f64 ticks already counted when the gate went low (modes 0, 4)
const C_NEXT_IRQ: u32 = 40; // f64 ns of the next IRQ-0 edge (channel 0), or Infinity
/** Port 0x61 bits written by the guest. */
const P61: u32 = 3 * CH_SIZE;

export const PIT_STATE: u32 = PIC_STATE + PIC_STATE_SIZE;
export const PIT_STATE_SIZE: u32 = 3 * CH_SIZE + 16;

@inline function a(ch: u32, field: u32): u32 { return PIT_STATE + ch * CH_SIZE + field; }
@inline function g8(ch: u32, field: u32): u32 { return load<u8>(a(ch, field)); }
@inline function s8(ch: u32, field: u32, v: u32): void { store<u8>(a(ch, field), <u8>v); }

export function pitReset(): void {
  memory.fill(PIT_STATE, 0, PIT_STATE_SIZE);
  for (let ch: u32 = 0; ch < 3; ch++) {
    s8(ch, C_GATE, ch == 2 ? 0 : 1); // channel 2's gate is port 0x61 bit 0; 0 and 1 are tied high
    s8(ch, C_RW, 3);
    store<f64>(a(ch, C_NEXT_IRQ), Infinity);
  }
  nextDeadline = Infinity;
  owedTicks = 0;
}

/** The earliest time (ns) at which pitPoll() will raise IRQ 0, or Infinity. */
let nextDeadline: f64 = Infinity;
export function pitNextDeadline(): f64 { return owedTicks > 0 && !picIrqRequested(0) ? 0 : nextDeadline; }

@inline function reloadTicks(ch: u32): f64 {
  const r = load<u32>(a(ch, C_RELOAD));
  return r == 0 ? 65536.0 : <f64>r;
}
/** Ticks counted since the count was loaded (frozen while the gate is low in modes 0/4). */
function elapsedTicks(ch: u32, now: f64): f64 {
  if (g8(ch, C_ARMED) == 0) return 0;
  const mode = g8(ch, C_MODE);
  if (g8(ch, C_GATE) == 0 && (mode == 0 || mode == 4)) return load<f64>(a(ch, C_PAUSED_AT));
  return Math.floor((now - load<f64>(a(ch, C_START))) / NS_PER_TICK);
}

/** The counting element's value now. */
function countNow(ch: u32, now: f64): u32 {
  const n = reloadTicks(ch);
  const t = elapsedTicks(ch, now);
  const mode = g8(ch, C_MODE);
  if (g8(ch, C_ARMED) == 0) return load<u32>(a(ch, C_RELOAD)) & 0xffff;
  switch (mode) {
    case 2: return <u32>(n - (t % n)) & 0xffff; // N .. 1
    case 3: { // counts down by two, twice per period
      const half = Math.floor(n / 2);
      const inPeriod = t % n;
      const v = inPeriod < Math.ceil(n / 2) ? n - 2 * inPeriod : n - 2 * (inPeriod - Math.ceil(n / 2));
      return <u32>(v <= 0 ? half : v) & 0xfffe;
    }
    default: { // 0, 1, 4, 5: N down to 0, then wraps through 0xFFFF
      const v = (n - t) % 65536.0;
      return <u32>(v < 0 ? v + 65536.0 : v) & 0xffff;
    }
  }
}

/** The OUT pin now. */
function outNow(ch: u32, now: f64): bool {
  const mode = g8(ch, C_MODE);
  if (g8(ch, C_ARMED) == 0) return mode != 0; // mode 0 starts low when programmed
  const n = reloadTicks(ch);
  const t = elapsedTicks(ch, now);
  switch (mode) {
    case 0: case 1: return t >= n; // high at terminal count, stays high
    case 2: return (t % n) != n - 1; // low for one tick before each reload
    case 3: return (t % n) < Math.ceil(n / 2); // high for the first half
    default: return t != n; // 4, 5: low for one tick at terminal count
  }
}

function start(ch: u32, now: f64): void {
  s8(ch, C_ARMED, 1);
  store<f64>(a(ch, C_START), now);
  store<f64>(a(ch, C_PAUSED_AT), 0);
  if (ch == 0) scheduleIrq(now);
}

/** Channel 0: when the next rising edge of OUT (an IRQ 0) happens. */
function scheduleIrq(now: f64): void {
  let next: f64 = Infinity;
  if (g8(0, C_ARMED) != 0) {
    const n = reloadTicks(0);
    const startNs = load<f64>(a(0, C_START));
    const t = elapsedTicks(0, now);
    const mode = g8(0, C_MODE);
    if (mode == 2 || mode == 3) {
      // Edges every N ticks (mode 2 after the low tick; mode 3 at the start of each period).
      const k = Math.floor(t / n) + 1;
      next = startNs + k * n * NS_PER_TICK;
    } else if ((mode == 0 || mode == 4) && t < n) {
      next = startNs + n * NS_PER_TICK;
    }
  }
  store<f64>(a(0, C_NEXT_IRQ), next);
  nextDeadline = next;
}

const MAX_OWED_TICKS: u32 = 200;
let owedTicks: u32 = 0;

/** Raise IRQ 0 if its time has come. Called by the run loop every few hundred instructions. */
export function pitPoll(now: f64): void {
  if (owedTicks > 0 && !picIrqRequested(0)) {
    owedTicks--;
    picSetIrq(0, true);
    picSetIrq(0, false);
  }
  if (now < nextDeadline) return;
  const mode = g8(0, C_MODE);
  if (mode == 0 || mode == 4) {
    store<f64>(a(0, C_NEXT_IRQ), Infinity);
    nextDeadline = Infinity;
    tick();
    return;
  }
  // Periodic: every period that ended since the last edge is one tick.
  const period = reloadTicks(0) * NS_PER_TICK;
  const periods = Math.floor((now - nextDeadline) / period) + 1;
  for (let i: f64 = 0; i < periods && owedTicks < MAX_OWED_TICKS; i++) tick();
  scheduleIrq(now);
}
function tick(): void {
  if (picIrqRequested(0)) { if (owedTicks < MAX_OWED_TICKS) owedTicks++; return; }
  picSetIrq(0, true);
  picSetIrq(0, false);
}

export function pitRead(port: u32): u32 {
  const now = nowNanos();
  if (port == 0x61) {
    let v = load<u8>(PIT_STATE + P61) & 0x3;
    if (Math.floor(now / 15085.0) % 2 == 1) v |= 0x10; // DRAM refresh toggle, ~15 µs
    if (outNow(2, now)) v |= 0x20;
    return v;
  }
  if (port == 0x43) return 0xff; // the control word register is write-only
  const ch = port - 0x40;
  if (g8(ch, C_STATUS_LATCHED) != 0) {
    s8(ch, C_STATUS_LATCHED, 0);
    return g8(ch, C_STATUS);
  }
  let value: u32;
  const latched = g8(ch, C_LATCHED);
  if (latched != 0) value = load<u32>(a(ch, C_LATCH_VALUE));
  else value = countNow(ch, now);
  if (g8(ch, C_BCD) != 0) value = toBcd(value);
  const rw = g8(ch, C_RW);
  let byte: u32;
  if (rw == 1) { byte = value & 0xff; s8(ch, C_LATCHED, 0); }
  else if (rw == 2) { byte = (value >> 8) & 0xff; s8(ch, C_LATCHED, 0); }
  else {
    const msb = g8(ch, C_READ_MSB_NEXT) != 0;
    byte = msb ? (value >> 8) & 0xff : value & 0xff;
    s8(ch, C_READ_MSB_NEXT, msb ? 0 : 1);
    if (msb) s8(ch, C_LATCHED, 0);
  }
  return byte;
}

export function pitWrite(port: u32, v: u32): void {
  v &= 0xff;
  const now = nowNanos();
  if (port == 0x61) {
    const old = load<u8>(PIT_STATE + P61);
    store<u8>(PIT_STATE + P61, <u8>(v & 0x3));
    setGate2((v & 1) != 0, (old & 1) != 0, now);
    return;
  }
  if (port == 0x43) { control(v, now); return; }
  const ch = port - 0x40;
  const rw = g8(ch, C_RW);
  let complete = true;
  let value: u32 = 0;
  if (rw == 1) value = v;
  else if (rw == 2) value = v << 8;
  else if (g8(ch, C_WRITE_MSB_NEXT) == 0) {
    store<u32>(a(ch, C_PENDING_LSB), v);
    s8(ch, C_WRITE_MSB_NEXT, 1);
    complete = false;
    if (g8(ch, C_MODE) == 0) s8(ch, C_ARMED, 0); // mode 0: writing the LSB stops the count
  } else {
    value = load<u32>(a(ch, C_PENDING_LSB)) | (v << 8);
    s8(ch, C_WRITE_MSB_NEXT, 0);
  }
  if (!complete) return;
  if (g8(ch, C_BCD) != 0) value = fromBcd(value);
  store<u32>(a(ch, C_RELOAD), value);
  const mode = g8(ch, C_MODE);
  // Modes 1 and 5 wait for a gate trigger; the others start now (channel 2 only while gated on).
  if (mode == 1 || mode == 5) return;
  if (g8(ch, C_GATE) != 0 || ch != 2) start(ch, now);
  else { s8(ch, C_ARMED, 1); store<f64>(a(ch, C_START), now); store<f64>(a(ch, C_PAUSED_AT), 0); }
}

function control(v: u32, now: f64): void {
  const sc = v >> 6;
  if (sc == 3) { // read-back: bit 5 = 0 latch count, bit 4 = 0 latch status; channels in bits 1-3
    for (let ch: u32 = 0; ch < 3; ch++) {
      if ((v & (2 << ch)) == 0) continue;
      if ((v & 0x20) == 0 && g8(ch, C_LATCHED) == 0) latchCount(ch, now);
      if ((v & 0x10) == 0 && g8(ch, C_STATUS_LATCHED) == 0) {
        const status = (outNow(ch, now) ? 0x80 : 0) | (g8(ch, C_ARMED) == 0 ? 0x40 : 0) |
          (g8(ch, C_RW) << 4) | (g8(ch, C_MODE) << 1) | g8(ch, C_BCD);
        s8(ch, C_STATUS, status);
        s8(ch, C_STATUS_LATCHED, 1);
      }
    }
    return;
  }
  const ch = sc;
  const rw = (v >> 4) & 3;
  if (rw == 0) { if (g8(ch, C_LATCHED) == 0) latchCount(ch, now); return; } // counter latch command
  let mode = (v >> 1) & 7;
  if (mode > 5) mode -= 4; // 6 and 7 are 2 and 3
  s8(ch, C_RW, rw);
  s8(ch, C_MODE, mode);
  s8(ch, C_BCD, v & 1);
  s8(ch, C_WRITE_MSB_NEXT, 0);
  s8(ch, C_READ_MSB_NEXT, 0);
  s8(ch, C_LATCHED, 0);
  s8(ch, C_ARMED, 0);
  if (ch == 0) { store<f64>(a(0, C_NEXT_IRQ), Infinity); nextDeadline = Infinity; }
}

function latchCount(ch: u32, now: f64): void {
  store<u32>(a(ch, C_LATCH_VALUE), countNow(ch, now));
  s8(ch, C_LATCHED, 1);
  s8(ch, C_READ_MSB_NEXT, 0);
}

function setGate2(on: bool, was: bool, now: f64): void {
  if (on == was) return;
  const mode = g8(2, C_MODE);
  if (!on) {
    // Modes 0 and 4 pause; the others stop and restart on the next rising edge.
    if (mode == 0 || mode == 4) store<f64>(a(2, C_PAUSED_AT), elapsedTicks(2, now));
    s8(2, C_GATE, 0);
    return;
  }
  s8(2, C_GATE, 1);
  if (mode == 0 || mode == 4) {
    // Resume counting from where it paused.
    const done = load<f64>(a(2, C_PAUSED_AT));
    store<f64>(a(2, C_START), now - done * NS_PER_TICK);
  } else if (g8(2, C_ARMED) != 0 || mode == 1 || mode == 5) {
    start(2, now); // a rising gate edge (re)triggers modes 1, 2, 3, 5
  }
}

function toBcd(v: u32): u32 {
  v = v % 10000;
  return (v % 10) | (((v / 10) % 10) << 4) | (((v / 100) % 10) << 8) | ((v / 1000) << 12);
}
function fromBcd(v: u32): u32 {
  return (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 + ((v >> 12) & 0xf) * 1000;
}
