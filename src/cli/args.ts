// Command-line parsing for `tabvisor`, in QEMU's vocabulary. Pure: no I/O, so it is unit-tested.
// Every problem is a UsageError whose message is the one line the user sees.

/** A command-line mistake (exit status 2). */
export class UsageError extends Error {}

export type CharDev = { kind: "stdio" } | { kind: "none" } | { kind: "file"; path: string };

export interface CliOptions {
  bios?: string;
  kernel?: string;
  initrd?: string;
  append?: string;
  /** Bytes. */
  memory: number;
  serial: CharDev;
  debugcon: CharDev;
  maxInstructions?: number;
  postCodePort?: number;
  help: boolean;
}

const MIB = 1024 * 1024;

export const HELP = `usage: tabvisor -bios FILE [options]
       tabvisor -kernel bzImage [-initrd FILE] [-append CMDLINE] [options]
  -bios FILE            BIOS ROM image (64 KiB or 128 KiB), mapped below 1 MiB and 4 GiB; the CPU starts at F000:FFF0
  -kernel FILE          boot a Linux bzImage directly (x86 boot protocol), like qemu -kernel
  -initrd FILE          initial ramdisk for -kernel
  -append CMDLINE       kernel command line (e.g. "console=ttyS0")
  -m SIZE               guest RAM: 16M, 128M, 1G (a plain number means MiB; default 128M)
  -serial DEV           COM1: stdio, none, or file:PATH (default none)
  -debugcon DEV         debug console on port 0xE9: stdio, none, or file:PATH (default none)
  -max-instructions N   stop after N guest instructions (status 8)
  -postcode-port PORT   a second POST code port besides 0x80 (e.g. 0x190)
  -help                 this text
exit status: the guest's isa-debug-exit value v (port 0xF4) as (v << 1) | 1; 0 on power-off;
  2 bad usage or input; 4 triple fault; 6 unimplemented instruction or internal error;
  8 instruction budget used up; 10 halted with interrupts disabled
with -serial stdio, type Ctrl-A x to quit`;

/** Parse a QEMU-style size: "16M", "1G", "512k", or a plain number of MiB. */
export function parseSize(text: string): number {
  const m = /^(\d+)([kKmMgG]?)[bB]?$/.exec(text);
  if (!m) throw new UsageError(`invalid memory size '${text}' (try 16M or 1G)`);
  const n = Number(m[1]);
  const unit = m[2].toUpperCase();
  const bytes = unit === "K" ? n * 1024 : unit === "G" ? n * 1024 * MIB : n * MIB;
  return bytes;
}

/** Parse a number in decimal or 0x-hex. */
export function parseNumber(option: string, text: string): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`option ${option}: '${text}' is not a number`);
  return n;
}

function parseCharDev(option: string, text: string): CharDev {
  if (text === "stdio") return { kind: "stdio" };
  if (text === "none" || text === "null") return { kind: "none" };
  if (text.startsWith("file:") && text.length > 5) return { kind: "file", path: text.slice(5) };
  throw new UsageError(`option ${option}: unsupported device '${text}' (use stdio, none or file:PATH)`);
}

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { memory: 128 * MIB, serial: { kind: "none" }, debugcon: { kind: "none" }, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const opt = arg.startsWith("--") ? arg.slice(1) : arg; // accept --bios as well as -bios
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option ${opt} needs a value`);
      return v;
    };
    switch (opt) {
      case "-bios": o.bios = value(); break;
      case "-kernel": o.kernel = value(); break;
      case "-initrd": o.initrd = value(); break;
      case "-append": o.append = value(); break;
      case "-m": o.memory = parseSize(value()); break;
      case "-serial": o.serial = parseCharDev(opt, value()); break;
      case "-debugcon": o.debugcon = parseCharDev(opt, value()); break;
      case "-max-instructions": {
        const n = parseNumber(opt, value());
        if (n <= 0) throw new UsageError(`option ${opt}: must be at least 1`);
        o.maxInstructions = n;
        break;
      }
      case "-postcode-port": {
        const n = parseNumber(opt, value());
        if (n > 0xffff) throw new UsageError(`option ${opt}: port ${text(n)} is above 0xFFFF`);
        o.postCodePort = n;
        break;
      }
      case "-h": case "-help": o.help = true; break;
      default:
        if (opt.startsWith("-")) throw new UsageError(`unknown option '${arg}' (see tabvisor -help)`);
        throw new UsageError(`unexpected argument '${arg}' (see tabvisor -help)`);
    }
  }
  if (!o.help && o.bios === undefined && o.kernel === undefined) {
    throw new UsageError("no guest to run: give -bios FILE or -kernel FILE (see tabvisor -help)");
  }
  if (o.kernel === undefined && (o.initrd !== undefined || o.append !== undefined)) {
    throw new UsageError("-initrd and -append need -kernel");
  }
  return o;
}

function text(n: number): string {
  return "0x" + n.toString(16).toUpperCase();
}
