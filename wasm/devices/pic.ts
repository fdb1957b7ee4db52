// The 8259A programmable interrupt controller pair (master at 0x20, slave at 0xA0 on IR2),
// with the ELCR edge/level registers at 0x4D0/0x4D1 — an in-worker ("in-kernel") device: its
// ports never exit. Facts from the Intel 8259A datasheet (ICW1-4, OCW1-3) and the PIIX ELCR.
// State lives in named fields at WORKER_DEVICES_BASE (so it can be snapshotted), not in globals.
// Inputs: host devices drive lines in the shared IRQ_LINES_BASE array (sampled when its change
// counter moves), in-worker devices call picSetIrq(). Output: `picInterruptPending` is true
// when the master would assert INTR; the run loop then acknowledges with picAcknowledge().

import { WORKER_DEVICES_BASE, IRQ_LINES_BASE, IRQ_LINE_COUNT, IRQ_EDGE_COUNT_INDEX } from "../layout";

// Per-chip fields (chip 0 master, chip 1 slave), byte offsets inside the chip's 16-byte block.
const CHIP_SIZE: u32 = 16;
const F_IRR: u32 = 0; // interrupt request register
const F_ISR: u32 = 1; // in-service register
const F_IMR: u32 = 2; // interrupt mask register (OCW1)
const F_BASE: u32 = 3; // vector base (ICW2, low 3 bits zero)
const F_INIT: u32 = 4; // 0 ready; 2, 3, 4: expecting ICW2, ICW3, ICW4
const F_ICW4: u32 = 5; // ICW1.IC4: an ICW4 follows
const F_SINGLE: u32 = 6; // ICW1.SNGL: no cascade (ICW3 skipped)
const F_AEOI: u32 = 7; // ICW4.AEOI: automatic end of interrupt
const F_READ_ISR: u32 = 8; // OCW3: next even-port read returns ISR (else IRR)
const F_POLL: u32 = 9; // OCW3 poll command pending
const F_SMM: u32 = 10; // OCW3 special mask mode
const F_LAST: u32 = 11; // input levels last seen (edge detection)
const F_ELCR: u32 = 12; // 1 = level-triggered input (PIIX ELCR)
const F_PRIORITY: u32 = 13; // IR with the lowest priority (rotation); 7 after init
const F_ROTATE_AEOI: u32 = 14; // OCW2 rotate in automatic EOI mode

/** Base of the PIC state; the PIT's follows (pit.ts). */
export const PIC_STATE: u32 = WORKER_DEVICES_BASE;
/** Host edge counters last seen, one i32 per line. */
const PIC_EDGES_SEEN: u32 = PIC_STATE + 2 * CHIP_SIZE;
export const PIC_STATE_SIZE: u32 = 2 * CHIP_SIZE + 4 * IRQ_LINE_COUNT;

@inline function f(chip: u32, field: u32): u32 { return PIC_STATE + chip * CHIP_SIZE + field; }
@inline function get(chip: u32, field: u32): u32 { return load<u8>(f(chip, field)); }
@inline function put(chip: u32, field: u32, v: u32): void { store<u8>(f(chip, field), <u8>v); }

/** The master asserts INTR (an unmasked request outranks everything in service). */
export let picInterruptPending: bool = false;
/** Host line-change counter last sampled. */
let sampledSeq: i32 = -1;

export function picReset(): void {
  memory.fill(PIC_STATE, 0, PIC_STATE_SIZE);
  for (let c: u32 = 0; c < 2; c++) { put(c, F_IMR, 0xff); put(c, F_PRIORITY, 7); }
  put(0, F_BASE, 0x08); // the BIOS convention; guests reprogram it
  put(1, F_BASE, 0x70);
  put(1, F_ELCR, 0);
  for (let i: u32 = 0; i < <u32>IRQ_LINE_COUNT; i++) {
    store<i32>(PIC_EDGES_SEEN + (i << 2), atomic.load<i32>(IRQ_LINES_BASE + ((<u32>IRQ_EDGE_COUNT_INDEX + i) << 2)));
  }
  sampledSeq = -1;
  update();
}

