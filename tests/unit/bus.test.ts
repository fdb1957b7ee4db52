// Port/MMIO bus: offsets not addresses, overlap rejection, unclaimed accesses.
import { describe, expect, it } from "vitest";
import { Bus } from "../../src/vmm/bus";
import type { AccessSize, BusDevice } from "../../src/vmm/device";
import { PORTS } from "../../src/vmm/port-map";

class Recorder implements BusDevice {
  log: string[] = [];
  constructor(readonly name: string) {}
  read(offset: number, size: AccessSize): number {
    this.log.push(`r${offset}/${size}`);
    return 0x40 + offset;
  }
  write(offset: number, size: AccessSize, value: number): void {
    this.log.push(`w${offset}/${size}=${value.toString(16)}`);
  }
}

describe("Bus", () => {
  it("hands devices offsets from their base, never addresses", () => {
    const bus = new Bus("port", 0x10000);
    const d = new Recorder("uart");
    bus.register(0x3f8, 8, d);
    expect(bus.read(0x3fd, 1)).toBe(0x45);
    bus.write(0x3f8, 1, 0x41);
    bus.write(0x3fb, 2, 0x1234);
    expect(d.log).toEqual(["r5/1", "w0/1=41", "w3/2=1234"]);
  });

  it("rejects overlapping ranges, naming both devices", () => {
    const bus = new Bus("port", 0x10000);
    bus.register(0x3f8, 8, new Recorder("uart0"));
    expect(() => bus.register(0x3ff, 2, new Recorder("other"))).toThrow(/0x3FF-0x400 \(other\) overlaps 0x3F8-0x3FF \(uart0\)/);
    expect(() => bus.register(0x3f0, 8, new Recorder("below"))).not.toThrow(); // adjacent is fine
    expect(() => bus.register(0x3f0, 0x20, new Recorder("span"))).toThrow(/overlaps/);
  });

  it("rejects ranges outside the address space", () => {
    const bus = new Bus("port", 0x10000);
    expect(() => bus.register(0xffff, 2, new Recorder("x"))).toThrow(/outside the port space/);
    expect(() => bus.register(0x10, 0, new Recorder("y"))).toThrow(/outside/);
  });

  it("unclaimed reads return all ones of the access size and are counted; writes are dropped", () => {
    const bus = new Bus("port", 0x10000);
    expect(bus.read(0x61, 1)).toBe(0xff);
    expect(bus.read(0x61, 2)).toBe(0xffff);
    expect(bus.read(0x70, 4)).toBe(0xffffffff);
    bus.write(0x70, 1, 0);
    expect(bus.unclaimed.get(0x61)).toBe(2);
    expect(bus.unclaimed.get(0x70)).toBe(2);
  });

  it("the port map itself has no overlaps", () => {
    const bus = new Bus("port", 0x10000);
    for (const [name, r] of Object.entries(PORTS)) bus.register(r.base, r.length, new Recorder(name));
    expect(bus.list().length).toBe(Object.keys(PORTS).length);
  });
});
