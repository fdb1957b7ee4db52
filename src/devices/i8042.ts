// The PC keyboard controller: an Intel 8042 running the IBM AT/PS/2 firmware, with an MF2 keyboard
// on its first port and nothing on its auxiliary (mouse) port. Five port offsets from base 0x60:
// offset 0 = data (0x60), offset 4 = status (read) / command (write) (0x64); offsets 1-3 read 0xFF.
// Where 0x61 belongs to someone else, register the device at 0x60 with length 1 and its
// `commandPort` view at 0x64 with length 1 instead.
//
// Invariants:
// - The controller is instant: a command or data byte is handled during the write, so IBF
//   (status bit 1) always reads 0, and replies are ready when the write returns.
// - The output buffer is the head of `output`, a FIFO of bytes tagged keyboard or aux; OBF =
//   `output` is non-empty, AUXB = the head came from the aux side. Controller replies are appended
//   directly. The keyboard's own bytes wait in `kbdQueue` and move into `output` only while it is
//   empty and the keyboard interface is enabled (command byte bit 4 = 0), as the 8042 inhibits the
//   keyboard clock while its buffer is full; with command byte bit 6 set they are translated from
//   scan code set 2 to set 1 on the way (an F0 break prefix is absorbed into bit 7 of the next byte).
// - IRQ 1 is high while OBF holds keyboard-side data and command byte bit 0 is set; IRQ 12 likewise
//   for aux data and bit 1. A data-port read that empties the buffer drives both lines low before
//   the next byte is loaded, so each byte gives the (edge-triggered) PIC a fresh rising edge.
// - No mouse is attached: a byte sent to the aux device (command 0xD4) is answered by 0xFE from the
//   aux side. The aux port itself works (its interface test passes, 0xD3 loopback sets AUXB and IRQ
//   12), so Linux registers the port and psmouse finds nothing behind it.
// - The keyboard speaks scan code set 2 by default (set 1 on request; set 3 is refused with 0xFE).
//   Host key events enter through `keyDown`/`keyUp` with DOM `KeyboardEvent.code` names; repeats
//   are whatever the host sends (typematic rate is stored, not applied). While the keyboard has
//   scanning disabled (0xF5) key events are dropped; its buffer holds 16 bytes, and a key sequence
//   that does not fit is dropped whole.
// - The reset line and the A20 gate are output port bits 0 and 1; they reach the machine through
//   `SystemControl` (reset when bit 0 is written 0 or pulsed by 0xF0-0xFF). The output port keeps
//   bit 0 at 1 afterwards: the VMM decides what a reset does to this device.

import type { AccessSize, BusDevice, IrqLine } from "../vmm/device";
import type { SystemControl } from "./system-control-a";

// Port offsets from base 0x60 (IBM PS/2 Technical Reference, "Keyboard/Auxiliary Device Controller").
const PORT_DATA = 0; // 0x60
const PORT_STATUS_COMMAND = 4; // 0x64

// Status register (8042 status byte, IBM PS/2 Technical Reference).
const STATUS_OBF = 0x01; // bit 0: output buffer full
// bit 1 IBF: input buffer full, always 0 here.
const STATUS_SYS = 0x04; // bit 2: system flag, a copy of command byte bit 2
const STATUS_A2 = 0x08; // bit 3: last input-buffer write was a command (port 0x64)
const STATUS_INH = 0x10; // bit 4: 1 = keyboard not inhibited (key lock switch off)
const STATUS_AUXB = 0x20; // bit 5: output buffer holds aux (mouse) data
// bits 6 and 7 (timeout, parity error) are always 0.

// Command byte, controller RAM byte 0 (IBM PS/2 Technical Reference, "Command Byte").
const CMD_BYTE_KBD_INT = 0x01; // bit 0: IRQ 1 when keyboard data is in the output buffer
const CMD_BYTE_AUX_INT = 0x02; // bit 1: IRQ 12 when aux data is in the output buffer
const CMD_BYTE_SYS = 0x04; // bit 2: system flag (set by POST)
const CMD_BYTE_KBD_DISABLE = 0x10; // bit 4: keyboard clock held low
const CMD_BYTE_AUX_DISABLE = 0x20; // bit 5: aux clock held low
const CMD_BYTE_XLAT = 0x40; // bit 6: translate set 2 to set 1
/** After POST: translation on, system flag set, keyboard interrupt on, both ports enabled. */
const CMD_BYTE_DEFAULT = CMD_BYTE_XLAT | CMD_BYTE_SYS | CMD_BYTE_KBD_INT;

