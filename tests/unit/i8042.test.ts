import { describe, expect, it } from "vitest";
import type { IrqLine } from "../../src/vmm/device";
import type { SystemControl } from "../../src/devices/system-control-a";
import { I8042, KEY_CODES, scanCodes } from "../../src/devices/i8042";

// Offsets and bits, spelled out here so the tests do not trust the device's constants.
const DATA = 0, STATUS = 4, COMMAND = 4;
const OBF = 0x01, IBF = 0x02, SYS = 0x04, A2 = 0x08, INH = 0x10, AUXB = 0x20;
const CTR_KBDINT = 0x01, CTR_AUXINT = 0x02, CTR_KBDDIS = 0x10, CTR_AUXDIS = 0x20, CTR_XLATE = 0x40;

class RecordingIrq implements IrqLine {
  level = false;
  history: boolean[] = [];
  set(level: boolean): void {
    this.level = level;
    this.history.push(level);
  }
  /** Rising edges seen so far. */
  edges(): number {
    let n = 0;
    let prev = false;
    for (const l of this.history) {
      if (l && !prev) n++;
      prev = l;
    }
    return n;
  }
}

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
  const kbdIrq = new RecordingIrq();
  const auxIrq = new RecordingIrq();
  const system = new RecordingSystem();
  const kbc = new I8042({ kbdIrq, auxIrq, system, a20Enabled });
  const status = () => kbc.read(STATUS, 1);
  const data = () => kbc.read(DATA, 1);
  const cmd = (c: number, ...params: number[]) => {
    kbc.write(COMMAND, 1, c);
    for (const p of params) kbc.write(DATA, 1, p);
  };
  const send = (v: number) => kbc.write(DATA, 1, v);
  /** Read every byte in the output buffer, as Linux's i8042_flush does. */
  const drain = () => {
    const out: number[] = [];
    for (let i = 0; i < 64 && status() & OBF; i++) out.push(data());
    return out;
  };
  /** i8042_command: write the command (and parameters), then read one reply byte. */
  const command = (c: number, ...params: number[]) => {
    cmd(c, ...params);
    expect(status() & OBF).toBe(OBF);
    return data();
  };
  const ctr = () => command(0x20);
  const setCtr = (v: number) => cmd(0x60, v);
  const key = (code: string, down = true) => {
    expect(down ? kbc.keyDown(code) : kbc.keyUp(code)).toBe(true);
    return drain();
  };
  return { kbc, kbdIrq, auxIrq, system, status, data, cmd, send, drain, command, ctr, setCtr, key };
}

