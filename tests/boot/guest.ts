// Shared by the tests/boot suites: the default Linux guest (built on demand by
// scripts/build-guest.mjs, which needs apt) and typed access to that script's exports.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const GUEST_DIR = `${ROOT}public/guests/linux`;
export const KERNEL = `${GUEST_DIR}/bzImage`;
export const INITRD = `${GUEST_DIR}/initrd.gz`;
export const MANIFEST = `${GUEST_DIR}/manifest.json`;
/** Downloading the kernel package (~52 MB) and building can take a few minutes on a slow mirror. */
export const BUILD_TIMEOUT = 600_000;

/** Builds the guest with `node scripts/build-guest.mjs` unless both files are there. */
export function ensureLinuxGuest(): void {
  if (existsSync(KERNEL) && existsSync(INITRD) && existsSync(MANIFEST)) return;
  const r = spawnSync(process.execPath, ["scripts/build-guest.mjs"], { cwd: ROOT, encoding: "utf8", timeout: BUILD_TIMEOUT });
  if (r.status !== 0) {
    throw new Error(`node scripts/build-guest.mjs failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
  }
}

export interface CpioEntry {
  name: string;
  mode: number;
  data?: Uint8Array | string;
  nlink?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  rdevMajor?: number;
  rdevMinor?: number;
}

export interface QemuBoot {
  transcript: string;
  /** Milliseconds after QEMU started. */
  ms: { marker: number; prompt: number; done: number; exit: number };
  command: string;
}

/** What tests use of scripts/build-guest.mjs. */
export interface BuildGuestScript {
  INIT_MARKER: string;
  PROMPT: string;
  INIT_SCRIPT: string;
  APPLETS: { bin: string[]; sbin: string[] };
  RECIPE_SHA256: string;
  cpioNewc(entries: CpioEntry[]): Buffer;
  initramfsEntries(busybox: Uint8Array | string): CpioEntry[];
  buildInitramfs(busybox: Uint8Array): Buffer;
  bootUnderQemu(opts?: { kernel?: string; initrd?: string; memory?: number; append?: string; commands?: string[]; timeoutMs?: number }): Promise<QemuBoot>;
}

export async function loadBuildGuestScript(): Promise<BuildGuestScript> {
  const url = new URL("../../scripts/build-guest.mjs", import.meta.url).href;
  return (await import(/* @vite-ignore */ url)) as BuildGuestScript;
}

/** A parsed newc record. */
export interface NewcRecord {
  name: string;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtime: number;
  rdevMajor: number;
  rdevMinor: number;
  data: Uint8Array;
  /** Offset of the record's header in the archive. */
  offset: number;
}

/**
 * Reads a newc ("070701") archive up to and including TRAILER!!!, checking the layout rules the
 * kernel's unpacker relies on: ASCII hex fields, header+name and data each padded to 4 bytes.
 */
export function parseNewc(archive: Uint8Array): NewcRecord[] {
  const text = (a: number, b: number) => String.fromCharCode(...archive.subarray(a, b));
  const out: NewcRecord[] = [];
  let pos = 0;
  for (;;) {
    if (pos % 4 !== 0) throw new Error(`record at ${pos} is not 4-byte aligned`);
    if (pos + 110 > archive.length) throw new Error(`archive ends inside a header at ${pos}`);
    const magic = text(pos, pos + 6);
    if (magic !== "070701") throw new Error(`bad magic ${JSON.stringify(magic)} at ${pos}`);
    const f: number[] = [];
    for (let i = 0; i < 13; i++) {
      const s = text(pos + 6 + i * 8, pos + 14 + i * 8);
      if (!/^[0-9A-Fa-f]{8}$/.test(s)) throw new Error(`bad field ${i} ${JSON.stringify(s)} at ${pos}`);
      f.push(parseInt(s, 16));
    }
    const [ino, mode, uid, gid, nlink, mtime, filesize, , , rdevMajor, rdevMinor, namesize, check] = f;
    if (check !== 0) throw new Error(`check field ${check} at ${pos}`);
    const nameStart = pos + 110;
    if (archive[nameStart + namesize - 1] !== 0) throw new Error(`name at ${pos} is not NUL-terminated`);
    const name = text(nameStart, nameStart + namesize - 1);
    const dataStart = Math.ceil((nameStart + namesize) / 4) * 4;
    for (let i = nameStart + namesize; i < dataStart; i++) if (archive[i] !== 0) throw new Error(`non-zero padding after ${name}`);
    const data = archive.subarray(dataStart, dataStart + filesize);
    if (data.length !== filesize) throw new Error(`${name}: data runs past the end`);
    out.push({ name, ino, mode, uid, gid, nlink, mtime, rdevMajor, rdevMinor, data, offset: pos });
    pos = Math.ceil((dataStart + filesize) / 4) * 4;
    if (name === "TRAILER!!!") {
      if (pos !== archive.length) throw new Error(`${archive.length - pos} bytes after the trailer`);
      return out;
    }
  }
}
