// The default Linux guest built by scripts/build-guest.mjs: its newc cpio writer, the initramfs it
// makes from Debian's busybox, the manifest, and a boot of the result under QEMU (the reference)
// that reaches the shell prompt and runs commands.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILD_TIMEOUT, INITRD, KERNEL, MANIFEST, ROOT, ensureLinuxGuest, loadBuildGuestScript, parseNewc, type BuildGuestScript, type NewcRecord } from "./guest";

let script: BuildGuestScript;
beforeAll(async () => {
  script = await loadBuildGuestScript();
});

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("newc cpio writer", () => {
  it("writes 110-byte ASCII headers, 4-byte padding and the trailer", () => {
    const archive = script.cpioNewc([
      { name: "d", mode: 0o040755, nlink: 2 },
      { name: "d/f", mode: 0o100644, data: "hello", mtime: 0x5f000000, uid: 1, gid: 2 },
      { name: "d/l", mode: 0o120777, data: "f" },
      { name: "c", mode: 0o020600, rdevMajor: 5, rdevMinor: 1 },
    ]);
    expect(archive.length % 4).toBe(0);
    // header by hand: magic, ino 1, mode 040755, uid, gid, nlink 2, mtime, size 0, dev 0/0, rdev 0/0, namesize 2, check
    expect(archive.subarray(0, 112).toString("latin1")).toBe(
      "070701" + "00000001" + "000041ED" + "00000000" + "00000000" + "00000002" + "00000000" + "00000000" +
        "00000000" + "00000000" + "00000000" + "00000000" + "00000002" + "00000000" + "d\0",
    );
    const recs = parseNewc(archive);
    expect(recs.map((r) => r.name)).toEqual(["d", "d/f", "d/l", "c", "TRAILER!!!"]);
    const [, f, l, c, t] = recs;
    expect(f).toMatchObject({ ino: 2, mode: 0o100644, uid: 1, gid: 2, nlink: 1, mtime: 0x5f000000 });
    expect(Buffer.from(f.data).toString()).toBe("hello");
    expect(l.mode).toBe(0o120777);
    expect(Buffer.from(l.data).toString()).toBe("f");
    expect(c).toMatchObject({ mode: 0o020600, rdevMajor: 5, rdevMinor: 1 });
    expect(c.data.length).toBe(0);
    expect(t).toMatchObject({ ino: 0, mode: 0, nlink: 1 });
    expect(t.data.length).toBe(0);
    expect(archive.subarray(t.offset + 110, t.offset + 121).toString("latin1")).toBe("TRAILER!!!\0");
  });

  it("pads header+name and data to 4 bytes for every name and size", () => {
    for (let n = 1; n <= 4; n++) {
      for (let size = 0; size <= 5; size++) {
        const name = "abcd".slice(0, n);
        const recs = parseNewc(script.cpioNewc([{ name, mode: 0o100644, data: new Uint8Array(size).fill(0xaa) }]));
        expect(recs[0].name).toBe(name);
        expect(recs[0].data.length).toBe(size);
      }
    }
  });

  it("rejects absolute and repeated names", () => {
    expect(() => script.cpioNewc([{ name: "/init", mode: 0o100755 }])).toThrow(/bad or repeated name/);
    expect(() => script.cpioNewc([{ name: "a", mode: 0o040755 }, { name: "a", mode: 0o040755 }])).toThrow(/bad or repeated name/);
  });

  it("lists parents before children in the initramfs recipe", () => {
    const names = script.initramfsEntries("").map((e) => e.name);
    for (const n of names) {
      const parent = n.includes("/") ? n.slice(0, n.lastIndexOf("/")) : null;
      if (parent) expect(names.indexOf(parent), n).toBeLessThan(names.indexOf(n));
    }
  });
});