/** Drive input `irq` (0-15) to `level`. */
export function picSetIrq(irq: u32, level: bool): void {
  const chip = irq >> 3;
  const bit: u32 = 1 << (irq & 7);
  const last = get(chip, F_LAST);
  if (get(chip, F_ELCR) & bit) {
    // Level-triggered: the request follows the line.
    put(chip, F_IRR, level ? get(chip, F_IRR) | bit : get(chip, F_IRR) & ~bit);
  } else if (level && (last & bit) == 0) {
    put(chip, F_IRR, get(chip, F_IRR) | bit); // rising edge
  }
  put(chip, F_LAST, level ? last | bit : last & ~bit);
  update();
}

/** The change counter value the PIC last sampled: a halted worker sleeps while it is unchanged. */
export function picSampledSeq(): i32 { return sampledSeq; }

/** Sample the host's IRQ lines if any changed since last time (cheap when nothing did). */
@inline export function picSampleHostLines(seq: i32): void {
  if (seq != sampledSeq) sampleHostLines(seq);
}
function sampleHostLines(seq: i32): void {
  sampledSeq = seq;
  for (let i: u32 = 0; i < <u32>IRQ_LINE_COUNT; i++) {
    const level = atomic.load<i32>(IRQ_LINES_BASE + (i << 2)) != 0;
    const edges = atomic.load<i32>(IRQ_LINES_BASE + ((<u32>IRQ_EDGE_COUNT_INDEX + i) << 2));
    const chip = i >> 3;
    const bit: u32 = 1 << (i & 7);
    const seen = load<i32>(PIC_EDGES_SEEN + (i << 2));
    if (edges != seen) {
      // A rising edge happened since the last look, even if the line is low again now.
      store<i32>(PIC_EDGES_SEEN + (i << 2), edges);
      if ((get(chip, F_LAST) & bit) != 0) picSetIrq(i, false);
      picSetIrq(i, true);
      if (!level) picSetIrq(i, false);
    } else if (((get(chip, F_LAST) & bit) != 0) != level) {
      picSetIrq(i, level);
    }
  }
}

/** The IR to service on `chip`, or -1: the highest-priority request not blocked by ISR/IMR. */
function best(chip: u32): i32 {
  const req = get(chip, F_IRR) & ~get(chip, F_IMR);
  if (req == 0) return -1;
  const isr = get(chip, F_ISR);
  const smm = get(chip, F_SMM) != 0;
  const lowest = get(chip, F_PRIORITY);
  for (let n: u32 = 1; n <= 8; n++) {
    const ir = (lowest + n) & 7;
    const bit: u32 = 1 << ir;
    // Without special mask mode an in-service IR blocks itself and everything below it.
    if (!smm && (isr & bit) != 0) return -1;
    if (req & bit) {
      // On the master, IR2 in service for a cascaded slave still lets the slave nest (not modeled).
      return <i32>ir;
    }
  }
  return -1;
}

function update(): void {
  // The slave's output drives master IR2 (edge-free: it is a level inside the package pair).
  const s = best(1);
  const irr0 = get(0, F_IRR);
  put(0, F_IRR, s >= 0 ? irr0 | 4 : irr0 & ~4);
  picInterruptPending = best(0) >= 0;
}

/** Input `irq` has a request latched in IRR that the CPU has not taken yet. */
export function picIrqRequested(irq: u32): bool {
  return (get(irq >> 3, F_IRR) & (<u32>1 << (irq & 7))) != 0;
}

/** INTA: returns the vector to deliver (spurious IRQ 7/15 if the request went away). */
export function picAcknowledge(): i32 {
  const ir = best(0);
  if (ir < 0) return <i32>get(0, F_BASE) + 7; // spurious
  let vector: i32;
  ackChip(0, <u32>ir);
  if (ir == 2) {
    const sir = best(1);
    if (sir < 0) vector = <i32>get(1, F_BASE) + 7; // spurious on the slave
    else { ackChip(1, <u32>sir); vector = <i32>get(1, F_BASE) + sir; }
  } else {
    vector = <i32>get(0, F_BASE) + ir;
  }
  update();
  return vector;
}
function ackChip(chip: u32, ir: u32): void {
  const bit: u32 = 1 << ir;
  if ((get(chip, F_ELCR) & bit) == 0) put(chip, F_IRR, get(chip, F_IRR) & ~bit);
  if (get(chip, F_AEOI) != 0) {
    if (get(chip, F_ROTATE_AEOI) != 0) put(chip, F_PRIORITY, ir);
  } else {
    put(chip, F_ISR, get(chip, F_ISR) | bit);
  }
}