describe("I8042", () => {
  it("has a name, defaulting to i8042; offsets 1-3 read 0xFF and ignore writes", () => {
    const { kbc, status } = make();
    expect(kbc.name).toBe("i8042");
    for (const off of [1, 2, 3]) {
      kbc.write(off, 1, 0xfe);
      expect(kbc.read(off, 1)).toBe(0xff);
    }
    expect(status()).toBe(SYS | INH);
    const named = new I8042({ name: "kbc", kbdIrq: new RecordingIrq(), auxIrq: new RecordingIrq(), system: new RecordingSystem() });
    expect(named.name).toBe("kbc");
  });

  it("commandPort is the status/command register at offset 0, for a separate 0x64 mapping", () => {
    const { kbc, data } = make();
    expect(kbc.commandPort.read(0, 1)).toBe(SYS | INH);
    kbc.commandPort.write(0, 1, 0xaa);
    expect(kbc.commandPort.read(0, 1)).toBe(SYS | INH | A2 | OBF);
    expect(data()).toBe(0x55);
  });

  it("starts as POST leaves it: command byte 0x45, empty buffer, IRQs low, nothing called", () => {
    const { kbc, status, kbdIrq, auxIrq, system, ctr } = make();
    expect(status() & (OBF | IBF)).toBe(0);
    expect(kbdIrq.history).toEqual([false]);
    expect(auxIrq.history).toEqual([false]);
    expect(system.events).toEqual([]);
    expect(kbc.commandByte).toBe(0x45);
    expect(ctr()).toBe(0x45);
  });

  it("passes Linux's i8042 probe: self-test, CTR, aux loop and aux IRQ test, port enables", () => {
    const { status, drain, command, ctr, setCtr, cmd, data, auxIrq, kbdIrq } = make();
    expect(drain()).toEqual([]); // i8042_flush
    expect(command(0xaa)).toBe(0x55); // i8042_controller_selftest
    expect(status() & SYS).toBe(SYS);
    // i8042_controller_init: read CTR until two reads agree, disable keyboard, write it back.
    const initial = ctr();
    expect(ctr()).toBe(initial);
    expect(status() & INH).toBe(INH); // "keylock" not active
    setCtr((initial | CTR_KBDDIS) & ~CTR_KBDINT);
    expect(status() & A2).toBe(0); // last write was data
    expect(ctr()).toBe(0x54);
    expect(status() & A2).toBe(A2);
    // i8042_check_aux: loopback, then bit assignment test.
    cmd(0xd3, 0x5a);
    expect(status() & (OBF | AUXB)).toBe(OBF | AUXB);
    expect(data()).toBe(0x5a);
    expect(command(0xa9)).toBe(0x00);
    cmd(0xa7);
    expect(ctr() & CTR_AUXDIS).toBe(CTR_AUXDIS);
    cmd(0xa8);
    expect(ctr() & CTR_AUXDIS).toBe(0);
    // AUX IRQ delivery test: enable the aux port with its interrupt, loop 0xA5 back.
    setCtr((ctr() & ~CTR_AUXDIS) | CTR_AUXINT);
    expect(auxIrq.level).toBe(false);
    cmd(0xd3, 0xa5);
    expect(auxIrq.level).toBe(true);
    expect(kbdIrq.level).toBe(false);
    expect(status() & AUXB).toBe(AUXB);
    expect(data()).toBe(0xa5);
    expect(auxIrq.level).toBe(false);
    // Keyboard interface test, then enable the keyboard port.
    expect(command(0xab)).toBe(0x00);
    setCtr((ctr() & ~CTR_KBDDIS) | CTR_KBDINT);
    expect(ctr()).toBe(0x47);
    // Controller replies are keyboard-side bytes: each raised IRQ 1 while CTR bit 0 was set
    // (self-test, the first two CTR reads, and the last one); Linux polls with the line ignored.
    expect(kbdIrq.edges()).toBe(4);
    expect(kbdIrq.level).toBe(false);
  });

  it("keyboard probe (atkbd): reset, identify (translated AB 41), LEDs, typematic, enable", () => {
    const { send, drain, kbdIrq } = make();
    send(0xff);
    expect(kbdIrq.level).toBe(true);
    expect(drain()).toEqual([0xfa, 0xaa]);
    expect(kbdIrq.edges()).toBe(2);
    send(0xf2);
    expect(drain()).toEqual([0xfa, 0xab, 0x41]); // 0x83 translates to 0x41
    send(0xed);
    expect(drain()).toEqual([0xfa]);
    send(0x07);
    expect(drain()).toEqual([0xfa]);
    send(0xf3);
    send(0x00);
    expect(drain()).toEqual([0xfa, 0xfa]);
    send(0xf4);
    expect(drain()).toEqual([0xfa]);
    send(0xf5);
    expect(drain()).toEqual([0xfa]);
    send(0xee);
    expect(drain()).toEqual([0xee]);
    send(0xf6);
    expect(drain()).toEqual([0xfa]);
    send(0x12); // not a keyboard command
    expect(drain()).toEqual([0xfe]);
    send(0xfe); // resend
    expect(drain()).toEqual([0xfe]);
  });

  it("keyboard replies untranslated: identify AB 83, scan code set get/set", () => {
    const { send, drain, setCtr } = make();
    setCtr(0x05); // translation off
    send(0xf2);
    expect(drain()).toEqual([0xfa, 0xab, 0x83]);
    send(0xf0);
    send(0x00);
    expect(drain()).toEqual([0xfa, 0xfa, 0x02]);
    send(0xf0);
    send(0x01);
    expect(drain()).toEqual([0xfa, 0xfa]);
    send(0xf0);
    send(0x00);
    expect(drain()).toEqual([0xfa, 0xfa, 0x01]);
    send(0xf0);
    send(0x03); // set 3 refused
    expect(drain()).toEqual([0xfa, 0xfe]);
    send(0xff); // reset restores set 2
    send(0xf0);
    send(0x00);
    expect(drain()).toEqual([0xfa, 0xaa, 0xfa, 0xfa, 0x02]);
  });

  it("no mouse: bytes for the aux device are answered 0xFE from the aux side", () => {
    const { cmd, status, data, auxIrq, setCtr } = make();
    setCtr(0x47);
    cmd(0xd4, 0xf2);
    expect(status() & (OBF | AUXB)).toBe(OBF | AUXB);
    expect(auxIrq.level).toBe(true);
    expect(data()).toBe(0xfe);
    expect(status() & OBF).toBe(0);
  });

  it("OBF and the IRQ: one byte at a time, line lowered on read, a new edge per byte", () => {
    const { kbc, status, data, kbdIrq } = make();
    kbc.keyDown("KeyA");
    kbc.keyUp("KeyA");
    expect(status() & OBF).toBe(OBF);
    expect(kbdIrq.history).toEqual([false, true]);
    expect(data()).toBe(0x1e);
    expect(kbdIrq.history).toEqual([false, true, false, true]);
    expect(status() & OBF).toBe(OBF);
    expect(data()).toBe(0x9e);
    expect(kbdIrq.history).toEqual([false, true, false, true, false]);
    expect(status() & OBF).toBe(0);
    expect(data()).toBe(0x9e); // an empty buffer reads its last byte again
    expect(kbdIrq.history).toEqual([false, true, false, true, false]);
  });

  it("no IRQ 1 while command byte bit 0 is clear; setting it with data waiting raises the line", () => {
    const { kbc, setCtr, status, kbdIrq, data } = make();
    setCtr(0x44);
    kbc.keyDown("Space");
    expect(status() & OBF).toBe(OBF);
    expect(kbdIrq.level).toBe(false);
    setCtr(0x45);
    expect(kbdIrq.level).toBe(true);
    expect(data()).toBe(0x39);
    expect(kbdIrq.level).toBe(false);
  });

  it("keys wait in the keyboard while the interface is disabled and arrive in order after", () => {
    const { kbc, cmd, status, drain, command } = make();
    cmd(0xad);
    expect(command(0x20) & CTR_KBDDIS).toBe(CTR_KBDDIS);
    kbc.keyDown("KeyH");
    kbc.keyDown("KeyI");
    expect(status() & OBF).toBe(0);
    cmd(0xae);
    expect(drain()).toEqual([0x23, 0x17]);
  });

  it("controller replies queue behind a keyboard byte already in the buffer", () => {
    const { kbc, cmd, drain } = make();
    kbc.keyDown("KeyB");
    kbc.keyDown("KeyC");
    cmd(0xaa);
    expect(drain()).toEqual([0x30, 0x55, 0x2e]);
  });

  it("the keyboard buffers 16 bytes and drops key sequences that do not fit", () => {
    const { kbc, cmd, drain } = make();
    cmd(0xad);
    for (let i = 0; i < 10; i++) kbc.keyDown("ArrowUp"); // 2 bytes each
    cmd(0xae);
    expect(drain()).toEqual(Array.from({ length: 8 }, () => [0xe0, 0x48]).flat());
  });

  it("keyboard scanning disabled (F5) drops keys; F4 resumes", () => {
    const { kbc, send, drain } = make();
    send(0xf5);
    expect(drain()).toEqual([0xfa]);
    expect(kbc.keyDown("KeyA")).toBe(true);
    expect(drain()).toEqual([]);
    send(0xf4);
    expect(drain()).toEqual([0xfa]);
    kbc.keyDown("KeyA");
    expect(drain()).toEqual([0x1e]);
  });

  it("writing to the keyboard enables the keyboard interface", () => {
    const { cmd, send, drain, ctr } = make();
    cmd(0xad);
    send(0xf4);
    expect(drain()).toEqual([0xfa]);
    expect(ctr() & CTR_KBDDIS).toBe(0);
  });

  it("reset: command 0xFE, other even pulse commands, and output port bit 0 = 0", () => {
    const { cmd, system } = make();
    cmd(0xfe);
    expect(system.events).toEqual(["reset"]);
    cmd(0xff); // pulses nothing (Linux sends it after setting A20)
    cmd(0xf1);
    expect(system.events).toEqual(["reset"]);
    cmd(0xf0);
    expect(system.events).toEqual(["reset", "reset"]);
    cmd(0xd1, 0xde); // bit 0 = 0: reset; A20 reported first
    expect(system.events).toEqual(["reset", "reset", "a20 on", "reset"]);
  });

  it("A20 via the output port (D1, read back with D0) and via DD/DF", () => {
    const { kbc, cmd, command, system } = make(false);
    expect(kbc.a20Enabled).toBe(false);
    expect(command(0xd0) & 0x03).toBe(0x01);
    cmd(0xd1, 0xdf); // Linux's enable_a20_kbc
    cmd(0xff);
    expect(system.events).toEqual(["a20 on"]);
    expect(kbc.a20Enabled).toBe(true);
    expect(command(0xd0) & 0x03).toBe(0x03);
    cmd(0xd1, 0xdd);
    expect(kbc.a20Enabled).toBe(false);
    cmd(0xdf);
    expect(kbc.a20Enabled).toBe(true);
    expect(command(0xd0) & 0x03).toBe(0x03);
    cmd(0xdd);
    expect(kbc.a20Enabled).toBe(false);
    expect(command(0xd0) & 0x03).toBe(0x01);
    expect(system.events).toEqual(["a20 on", "a20 off", "a20 on", "a20 off"]);
  });

  it("output port read shows the live output-buffer bits 4 and 5", () => {
    const { cmd, data, setCtr } = make();
    setCtr(0x44);
    cmd(0xd2, 0x11); // keyboard-side byte in the buffer
    cmd(0xd0);
    expect(data()).toBe(0x11);
    expect(data() & 0x30).toBe(0x10); // reply read while the 0x11 byte was at the head
    cmd(0xd3, 0x22);
    cmd(0xd0);
    expect(data()).toBe(0x22);
    expect(data() & 0x30).toBe(0x20);
  });

  it("D2 writes the keyboard buffer untranslated, with IRQ 1", () => {
    const { cmd, status, data, kbdIrq } = make();
    cmd(0xd2, 0x1c);
    expect(status() & (OBF | AUXB)).toBe(OBF);
    expect(kbdIrq.level).toBe(true);
    expect(data()).toBe(0x1c);
  });

  it("controller RAM bytes 1-31 through 0x61-0x7F and 0x21-0x3F; input port via C0", () => {
    const { cmd, command } = make();
    cmd(0x61, 0x12);
    cmd(0x7f, 0x34);
    expect(command(0x21)).toBe(0x12);
    expect(command(0x3f)).toBe(0x34);
    expect(command(0xc0) & 0x80).toBe(0x80); // keyboard not inhibited
  });

  it("a command abandons a parameter not yet written", () => {
    const { cmd, send, drain, command } = make();
    cmd(0x60);
    expect(command(0x20)).toBe(0x45);
    send(0xf4); // goes to the keyboard, not the command byte
    expect(drain()).toEqual([0xfa]);
    expect(command(0x20)).toBe(0x45);
  });

  it("keys with translation (set 1) and without (set 2): letters, extended keys, breaks", () => {
    const { key, setCtr } = make();
    expect(key("KeyA")).toEqual([0x1e]);
    expect(key("KeyA", false)).toEqual([0x9e]);
    expect(key("ArrowUp")).toEqual([0xe0, 0x48]);
    expect(key("ArrowUp", false)).toEqual([0xe0, 0xc8]);
    expect(key("F7")).toEqual([0x41]);
    expect(key("PrintScreen")).toEqual([0xe0, 0x2a, 0xe0, 0x37]);
    expect(key("PrintScreen", false)).toEqual([0xe0, 0xb7, 0xe0, 0xaa]);
    expect(key("Pause")).toEqual([0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5]);
    setCtr(0x05); // translation off: the keyboard's set 2 reaches the guest
    expect(key("KeyA")).toEqual([0x1c]);
    expect(key("KeyA", false)).toEqual([0xf0, 0x1c]);
    expect(key("ArrowUp")).toEqual([0xe0, 0x75]);
    expect(key("ArrowUp", false)).toEqual([0xe0, 0xf0, 0x75]);
    expect(key("F7")).toEqual([0x83]);
    expect(key("Pause")).toEqual([0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77]);
  });

  it("keyboard in set 1 with translation off sends set 1 directly", () => {
    const { key, send, drain, setCtr } = make();
    setCtr(0x05);
    send(0xf0);
    send(0x01);
    expect(drain()).toEqual([0xfa, 0xfa]);
    expect(key("Enter")).toEqual([0x1c]);
    expect(key("Enter", false)).toEqual([0x9c]);
    expect(key("ControlRight")).toEqual([0xe0, 0x1d]);
  });

  it("every key's set 2 codes translate to its set 1 codes; set 1 make codes are unique", () => {
    const { key } = make();
    const makes = new Set<string>();
    for (const code of KEY_CODES) {
      expect(key(code), `${code} down`).toEqual(scanCodes(code, true, 1));
      expect(key(code, false), `${code} up`).toEqual(scanCodes(code, false, 1));
      const make1 = scanCodes(code, true, 1)!.join(",");
      expect(makes.has(make1), `${code} duplicate`).toBe(false);
      makes.add(make1);
    }
  });

  it("the key table covers letters, digits, editing keys, arrows, modifiers and F1-F12", () => {
    const wanted = [
      ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").map((c) => `Key${c}`),
      ..."0123456789".split("").map((c) => `Digit${c}`),
      "Enter", "Escape", "Backspace", "Tab", "Space",
      "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight",
      "ShiftLeft", "ShiftRight", "ControlLeft", "ControlRight", "AltLeft", "AltRight", "MetaLeft", "MetaRight",
      ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
    ];
    for (const code of wanted) expect(KEY_CODES, code).toContain(code);
    expect(scanCodes("Escape", true, 1)).toEqual([0x01]);
    expect(scanCodes("F12", false, 2)).toEqual([0xf0, 0x07]);
    expect(scanCodes("NoSuchKey", true, 1)).toBeUndefined();
    expect(scanCodes("toString", true, 1)).toBeUndefined();
    expect(make().kbc.keyDown("NoSuchKey")).toBe(false);
  });

  it("getState/setState round-trips a busy state through JSON", () => {
    const a = make();
    a.cmd(0xad);
    a.kbc.keyDown("KeyQ");
    a.kbc.keyUp("KeyQ");
    a.cmd(0xaa);
    a.send(0xed); // keyboard now waits for the LED byte (and the interface is enabled again)
    a.cmd(0xd1); // controller waits for the output port byte
    const b = make();
    b.kbc.setState(JSON.parse(JSON.stringify(a.kbc.getState())));
    expect(b.kbc.getState()).toEqual(a.kbc.getState());
    expect(b.kbdIrq.level).toBe(true);
    b.send(0xdf);
    expect(b.system.events).toEqual(["a20 on"]);
    expect(b.drain()).toEqual([0x55, 0x10, 0x90, 0xfa]);
    b.send(0x02);
    expect(b.drain()).toEqual([0xfa]);
  });

  it("setState rejects malformed state", () => {
    const { kbc } = make();
    const good = kbc.getState();
    expect(() => kbc.setState({ ...good, ram: [1] })).toThrow(/ram/);
    expect(() => kbc.setState({ ...good, outputPort: 0x100 })).toThrow(/outputPort/);
    expect(() => kbc.setState({ ...good, kbdScancodeSet: 3 })).toThrow(/kbdScancodeSet/);
    expect(() => kbc.setState({ ...good, output: [{ value: 1 } as never] })).toThrow(/output/);
    expect(() => kbc.setState({ ...good, pendingCommand: -1 })).toThrow(/pendingCommand/);
    expect(() => kbc.setState({ ...good, version: 2 } as unknown as typeof good)).toThrow();
  });
});
