// `tabvisor` under Node: runs a guest headless with QEMU-style options, wires COM1 and the debug
// console to stdio or files, and exits with the run's status. Errors are one line, never a stack.

import { readFileSync, openSync, writeSync, closeSync } from "node:fs";
import { createVM, VmConfigError, type Vm } from "../node";
import type { ByteSink } from "../vmm/device";
import { parseArgs, UsageError, HELP, type CharDev } from "./args";
import { STATUS_USAGE } from "../vmm/outcome";

const CTRL_A = 0x01;

function sinkFor(dev: CharDev, opened: number[]): ByteSink | undefined {
  if (dev.kind === "stdio") return { write: (b) => void process.stdout.write(b) };
  if (dev.kind === "file") {
    let fd: number;
    try {
      fd = openSync(dev.path, "w");
    } catch (e) {
      throw new UsageError(`cannot open '${dev.path}' for writing: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    opened.push(fd);
    return { write: (b) => void writeSync(fd, b) };
  }
  return undefined;
}

function readImage(what: string, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new UsageError(`cannot read ${what} '${path}': ${why}`);
  }
}

/** Feed stdin to COM1. On a terminal: raw mode, and Ctrl-A x quits (as in QEMU). */
function attachStdin(vm: Vm, quit: () => void): () => void {
  const stdin = process.stdin;
  const tty = stdin.isTTY;
  if (tty) stdin.setRawMode(true);
  let escape = false;
  const onData = (chunk: Buffer) => {
    if (tty) {
      for (const b of chunk) {
        if (escape) {
          escape = false;
          if (b === 0x78 /* x */) return quit();
          if (b !== CTRL_A) vm.sendSerial(Uint8Array.of(CTRL_A));
        } else if (b === CTRL_A) {
          escape = true;
          continue;
        }
        vm.sendSerial(Uint8Array.of(b));
      }
    } else {
      vm.sendSerial(chunk);
    }
  };
  stdin.on("data", onData);
  return () => {
    stdin.off("data", onData);
    if (tty) stdin.setRawMode(false);
    stdin.pause();
  };
}

export async function main(argv: string[]): Promise<number> {
  const opened: number[] = [];
  try {
    const o = parseArgs(argv);
    if (o.help) {
      process.stdout.write(HELP + "\n");
      return 0;
    }
    const bios = o.bios !== undefined ? readImage("BIOS image", o.bios) : undefined;
    const kernel = o.kernel !== undefined ? readImage("kernel", o.kernel) : undefined;
    const initrd = o.initrd !== undefined ? readImage("initrd", o.initrd) : undefined;
    const vm = await createVM({
      bios,
      biosName: `BIOS image '${o.bios}'`,
      kernel,
      kernelName: `kernel '${o.kernel}'`,
      initrd,
      initrdName: `initrd '${o.initrd}'`,
      cmdline: o.append,
      memorySize: o.memory,
      serial: sinkFor(o.serial, opened),
      debugcon: sinkFor(o.debugcon, opened),
      maxInstructions: o.maxInstructions,
      postCodePort: o.postCodePort,
    });
    const detach = o.serial.kind === "stdio" ? attachStdin(vm, () => vm.requestStop({ kind: "poweroff", status: 0, message: "quit from the console (Ctrl-A x)" })) : () => {};
    const outcome = await vm.start();
    detach();
    const stats = vm.stats();
    const post = stats.lastPostCode === null ? "" : `; last POST code 0x${stats.lastPostCode.toString(16).toUpperCase().padStart(2, "0")}`;
    process.stderr.write(`tabvisor: ${outcome.message} after ${stats.instructions} instructions${post}\n`);
    await vm.destroy();
    return outcome.status;
  } catch (e) {
    if (e instanceof UsageError || e instanceof VmConfigError) {
      process.stderr.write(`tabvisor: ${e.message}\n`);
      return STATUS_USAGE;
    }
    process.stderr.write(`tabvisor: internal error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}