/** Read port `port` (0x20 0x21 0xA0 0xA1 0x4D0 0x4D1). */
export function picRead(port: u32): u32 {
  if (port == 0x4d0 || port == 0x4d1) return get(port & 1, F_ELCR);
  const chip: u32 = port >= 0xa0 ? 1 : 0;
  if (port & 1) return get(chip, F_IMR);
  if (get(chip, F_POLL) != 0) {
    put(chip, F_POLL, 0);
    const ir = best(chip);
    if (ir < 0) return 0;
    ackChip(chip, <u32>ir);
    update();
    return 0x80 | <u32>ir;
  }
  return get(chip, F_READ_ISR) != 0 ? get(chip, F_ISR) : get(chip, F_IRR);
}

export function picWrite(port: u32, v: u32): void {
  v &= 0xff;
  if (port == 0x4d0) { put(0, F_ELCR, v & 0xf8); update(); return; } // IRQ 0, 1, 2 are always edge
  if (port == 0x4d1) { put(1, F_ELCR, v & 0xde); update(); return; } // IRQ 8 and 13 are always edge
  const chip: u32 = port >= 0xa0 ? 1 : 0;
  if ((port & 1) == 0) {
    if (v & 0x10) { // ICW1
      put(chip, F_IMR, 0);
      put(chip, F_ISR, 0);
      put(chip, F_IRR, 0);
      put(chip, F_LAST, 0);
      put(chip, F_READ_ISR, 0);
      put(chip, F_SMM, 0);
      put(chip, F_PRIORITY, 7);
      put(chip, F_AEOI, 0);
      put(chip, F_ROTATE_AEOI, 0);
      put(chip, F_ICW4, v & 1);
      put(chip, F_SINGLE, (v >> 1) & 1);
      put(chip, F_INIT, 2);
    } else if (v & 0x08) { // OCW3
      if (v & 0x02) put(chip, F_READ_ISR, v & 1);
      if (v & 0x04) put(chip, F_POLL, 1);
      if (v & 0x40) put(chip, F_SMM, (v >> 5) & 1);
    } else { // OCW2
      const cmd = v >> 5;
      const isr = get(chip, F_ISR);
      switch (cmd) {
        case 1: case 5: { // non-specific EOI (5: and rotate)
          const ir = highestInService(chip);
          if (ir >= 0) {
            put(chip, F_ISR, isr & ~(<u32>1 << <u32>ir));
            if (cmd == 5) put(chip, F_PRIORITY, <u32>ir);
          }
          break;
        }
        case 3: case 7: // specific EOI (7: and rotate)
          put(chip, F_ISR, isr & ~(<u32>1 << (v & 7)));
          if (cmd == 7) put(chip, F_PRIORITY, v & 7);
          break;
        case 4: put(chip, F_ROTATE_AEOI, 1); break;
        case 0: put(chip, F_ROTATE_AEOI, 0); break;
        case 6: put(chip, F_PRIORITY, v & 7); break; // set priority
        default: break; // 2: no operation
      }
    }
  } else {
    const step = get(chip, F_INIT);
    if (step == 2) {
      put(chip, F_BASE, v & 0xf8);
      put(chip, F_INIT, get(chip, F_SINGLE) != 0 ? (get(chip, F_ICW4) != 0 ? 4 : 0) : 3);
    } else if (step == 3) {
      put(chip, F_INIT, get(chip, F_ICW4) != 0 ? 4 : 0); // ICW3: cascade wiring is fixed on a PC
    } else if (step == 4) {
      put(chip, F_AEOI, (v >> 1) & 1);
      put(chip, F_INIT, 0);
    } else {
      put(chip, F_IMR, v); // OCW1
    }
  }
  update();
}

function highestInService(chip: u32): i32 {
  const isr = get(chip, F_ISR);
  const lowest = get(chip, F_PRIORITY);
  for (let n: u32 = 1; n <= 8; n++) {
    const ir = (lowest + n) & 7;
    if (isr & (<u32>1 << ir)) return <i32>ir;
  }
  return -1;
}