// Controller commands (written to port 0x64).
const CTL_READ_RAM = 0x20; // 0x20-0x3F: read RAM byte (0x20 = command byte)
const CTL_READ_RAM_LAST = 0x3f;
const CTL_WRITE_RAM = 0x60; // 0x60-0x7F: write RAM byte (next data byte)
const CTL_WRITE_RAM_LAST = 0x7f;
const CTL_AUX_DISABLE = 0xa7;
const CTL_AUX_ENABLE = 0xa8;
const CTL_AUX_TEST = 0xa9; // aux interface test: 0x00 = no error
const CTL_SELF_TEST = 0xaa; // controller self-test: 0x55 = passed
const CTL_KBD_TEST = 0xab; // keyboard interface test: 0x00 = no error
const CTL_KBD_DISABLE = 0xad;
const CTL_KBD_ENABLE = 0xae;
const CTL_READ_INPUT_PORT = 0xc0;
const CTL_READ_OUTPUT_PORT = 0xd0;
const CTL_WRITE_OUTPUT_PORT = 0xd1; // next data byte
const CTL_WRITE_KBD_BUFFER = 0xd2; // next data byte appears as keyboard data
const CTL_WRITE_AUX_BUFFER = 0xd3; // next data byte appears as aux data
const CTL_WRITE_AUX = 0xd4; // next data byte goes to the aux device
const CTL_A20_OFF = 0xdd; // HP Vectra-compatible fast A20 gate off
const CTL_A20_ON = 0xdf; // HP Vectra-compatible fast A20 gate on
const CTL_PULSE_FIRST = 0xf0; // 0xF0-0xFF: pulse output port bits 3-0 low where the command bit is 0
const SELF_TEST_PASSED = 0x55;
const INTERFACE_OK = 0x00;

const RAM_SIZE = 32; // RAM bytes addressable by 0x20-0x3F / 0x60-0x7F
const OUTPUT_LIMIT = 16; // queued controller replies beyond this are dropped (a guest not reading)

// Output port (IBM PS/2 Technical Reference, "Output Port").
const OUT_RESET = 0x01; // bit 0: 0 = CPU reset asserted
const OUT_A20 = 0x02; // bit 1: A20 gate
const OUT_KBD_OBF = 0x10; // bit 4: keyboard output buffer full (IRQ 1 source), read-only here
const OUT_AUX_OBF = 0x20; // bit 5: aux output buffer full (IRQ 12 source), read-only here
/** Bits 2-3 and 6-7 are the aux and keyboard clock/data lines, idle high. */
const OUT_LINES_IDLE = 0xcc;
// Input port (IBM AT Technical Reference, "8042 Input Port"): bit 7 = 1 keyboard not inhibited,
// bit 6 = 0 colour display, bit 5 = 1 manufacturing jumper not installed, bit 4 = 0 512 KiB board RAM.
const INPUT_PORT = 0xa0;

// Keyboard commands and replies (IBM PS/2 Technical Reference, "Keyboard and Auxiliary Device").
const KBD_SET_LEDS = 0xed;
const KBD_ECHO = 0xee;
const KBD_SCANCODE_SET = 0xf0;
const KBD_IDENTIFY = 0xf2;
const KBD_TYPEMATIC = 0xf3;
const KBD_ENABLE = 0xf4;
const KBD_DISABLE = 0xf5; // set defaults and stop scanning
const KBD_SET_DEFAULTS = 0xf6;
const KBD_RESEND = 0xfe;
const KBD_RESET = 0xff;
const KBD_ACK = 0xfa;
const KBD_NAK = 0xfe; // "resend": the command or parameter was not understood
const KBD_BAT_OK = 0xaa; // basic assurance test passed
const KBD_ID = [0xab, 0x83] as const; // MF2 keyboard
const KBD_TYPEMATIC_DEFAULT = 0x2b; // 10.9 characters/s, 500 ms delay
const KBD_BUFFER_SIZE = 16;

const SET2_BREAK = 0xf0; // set 2 break prefix
const SET1_BREAK = 0x80; // set 1 break: bit 7 of the code
const EXTENDED = 0xe0; // prefix of extended keys in sets 1 and 2

/**
 * The 8042's set 2 -> set 1 translation for bytes 0x00-0x7F (IBM PS/2 Technical Reference,
 * "Keyboard Scan Code Set 2" / translated codes), 16 to a row. Bytes 0x80 and up pass through
 * unchanged except 0x83 (F7, -> 0x41) and 0x84 (Alt+SysRq, -> 0x54).
 */
