import { describe, expect, it } from "vitest";
import { SystemControlA, type SystemControl } from "../../src/devices/system-control-a";

class RecordingSystem implements SystemControl {
  events: string[] = [];
  reset(): void {
    this.events.push("reset");
  }
  setA20(enabled: boolean): void {
    this.events.push(enabled ? "a20 on" : "a20 off");
  }
}

function make(a20Enabled?: boolean) {
  const system = new RecordingSystem();
  const port = new SystemControlA({ system, a20Enabled });
  const rd = () => port.read(0, 1);
  const wr = (v: number) => port.write(0, 1, v);
  return { port, system, rd, wr };
}

describe("SystemControlA", () => {
  it("has a name, defaulting to system-control-a", () => {
    expect(make().port.name).toBe("system-control-a");
    expect(new SystemControlA({ name: "port92", system: new RecordingSystem() }).name).toBe("port92");
  });

  it("starts with A20 as the option says (default enabled) and calls nothing at construction", () => {
    const on = make();
    expect(on.rd()).toBe(0x02);
    expect(on.port.a20Enabled).toBe(true);
    expect(on.system.events).toEqual([]);
    const off = make(false);
    expect(off.rd()).toBe(0x00);
    expect(off.port.a20Enabled).toBe(false);
  });

  it("bit 1 drives A20 on every write", () => {
    const { rd, wr, system } = make(false);
    wr(0x02);
    expect(rd()).toBe(0x02);
    wr(0x02);
    wr(0x00);
    expect(rd()).toBe(0x00);
    expect(system.events).toEqual(["a20 on", "a20 on", "a20 off"]);
  });

  it("bit 0 resets the CPU and reads back 0; A20 is reported first", () => {
    const { rd, wr, system } = make(false);
    wr(0x03);
    expect(system.events).toEqual(["a20 on", "reset"]);
    expect(rd()).toBe(0x02);
    wr(0x00);
    expect(system.events).toEqual(["a20 on", "reset", "a20 off"]);
  });

  it("the Linux boot A20 sequence (read, set bit 1, clear bit 0, write) does not reset", () => {
    const { rd, wr, system } = make(false);
    wr((rd() | 0x02) & ~0x01);
    expect(system.events).toEqual(["a20 on"]);
  });

  it("bits 2 and 4-7 read back what was written", () => {
    const { rd, wr } = make(false);
    wr(0xf4);
    expect(rd()).toBe(0xf4);
    wr(0x50);
    expect(rd()).toBe(0x50);
  });

  it("bit 3 (security lock) is a set-only latch", () => {
    const { rd, wr } = make(false);
    wr(0x08);
    expect(rd()).toBe(0x08);
    wr(0x00);
    expect(rd()).toBe(0x08);
    wr(0x02);
    expect(rd()).toBe(0x0a);
  });

  it("wide accesses act on the low byte", () => {
    const { port, system } = make(false);
    port.write(0, 2, 0xff02);
    expect(port.read(0, 2)).toBe(0x02);
    expect(port.read(0, 4)).toBe(0x02);
    expect(system.events).toEqual(["a20 on"]);
  });

  it("getState/setState round-trips through JSON and rejects malformed state", () => {
    const a = make(false);
    a.wr(0x4a);
    const b = make();
    b.port.setState(JSON.parse(JSON.stringify(a.port.getState())));
    expect(b.rd()).toBe(0x4a);
    expect(b.system.events).toEqual([]);
    b.wr(0x00);
    expect(b.rd()).toBe(0x08); // the lock came along
    expect(() => b.port.setState({ version: 1, value: 0x101 })).toThrow(/value/);
    expect(() => b.port.setState({ version: 1, value: 0x03 })).toThrow(/value/);
    expect(() => b.port.setState({ version: 2, value: 0 } as unknown as { version: 1; value: number })).toThrow();
  });
});