describe("the default Linux guest (public/guests/linux, built on demand)", () => {
  let recs: Map<string, NewcRecord>;
  let manifest: {
    recipeSha256: string;
    packages: Record<string, { name: string; version: string; sha256?: string }>;
    files: Record<string, { size: number; sha256: string }>;
  };
  beforeAll(() => {
    ensureLinuxGuest();
    recs = new Map(parseNewc(gunzipSync(readFileSync(INITRD))).map((r) => [r.name, r]));
    manifest = JSON.parse(readFileSync(MANIFEST, "utf8"));
  }, BUILD_TIMEOUT);

  it("has an executable /init that mounts, prints the marker and starts a job-control shell", () => {
    const init = recs.get("init")!;
    expect(init.mode).toBe(0o100755);
    const text = Buffer.from(init.data).toString();
    expect(text).toBe(script.INIT_SCRIPT);
    expect(text.startsWith("#!/bin/sh\n")).toBe(true);
    for (const line of ["mount -t proc proc /proc", "mount -t sysfs sysfs /sys", "mount -t devtmpfs devtmpfs /dev", "--install -s", `echo "tabvisor: init started"`, "exec setsid cttyhack sh"]) {
      expect(text).toContain(line);
    }
    expect(text).toContain(`PS1='~ # '`);
  });

  it("has the console device nodes and the directories", () => {
    expect(recs.get("dev/console")).toMatchObject({ mode: 0o020600, rdevMajor: 5, rdevMinor: 1 });
    expect(recs.get("dev/ttyS0")).toMatchObject({ mode: 0o020660, rdevMajor: 4, rdevMinor: 64 });
    for (const d of ["proc", "sys", "dev", "tmp", "etc", "root", "bin", "sbin"]) expect(recs.get(d)?.mode! & 0o170000, d).toBe(0o040000);
    expect(recs.get("tmp")!.mode & 0o7777).toBe(0o1777);
  });

  it("has Debian's static i386 busybox and the applet links", () => {
    const bb = recs.get("bin/busybox")!;
    expect(bb.mode).toBe(0o100755);
    const elf = Buffer.from(bb.data);
    expect(elf.readUInt32BE(0)).toBe(0x7f454c46);
    expect(elf[4]).toBe(1); // ELFCLASS32
    expect(elf.readUInt16LE(18)).toBe(3); // EM_386
    expect(sha256(bb.data)).toBe(manifest.packages.busybox.sha256);
    const need = ["sh", "ls", "cat", "echo", "mount", "uname", "head", "ps", "dmesg", "mkdir", "sleep", "cttyhack", "setsid"];
    for (const a of need) {
      expect(recs.get(`bin/${a}`)?.mode, a).toBe(0o120777);
      expect(Buffer.from(recs.get(`bin/${a}`)!.data).toString()).toBe("busybox");
    }
    for (const a of ["poweroff", "reboot"]) expect(Buffer.from(recs.get(`sbin/${a}`)!.data).toString()).toBe("../bin/busybox");
  });

  it("matches its manifest", () => {
    expect(manifest.packages.kernel.name).toMatch(/^linux-image-6\.1\.0-\d+-686-unsigned$/);
    expect(manifest.packages.busybox.name).toBe("busybox-static");
    expect(manifest.recipeSha256).toBe(script.RECIPE_SHA256);
    for (const [file, path] of [["bzImage", KERNEL], ["initrd.gz", INITRD]] as const) {
      const data = readFileSync(path);
      expect(manifest.files[file]).toEqual({ size: data.length, sha256: sha256(data) });
    }
  });

  it("is reused by the next build", () => {
    const r = spawnSync(process.execPath, ["scripts/build-guest.mjs"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^up to date/);
  });

  it("boots under qemu-system-i386 to a shell that runs commands", async () => {
    const r = await script.bootUnderQemu({ commands: ["uname -m; echo $((6*7))", "tty; echo pid=$$"] });
    const lines = r.transcript.replace(/\r/g, "").split("\n");
    expect(lines).toContain("tabvisor: init started");
    expect(lines).toContain("i686");
    expect(lines).toContain("42");
    expect(lines).toContain("/dev/ttyS0"); // the shell's controlling terminal: job control works
    expect(lines).toContain("pid=1");
    expect(r.transcript).toMatch(/reboot: Power down/); // `poweroff` at the prompt powers off
    expect(r.ms.prompt).toBeGreaterThan(r.ms.marker - 1);
  }, 150_000);
});