const SET2_TO_SET1: readonly number[] = [
  /* 00 */ 0xff, 0x43, 0x41, 0x3f, 0x3d, 0x3b, 0x3c, 0x58, 0x64, 0x44, 0x42, 0x40, 0x3e, 0x0f, 0x29, 0x59,
  /* 10 */ 0x65, 0x38, 0x2a, 0x70, 0x1d, 0x10, 0x02, 0x5a, 0x66, 0x71, 0x2c, 0x1f, 0x1e, 0x11, 0x03, 0x5b,
  /* 20 */ 0x67, 0x2e, 0x2d, 0x20, 0x12, 0x05, 0x04, 0x5c, 0x68, 0x39, 0x2f, 0x21, 0x14, 0x13, 0x06, 0x5d,
  /* 30 */ 0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5e, 0x6a, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5f,
  /* 40 */ 0x6b, 0x33, 0x25, 0x17, 0x18, 0x0b, 0x0a, 0x60, 0x6c, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0c, 0x61,
  /* 50 */ 0x6d, 0x73, 0x28, 0x74, 0x1a, 0x0d, 0x62, 0x6e, 0x3a, 0x36, 0x1c, 0x1b, 0x75, 0x2b, 0x63, 0x76,
  /* 60 */ 0x55, 0x56, 0x77, 0x78, 0x79, 0x7a, 0x0e, 0x7b, 0x7c, 0x4f, 0x7d, 0x4b, 0x47, 0x7e, 0x7f, 0x6f,
  /* 70 */ 0x52, 0x53, 0x50, 0x4c, 0x4d, 0x48, 0x01, 0x45, 0x57, 0x4e, 0x51, 0x4a, 0x37, 0x49, 0x46, 0x54,
];
const SET2_F7 = 0x83;
const SET2_SYSRQ = 0x84;

/**
 * Keys by DOM `KeyboardEvent.code`: [code, set 1 make code, set 2 make code]. A value 0xE0xx is
 * the extended key xx (sent as E0 xx). Breaks: set 1 = make | 0x80, set 2 = F0 before the last
 * byte. PrintScreen and Pause have sequences of their own (KEY_SEQUENCES).
 */
const KEY_TABLE: readonly (readonly [string, number, number])[] = [
  ["Escape", 0x01, 0x76],
  ["Digit1", 0x02, 0x16], ["Digit2", 0x03, 0x1e], ["Digit3", 0x04, 0x26], ["Digit4", 0x05, 0x25],
  ["Digit5", 0x06, 0x2e], ["Digit6", 0x07, 0x36], ["Digit7", 0x08, 0x3d], ["Digit8", 0x09, 0x3e],
  ["Digit9", 0x0a, 0x46], ["Digit0", 0x0b, 0x45],
  ["Minus", 0x0c, 0x4e], ["Equal", 0x0d, 0x55], ["Backspace", 0x0e, 0x66], ["Tab", 0x0f, 0x0d],
  ["KeyQ", 0x10, 0x15], ["KeyW", 0x11, 0x1d], ["KeyE", 0x12, 0x24], ["KeyR", 0x13, 0x2d],
  ["KeyT", 0x14, 0x2c], ["KeyY", 0x15, 0x35], ["KeyU", 0x16, 0x3c], ["KeyI", 0x17, 0x43],
  ["KeyO", 0x18, 0x44], ["KeyP", 0x19, 0x4d], ["BracketLeft", 0x1a, 0x54], ["BracketRight", 0x1b, 0x5b],
  ["Enter", 0x1c, 0x5a], ["ControlLeft", 0x1d, 0x14],
  ["KeyA", 0x1e, 0x1c], ["KeyS", 0x1f, 0x1b], ["KeyD", 0x20, 0x23], ["KeyF", 0x21, 0x2b],
  ["KeyG", 0x22, 0x34], ["KeyH", 0x23, 0x33], ["KeyJ", 0x24, 0x3b], ["KeyK", 0x25, 0x42],
  ["KeyL", 0x26, 0x4b], ["Semicolon", 0x27, 0x4c], ["Quote", 0x28, 0x52], ["Backquote", 0x29, 0x0e],
  ["ShiftLeft", 0x2a, 0x12], ["Backslash", 0x2b, 0x5d],
  ["KeyZ", 0x2c, 0x1a], ["KeyX", 0x2d, 0x22], ["KeyC", 0x2e, 0x21], ["KeyV", 0x2f, 0x2a],
  ["KeyB", 0x30, 0x32], ["KeyN", 0x31, 0x31], ["KeyM", 0x32, 0x3a], ["Comma", 0x33, 0x41],
  ["Period", 0x34, 0x49], ["Slash", 0x35, 0x4a], ["ShiftRight", 0x36, 0x59],
  ["NumpadMultiply", 0x37, 0x7c], ["AltLeft", 0x38, 0x11], ["Space", 0x39, 0x29], ["CapsLock", 0x3a, 0x58],
  ["F1", 0x3b, 0x05], ["F2", 0x3c, 0x06], ["F3", 0x3d, 0x04], ["F4", 0x3e, 0x0c], ["F5", 0x3f, 0x03],
  ["F6", 0x40, 0x0b], ["F7", 0x41, 0x83], ["F8", 0x42, 0x0a], ["F9", 0x43, 0x01], ["F10", 0x44, 0x09],
  ["NumLock", 0x45, 0x77], ["ScrollLock", 0x46, 0x7e],
  ["Numpad7", 0x47, 0x6c], ["Numpad8", 0x48, 0x75], ["Numpad9", 0x49, 0x7d], ["NumpadSubtract", 0x4a, 0x7b],
  ["Numpad4", 0x4b, 0x6b], ["Numpad5", 0x4c, 0x73], ["Numpad6", 0x4d, 0x74], ["NumpadAdd", 0x4e, 0x79],
  ["Numpad1", 0x4f, 0x69], ["Numpad2", 0x50, 0x72], ["Numpad3", 0x51, 0x7a], ["Numpad0", 0x52, 0x70],
  ["NumpadDecimal", 0x53, 0x71], ["IntlBackslash", 0x56, 0x61], ["F11", 0x57, 0x78], ["F12", 0x58, 0x07],
  ["NumpadEnter", 0xe01c, 0xe05a], ["ControlRight", 0xe01d, 0xe014], ["NumpadDivide", 0xe035, 0xe04a],
  ["AltRight", 0xe038, 0xe011], ["Home", 0xe047, 0xe06c], ["ArrowUp", 0xe048, 0xe075],
  ["PageUp", 0xe049, 0xe07d], ["ArrowLeft", 0xe04b, 0xe06b], ["ArrowRight", 0xe04d, 0xe074],
  ["End", 0xe04f, 0xe069], ["ArrowDown", 0xe050, 0xe072], ["PageDown", 0xe051, 0xe07a],
  ["Insert", 0xe052, 0xe070], ["Delete", 0xe053, 0xe071], ["MetaLeft", 0xe05b, 0xe01f],
  ["MetaRight", 0xe05c, 0xe027], ["ContextMenu", 0xe05d, 0xe02f],
];

