// The port bus and the MMIO bus: one registry each, mapping [base, base+length) to a device.
// Overlapping registrations are an error (thrown at VM build time, naming both devices).
// Accesses that no device claims return all ones and are counted, never fatal: that is what an
// ISA bus with nothing listening returns.

import type { AccessSize, BusDevice } from "./device";

/** A registered range. */
export interface BusRange {
  base: number;
  length: number;
  device: BusDevice;
}

/** All ones for an access of `size` bytes. */
export function allOnes(size: AccessSize): number {
  return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
}

/** A bus over an address space of `addressBits` bits (16 for ports, 32 for MMIO). */
export class Bus {
  private ranges: BusRange[] = [];
  /** Unclaimed reads and writes, by address. */
  readonly unclaimed = new Map<number, number>();

  constructor(readonly kind: "port" | "mmio", private readonly addressLimit: number) {}

  /** Map `device` at [base, base+length). Throws on overlap or a range outside the space. */
  register(base: number, length: number, device: BusDevice): void {
    if (!Number.isInteger(base) || !Number.isInteger(length) || length <= 0 || base < 0 || base + length > this.addressLimit) {
      throw new Error(`${this.kind} range ${hex(base)}+${length} for ${device.name} is outside the ${this.kind} space`);
    }
    for (const r of this.ranges) {
      if (base < r.base + r.length && r.base < base + length) {
        throw new Error(
          `${this.kind} range ${hex(base)}-${hex(base + length - 1)} (${device.name}) overlaps ` +
            `${hex(r.base)}-${hex(r.base + r.length - 1)} (${r.device.name})`,
        );
      }
    }
    this.ranges.push({ base, length, device });
    this.ranges.sort((a, b) => a.base - b.base);
  }

  /** The range containing `addr`, if any. */
  find(addr: number): BusRange | undefined {
    // Few ranges (tens): a linear scan beats anything cleverer here.
    for (const r of this.ranges) if (addr >= r.base && addr < r.base + r.length) return r;
    return undefined;
  }

  read(addr: number, size: AccessSize): number {
    const r = this.find(addr);
    if (!r) {
      this.countUnclaimed(addr);
      return allOnes(size);
    }
    return r.device.read(addr - r.base, size) >>> 0;
  }

  write(addr: number, size: AccessSize, value: number): void {
    const r = this.find(addr);
    if (!r) {
      this.countUnclaimed(addr);
      return;
    }
    r.device.write(addr - r.base, size, value >>> 0);
  }

  /** Registered ranges, in address order. */
  list(): readonly BusRange[] {
    return this.ranges;
  }

  private countUnclaimed(addr: number): void {
    this.unclaimed.set(addr, (this.unclaimed.get(addr) ?? 0) + 1);
  }
}

export function hex(n: number, width = 0): string {
  return "0x" + (n >>> 0).toString(16).toUpperCase().padStart(width, "0");
}