/** Keys whose make/break are sequences: [set 1 make, set 1 break, set 2 make, set 2 break]. */
const KEY_SEQUENCES: ReadonlyMap<string, readonly (readonly number[])[]> = new Map([
  ["PrintScreen", [
    [0xe0, 0x2a, 0xe0, 0x37], [0xe0, 0xb7, 0xe0, 0xaa],
    [0xe0, 0x12, 0xe0, 0x7c], [0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12],
  ]],
  ["Pause", [ // make only: Pause has no break code
    [0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5], [],
    [0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77], [],
  ]],
]);

const KEYS = new Map(KEY_TABLE.map(([code, set1, set2]) => [code, { set1, set2 }]));

/** DOM `KeyboardEvent.code` names `keyDown`/`keyUp` accept. */
export const KEY_CODES: readonly string[] = [...KEY_TABLE.map(([code]) => code), ...KEY_SEQUENCES.keys()];

/**
 * The bytes an MF2 keyboard sends in scan code set `set` (1 or 2) when the key with DOM code
 * `code` goes down (`down`) or up; undefined for an unknown code.
 */
export function scanCodes(code: string, down: boolean, set: 1 | 2): number[] | undefined {
  const seq = KEY_SEQUENCES.get(code);
  if (seq) return [...seq[(set === 1 ? 0 : 2) + (down ? 0 : 1)]!];
  const key = KEYS.get(code);
  if (!key) return undefined;
  const make = set === 1 ? key.set1 : key.set2;
  const prefix = make > 0xff ? [EXTENDED] : [];
  const last = make & 0xff;
  if (down) return [...prefix, last];
  return set === 1 ? [...prefix, last | SET1_BREAK] : [...prefix, SET2_BREAK, last];
}

/** One byte in the controller's output buffer queue. */
export interface I8042OutputByte {
  value: number;
  /** From the aux side (AUXB, IRQ 12) rather than the keyboard side (IRQ 1). */
  aux: boolean;
}

/** Snapshot of an {@link I8042}: plain data, JSON-serializable. */
export interface I8042State {
  version: 1;
  /** Controller RAM; byte 0 is the command byte. */
  ram: number[];
  /** Output port as written (bits 4-5 are computed on read). */
  outputPort: number;
  /** A controller command waiting for its data byte (0x60-0x7F, 0xD1-0xD4), or null. */
  pendingCommand: number | null;
  /** Status A2: the last write was to the command port. */
  lastWriteWasCommand: boolean;
  /** Output buffer (head) and the replies queued behind it. */
  output: I8042OutputByte[];
  /** What a data read returns when the output buffer is empty: the last byte read. */
  lastData: number;
  /** Translation saw an F0 break prefix and will set bit 7 of the next byte. */
  translateBreakPending: boolean;
  /** Keyboard: scanning enabled (F4/F5). */
  kbdScanning: boolean;
  /** Keyboard: scan code set, 1 or 2. */
  kbdScancodeSet: number;
  /** Keyboard: a command (ED, F0, F3) waiting for its parameter byte, or null. */
  kbdPendingCommand: number | null;
  kbdLeds: number;
  kbdTypematic: number;
  /** Keyboard: the last byte it sent (for Resend). */
  kbdLastSent: number;
  /** Keyboard: bytes not yet taken by the controller, oldest first (untranslated). */
  kbdQueue: number[];
}

/** Construction options for {@link I8042}. */
export interface I8042Options {
  /** Bus name; defaults to "i8042". */
  name?: string;
  /** IRQ 1: keyboard-side output buffer full. */
  kbdIrq: IrqLine;
  /** IRQ 12: aux-side output buffer full. */
  auxIrq: IrqLine;
  /** Where reset and A20 requests go. */
  system: SystemControl;
  /** Initial A20 gate (output port bit 1), as firmware leaves it; defaults to true (enabled). */
  a20Enabled?: boolean;
}

/** An 8042 keyboard controller with an MF2 keyboard and an empty aux port. */
export class I8042 implements BusDevice {
  readonly name: string;
  private readonly kbdIrq: IrqLine;
  private readonly auxIrq: IrqLine;
  private readonly system: SystemControl;
  private ram = new Array<number>(RAM_SIZE).fill(0);
  private outputPort: number;
  private pendingCommand: number | null = null;
  private lastWriteWasCommand = false;
  private output: I8042OutputByte[] = [];
  private lastData = 0;
  private translateBreakPending = false;
  private kbdScanning = true;
  private kbdScancodeSet: 1 | 2 = 2;
  private kbdPendingCommand: number | null = null;
  private kbdLeds = 0;
  private kbdTypematic = KBD_TYPEMATIC_DEFAULT;
  private kbdLastSent = KBD_ACK;
  private kbdQueue: number[] = [];
  private kbdIrqLevel: boolean | undefined = undefined;
  private auxIrqLevel: boolean | undefined = undefined;

  constructor(options: I8042Options) {
    this.name = options.name ?? "i8042";
    this.kbdIrq = options.kbdIrq;
    this.auxIrq = options.auxIrq;
    this.system = options.system;
    this.ram[0] = CMD_BYTE_DEFAULT;
    this.outputPort = OUT_LINES_IDLE | OUT_RESET | ((options.a20Enabled ?? true) ? OUT_A20 : 0);
    this.updateIrqs();
  }

  /**
   * The status/command register alone, at offset 0: for mapping port 0x64 as a one-port range of
   * its own (with this device mapped at 0x60, length 1) when port 0x61 is owned elsewhere.
   */
  readonly commandPort: BusDevice = {
    name: "i8042-command",
    read: (_offset: number, size: AccessSize) => this.read(PORT_STATUS_COMMAND, size),
    write: (_offset: number, size: AccessSize, value: number) => this.write(PORT_STATUS_COMMAND, size, value),
  };

  /** The controller command byte (RAM byte 0). */
  get commandByte(): number {
    return this.ram[0]!;
  }

  /** The A20 gate as this controller's output port last set it. */
  get a20Enabled(): boolean {
    return (this.outputPort & OUT_A20) !== 0;
  }

  /**
   * A key went down on the host; `code` is a DOM `KeyboardEvent.code` (see {@link KEY_CODES}).
   * Returns false for an unknown code. Dropped while the keyboard is not scanning or its buffer is full.
   */
  keyDown(code: string): boolean {
    return this.keyEvent(code, true);
  }

  /** A key went up on the host; as {@link keyDown}. */
  keyUp(code: string): boolean {
    return this.keyEvent(code, false);
  }

  /** Offset 0 reads the output buffer, offset 4 the status register; offsets 1-3 read 0xFF. */
  read(offset: number, _size: AccessSize): number {
    switch (offset) {
      case PORT_DATA:
        return this.readData();
      case PORT_STATUS_COMMAND:
        return this.status();
      default:
        return 0xff;
    }
  }

  /** Offset 0 takes data (a command's parameter or a byte for the keyboard), offset 4 a command. */
  write(offset: number, _size: AccessSize, value: number): void {
    const v = value & 0xff;
    if (offset === PORT_DATA) this.writeData(v);
    else if (offset === PORT_STATUS_COMMAND) this.writeCommand(v);
    else return;
    this.refill();
    this.updateIrqs();
  }

  /** A snapshot of the device (copies; safe to JSON.stringify). */
  getState(): I8042State {
    return {
      version: 1,
      ram: [...this.ram],
      outputPort: this.outputPort,
      pendingCommand: this.pendingCommand,
      lastWriteWasCommand: this.lastWriteWasCommand,
      output: this.output.map((b) => ({ ...b })),
      lastData: this.lastData,
      translateBreakPending: this.translateBreakPending,
      kbdScanning: this.kbdScanning,
      kbdScancodeSet: this.kbdScancodeSet,
      kbdPendingCommand: this.kbdPendingCommand,
      kbdLeds: this.kbdLeds,
      kbdTypematic: this.kbdTypematic,
      kbdLastSent: this.kbdLastSent,
      kbdQueue: [...this.kbdQueue],
    };
  }

  /** Restore a snapshot from {@link getState}; throws on a malformed one. Drives both IRQ lines. */
  setState(s: I8042State): void {
    if (s === null || typeof s !== "object" || s.version !== 1) throw new Error(`${this.name}: unsupported state`);
    const isByte = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xff;
    const byte = (field: "outputPort" | "lastData" | "kbdLeds" | "kbdTypematic" | "kbdLastSent"): number => {
      const v = s[field];
      if (!isByte(v)) throw new Error(`${this.name}: bad state field ${field}: ${String(v)}`);
      return v;
    };
    const bytes = (field: "ram" | "kbdQueue", length?: number): number[] => {
      const v = s[field];
      if (!Array.isArray(v) || (length !== undefined && v.length !== length) || !v.every(isByte)) {
        throw new Error(`${this.name}: bad state field ${field}`);
      }
      return [...v];
    };
    const optionalByte = (field: "pendingCommand" | "kbdPendingCommand"): number | null => {
      const v = s[field];
      if (v !== null && !isByte(v)) throw new Error(`${this.name}: bad state field ${field}: ${String(v)}`);
      return v;
    };
    const flag = (field: "lastWriteWasCommand" | "translateBreakPending" | "kbdScanning"): boolean => {
      const v = s[field];
      if (typeof v !== "boolean") throw new Error(`${this.name}: bad state field ${field}`);
      return v;
    };
    if (
      !Array.isArray(s.output) ||
      !s.output.every((b) => b !== null && typeof b === "object" && isByte(b.value) && typeof b.aux === "boolean")
    ) {
      throw new Error(`${this.name}: bad state field output`);
    }
    if (s.kbdScancodeSet !== 1 && s.kbdScancodeSet !== 2) {
      throw new Error(`${this.name}: bad state field kbdScancodeSet: ${String(s.kbdScancodeSet)}`);
    }
    this.ram = bytes("ram", RAM_SIZE);
    this.kbdQueue = bytes("kbdQueue");
    this.outputPort = byte("outputPort");
    this.lastData = byte("lastData");
    this.kbdLeds = byte("kbdLeds");
    this.kbdTypematic = byte("kbdTypematic");
    this.kbdLastSent = byte("kbdLastSent");
    this.pendingCommand = optionalByte("pendingCommand");
    this.kbdPendingCommand = optionalByte("kbdPendingCommand");
    this.lastWriteWasCommand = flag("lastWriteWasCommand");
    this.translateBreakPending = flag("translateBreakPending");
    this.kbdScanning = flag("kbdScanning");
    this.kbdScancodeSet = s.kbdScancodeSet;
    this.output = s.output.map((b) => ({ value: b.value, aux: b.aux }));
    this.refill();
    this.kbdIrqLevel = this.auxIrqLevel = undefined; // force the lines to be driven
    this.updateIrqs();
  }

  // ---- controller ----

  private status(): number {
    const head = this.output[0];
    return (
      (head ? STATUS_OBF : 0) |
      (head?.aux ? STATUS_AUXB : 0) |
      (this.commandByte & CMD_BYTE_SYS ? STATUS_SYS : 0) |
      (this.lastWriteWasCommand ? STATUS_A2 : 0) |
      STATUS_INH
    );
  }

  private readData(): number {
    const head = this.output.shift();
    if (!head) return this.lastData; // the buffer still holds the last byte read
    this.lastData = head.value;
    // Drop both lines before loading the next byte, so it raises a new edge.
    this.setIrqs(false, false);
    this.refill();
    this.updateIrqs();
    return head.value;
  }

  private writeData(v: number): void {
    this.lastWriteWasCommand = false;
    const command = this.pendingCommand;
    this.pendingCommand = null;
    if (command === null) {
      // Sending to the keyboard releases its clock: the keyboard interface is enabled.
      this.ram[0] = this.commandByte & ~CMD_BYTE_KBD_DISABLE;
      this.keyboardReceive(v);
      return;
    }
    if (command >= CTL_WRITE_RAM && command <= CTL_WRITE_RAM_LAST) {
      this.ram[command - CTL_WRITE_RAM] = v;
      return;
    }
    switch (command) {
      case CTL_WRITE_OUTPUT_PORT:
        this.writeOutputPort(v);
        break;
      case CTL_WRITE_KBD_BUFFER:
        this.reply(v, false);
        break;
      case CTL_WRITE_AUX_BUFFER:
        this.reply(v, true);
        break;
      case CTL_WRITE_AUX:
        this.reply(KBD_NAK, true); // no aux device: nothing acknowledges the byte
        break;
    }
  }

  private writeCommand(c: number): void {
    this.lastWriteWasCommand = true;
    this.pendingCommand = null; // a new command abandons a parameter not yet written
    if (c >= CTL_READ_RAM && c <= CTL_READ_RAM_LAST) {
      this.reply(this.ram[c - CTL_READ_RAM]!, false);
      return;
    }
    if (c >= CTL_WRITE_RAM && c <= CTL_WRITE_RAM_LAST) {
      this.pendingCommand = c;
      return;
    }
    if (c >= CTL_PULSE_FIRST) {
      // Bits 3-0 of the command select output port lines to pulse low; only bit 0 (reset) matters.
      if ((c & OUT_RESET) === 0) this.system.reset();
      return;
    }
    switch (c) {
      case CTL_AUX_DISABLE:
        this.ram[0] = this.commandByte | CMD_BYTE_AUX_DISABLE;
        break;
      case CTL_AUX_ENABLE:
        this.ram[0] = this.commandByte & ~CMD_BYTE_AUX_DISABLE;
        break;
      case CTL_AUX_TEST:
      case CTL_KBD_TEST:
        this.reply(INTERFACE_OK, false);
        break;
      case CTL_SELF_TEST:
        this.ram[0] = this.commandByte | CMD_BYTE_SYS;
        this.reply(SELF_TEST_PASSED, false);
        break;
      case CTL_KBD_DISABLE:
        this.ram[0] = this.commandByte | CMD_BYTE_KBD_DISABLE;
        break;
      case CTL_KBD_ENABLE:
        this.ram[0] = this.commandByte & ~CMD_BYTE_KBD_DISABLE;
        break;
      case CTL_READ_INPUT_PORT:
        this.reply(INPUT_PORT, false);
        break;
      case CTL_READ_OUTPUT_PORT: {
        const head = this.output[0];
        const live = head ? (head.aux ? OUT_AUX_OBF : OUT_KBD_OBF) : 0;
        this.reply((this.outputPort & ~(OUT_KBD_OBF | OUT_AUX_OBF)) | live, false);
        break;
      }
      case CTL_WRITE_OUTPUT_PORT:
      case CTL_WRITE_KBD_BUFFER:
      case CTL_WRITE_AUX_BUFFER:
      case CTL_WRITE_AUX:
        this.pendingCommand = c;
        break;
      case CTL_A20_OFF:
        this.setA20(false);
        break;
      case CTL_A20_ON:
        this.setA20(true);
        break;
      default:
        break; // unimplemented commands (passwords, version, test inputs) do nothing
    }
  }

  private writeOutputPort(v: number): void {
    this.outputPort = (v & ~(OUT_KBD_OBF | OUT_AUX_OBF)) | OUT_RESET; // the reset pulse ends
    this.system.setA20((v & OUT_A20) !== 0);
    if ((v & OUT_RESET) === 0) this.system.reset();
  }

  private setA20(enabled: boolean): void {
    this.outputPort = enabled ? this.outputPort | OUT_A20 : this.outputPort & ~OUT_A20;
    this.system.setA20(enabled);
  }

  /** Queue a controller-generated byte behind the output buffer. */
  private reply(value: number, aux: boolean): void {
    if (this.output.length < OUTPUT_LIMIT) this.output.push({ value, aux });
  }

  /** With the output buffer empty and the keyboard enabled, take the keyboard's next byte. */
  private refill(): void {
    while (this.output.length === 0 && this.kbdQueue.length > 0 && !(this.commandByte & CMD_BYTE_KBD_DISABLE)) {
      const raw = this.kbdQueue.shift()!;
      const value = this.commandByte & CMD_BYTE_XLAT ? this.translate(raw) : raw;
      if (value !== null) this.output.push({ value, aux: false });
    }
  }

  /** Set 2 -> set 1; null when the byte is an F0 prefix absorbed into the next one. */
  private translate(b: number): number | null {
    if (b === SET2_BREAK) {
      this.translateBreakPending = true;
      return null;
    }
    let t: number;
    if (b < 0x80) t = SET2_TO_SET1[b]!;
    else if (b === SET2_F7) t = 0x41;
    else if (b === SET2_SYSRQ) t = 0x54;
    else return b; // prefixes and replies (E0, E1, FA, AA, AB...) pass through
    if (this.translateBreakPending) {
      this.translateBreakPending = false;
      t |= SET1_BREAK;
    }
    return t;
  }

  private updateIrqs(): void {
    const head = this.output[0];
    this.setIrqs(
      head !== undefined && !head.aux && (this.commandByte & CMD_BYTE_KBD_INT) !== 0,
      head !== undefined && head.aux && (this.commandByte & CMD_BYTE_AUX_INT) !== 0,
    );
  }

  private setIrqs(kbd: boolean, aux: boolean): void {
    if (kbd !== this.kbdIrqLevel) {
      this.kbdIrqLevel = kbd;
      this.kbdIrq.set(kbd);
    }
    if (aux !== this.auxIrqLevel) {
      this.auxIrqLevel = aux;
      this.auxIrq.set(aux);
    }
  }

  // ---- keyboard ----

  private keyEvent(code: string, down: boolean): boolean {
    const bytes = scanCodes(code, down, this.kbdScancodeSet);
    if (!bytes) return false;
    if (this.kbdScanning && this.kbdQueue.length + bytes.length <= KBD_BUFFER_SIZE) {
      for (const b of bytes) this.kbdSend(b);
      this.refill();
      this.updateIrqs();
    }
    return true;
  }

  private kbdSend(b: number): void {
    this.kbdQueue.push(b);
    this.kbdLastSent = b;
  }

  private kbdDefaults(): void {
    this.kbdScancodeSet = 2;
    this.kbdTypematic = KBD_TYPEMATIC_DEFAULT;
    this.kbdQueue = [];
  }

  /** A byte from the host to the keyboard: a command, or the parameter of the previous one. */
  private keyboardReceive(v: number): void {
    const command = this.kbdPendingCommand;
    this.kbdPendingCommand = null;
    if (command !== null) {
      this.keyboardParameter(command, v);
      return;
    }
    switch (v) {
      case KBD_SET_LEDS:
      case KBD_TYPEMATIC:
      case KBD_SCANCODE_SET:
        this.kbdPendingCommand = v;
        this.kbdSend(KBD_ACK);
        break;
      case KBD_ECHO:
        this.kbdSend(KBD_ECHO);
        break;
      case KBD_IDENTIFY:
        this.kbdSend(KBD_ACK);
        for (const b of KBD_ID) this.kbdSend(b);
        break;
      case KBD_ENABLE:
        this.kbdQueue = [];
        this.kbdScanning = true;
        this.kbdSend(KBD_ACK);
        break;
      case KBD_DISABLE:
        this.kbdDefaults();
        this.kbdScanning = false;
        this.kbdSend(KBD_ACK);
        break;
      case KBD_SET_DEFAULTS:
        this.kbdDefaults();
        this.kbdSend(KBD_ACK);
        break;
      case KBD_RESEND:
        this.kbdQueue.push(this.kbdLastSent);
        break;
      case KBD_RESET:
        this.kbdDefaults();
        this.kbdLeds = 0;
        this.kbdScanning = true;
        this.kbdSend(KBD_ACK);
        this.kbdSend(KBD_BAT_OK);
        break;
      default:
        this.kbdSend(KBD_NAK);
    }
  }

  private keyboardParameter(command: number, v: number): void {
    switch (command) {
      case KBD_SET_LEDS:
        this.kbdLeds = v & 0x07; // bit 0 Scroll Lock, bit 1 Num Lock, bit 2 Caps Lock
        this.kbdSend(KBD_ACK);
        break;
      case KBD_TYPEMATIC:
        this.kbdTypematic = v & 0x7f;
        this.kbdSend(KBD_ACK);
        break;
      case KBD_SCANCODE_SET:
        if (v === 0) {
          this.kbdSend(KBD_ACK);
          this.kbdSend(this.kbdScancodeSet);
        } else if (v === 1 || v === 2) {
          this.kbdScancodeSet = v;
          this.kbdSend(KBD_ACK);
        } else {
          this.kbdSend(KBD_NAK); // set 3 is not supported
        }
        break;
    }
  }
}
