// Builds the default Linux guest from Debian bookworm's i386 packages:
//   public/guests/linux/bzImage      the 686 kernel (/boot/vmlinuz-* of linux-image-<abi>-686-unsigned)
//   public/guests/linux/initrd.gz    a busybox initramfs written here (newc cpio + gzip, no cpio tool)
//   public/guests/linux/manifest.json packages and versions used, sizes, sha256
// If both files exist and match the manifest (and the initramfs recipe below is unchanged), it
// prints "up to date" and exits 0. Only the part that is stale is rebuilt.
//
// Usage: node scripts/build-guest.mjs [--force] [--verify]
//   --force   rebuild both files even if they are up to date
//   --verify  then boot the result under qemu-system-i386 (TCG), type `uname -m; echo $((6*7))` at
//             the prompt, check the answers and power the guest off; prints the transcript and the
//             time to the prompt.
// Needs a Debian host with apt (downloads ~53 MB; the i386 architecture is enabled if missing,
// which needs root). Exits 1 with one line naming the command to run when apt cannot deliver.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const OUT_DIR = join(root, "public/guests/linux");
export const KERNEL_PATH = join(OUT_DIR, "bzImage");
export const INITRD_PATH = join(OUT_DIR, "initrd.gz");
export const MANIFEST_PATH = join(OUT_DIR, "manifest.json");

// ---------------------------------------------------------------------------------------------
// The initramfs recipe. Changing anything here changes RECIPE_SHA256 and rebuilds initrd.gz.

/** The marker /init prints on the console once it runs (tests and the VMM look for it). */
export const INIT_MARKER = "tabvisor: init started";
/** The shell prompt (PS1) of the guest. */
export const PROMPT = "~ # ";

/**
 * PID 1. The kernel opens /dev/console (from the archive) as fds 0-2 and runs this. console= is
 * ttyS0, but /dev/console can never be a controlling terminal, so a shell on it has no job
 * control (^C, ^Z); `setsid cttyhack sh` opens the real console device (/dev/ttyS0, found through
 * /sys/class/tty/console/active) as the controlling tty. PID 1 has no session yet, so setsid does
 * not fork: the interactive shell stays PID 1 and /etc/profile gives it the init duties below.
 */
export const INIT_SCRIPT = `#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
hostname tabvisor
echo "${INIT_MARKER}"
export HOME=/root PATH=/sbin:/usr/sbin:/bin:/usr/bin ENV=/etc/profile PS1='${PROMPT}'
cd /root
exec setsid cttyhack sh
`;

/**
 * Read by the interactive shell ($ENV). busybox's poweroff/reboot/halt ask PID 1 by signal
 * (USR2/TERM/USR1); the shell is PID 1 here, so it traps them and does the real thing. Leaving
 * the shell powers off instead of panicking the kernel ("Attempted to kill init").
 */
export const PROFILE = `if [ $$ = 1 ]; then
  trap 'poweroff -f' USR2 EXIT
  trap 'reboot -f' TERM
  trap 'halt -f' USR1
fi
`;

/** Applet links in the archive, so /init works before `busybox --install -s` adds the rest. */
export const APPLETS = {
  bin: [
    "sh", "ash", "ls", "cat", "echo", "mount", "umount", "uname", "head", "tail", "ps", "dmesg",
    "mkdir", "sleep", "cttyhack", "setsid", "hostname", "grep", "ln", "rm", "cp", "mv", "stty",
  ],
  sbin: ["poweroff", "reboot", "halt"],
};

const ETC = {
  passwd: "root:x:0:0:root:/root:/bin/sh\n",
  group: "root:x:0:\n",
  hostname: "tabvisor\n",
};

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

/**
 * @typedef {{ name: string, mode: number, data?: Uint8Array | string, nlink?: number,
 *   uid?: number, gid?: number, mtime?: number, rdevMajor?: number, rdevMinor?: number }} CpioEntry
 * `name` without a leading slash ("bin/busybox"); `mode` includes the file type bits; for a
 * symlink `data` is the target.
 */

/** The entries of the initramfs, parents before children. */
export function initramfsEntries(busybox) {
  const dir = (name, perm = 0o755) => ({ name, mode: S_IFDIR | perm, nlink: 2 });
  const file = (name, data, perm = 0o644) => ({ name, mode: S_IFREG | perm, data });
  const link = (name, target) => ({ name, mode: S_IFLNK | 0o777, data: target });
  const chr = (name, major, minor, perm) => ({ name, mode: S_IFCHR | perm, rdevMajor: major, rdevMinor: minor });
  return [
    dir("bin"),
    dir("sbin"),
    dir("usr"),
    dir("usr/bin"),
    dir("usr/sbin"),
    dir("dev"),
    chr("dev/console", 5, 1, 0o600),
    chr("dev/ttyS0", 4, 64, 0o660),
    chr("dev/null", 1, 3, 0o666),
    dir("proc", 0o555),
    dir("sys", 0o555),
    dir("tmp", 0o1777),
    dir("root", 0o700),
    dir("etc"),
    ...Object.entries(ETC).map(([n, text]) => file(`etc/${n}`, text)),
    file("etc/profile", PROFILE),
    file("bin/busybox", busybox, 0o755),
    ...APPLETS.bin.map((a) => link(`bin/${a}`, "busybox")),
    ...APPLETS.sbin.map((a) => link(`sbin/${a}`, "../bin/busybox")),
    file("init", INIT_SCRIPT, 0o755),
  ];
}

export const RECIPE_SHA256 = sha256(
  JSON.stringify({ format: 1, INIT_SCRIPT, PROFILE, APPLETS, ETC, entries: initramfsEntries("").map((e) => [e.name, e.mode, e.data ?? null, e.rdevMajor ?? null, e.rdevMinor ?? null]) }),
);

// ---------------------------------------------------------------------------------------------
// newc cpio ("070701"): a 110-byte ASCII header of 13 eight-digit hex fields, the NUL-terminated
// name, padding to a multiple of 4, the data, padding to a multiple of 4; ends with "TRAILER!!!".

const NEWC_FIELDS = ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"];

/** @param {CpioEntry[]} entries @returns {Buffer} */
export function cpioNewc(entries) {
  const chunks = [];
  let length = 0;
  const push = (buf) => {
    chunks.push(buf);
    length += buf.length;
    const pad = (4 - (length % 4)) % 4;
    if (pad) {
      chunks.push(Buffer.alloc(pad));
      length += pad;
    }
  };
  const record = (e, ino) => {
    const data = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : Buffer.from(e.data ?? new Uint8Array(0));
    const name = Buffer.from(`${e.name}\0`, "utf8");
    const values = {
      ino,
      mode: e.mode,
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      nlink: e.nlink ?? 1,
      mtime: e.mtime ?? 0,
      filesize: data.length,
      devmajor: 0,
      devminor: 0,
      rdevmajor: e.rdevMajor ?? 0,
      rdevminor: e.rdevMinor ?? 0,
      namesize: name.length,
      check: 0,
    };
    let header = "070701";
    for (const f of NEWC_FIELDS) {
      const v = values[f];
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`cpio: ${e.name}: ${f} ${v} out of range`);
      header += v.toString(16).toUpperCase().padStart(8, "0");
    }
    push(Buffer.concat([Buffer.from(header, "latin1"), name])); // header + name, padded together
    if (data.length) push(data);
  };
  const seen = new Set();
  entries.forEach((e, i) => {
    if (!e.name || e.name.startsWith("/") || seen.has(e.name)) throw new Error(`cpio: bad or repeated name "${e.name}"`);
    seen.add(e.name);
    record(e, i + 1);
  });
  record({ name: "TRAILER!!!", mode: 0, nlink: 1 }, 0);
  return Buffer.concat(chunks, length);
}

/** The gzip-compressed initramfs for a busybox binary (deterministic: gzip mtime is 0). */
export function buildInitramfs(busybox) {
  return gzipSync(cpioNewc(initramfsEntries(busybox)), { level: 9 });
}

// ---------------------------------------------------------------------------------------------
// apt

class Failure extends Error {}
const isRoot = process.getuid?.() === 0;
const ENABLE_I386 = "dpkg --add-architecture i386 && apt-get update";

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...opts });
  return { ok: !r.error && r.status === 0, status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

function aptUpdate() {
  console.log("running apt-get update");
  // A mirror mid-sync can fail one index; go on if the lists we need are there (checked by callers).
  const r = run("apt-get", ["update", "-q"], { stdio: ["ignore", "inherit", "inherit"] });
  if (!r.ok) console.log(`apt-get update exited with ${r.status}; going on with the lists it has`);
}

function ensureI386() {
  if (run("sh", ["-c", "command -v apt-get && command -v dpkg-deb"]).status !== 0) {
    throw new Failure("apt-get/dpkg-deb not found: the Linux guest is built from Debian packages on a Debian host");
  }
  const foreign = run("dpkg", ["--print-foreign-architectures"]).stdout.split(/\s+/);
  const native = run("dpkg", ["--print-architecture"]).stdout.trim();
  if (native === "i386" || foreign.includes("i386")) return false;
  if (!isRoot) throw new Failure(`the i386 architecture is not enabled — run: sudo sh -c '${ENABLE_I386}'`);
  console.log("enabling the i386 architecture: dpkg --add-architecture i386");
  const r = run("dpkg", ["--add-architecture", "i386"]);
  if (!r.ok) throw new Failure(`dpkg --add-architecture i386 failed: ${r.stderr.trim()}`);
  aptUpdate();
  return true;
}

/** Candidate version of an i386 package in the local lists, or null. */
function candidate(pkg) {
  const r = run("apt-cache", ["policy", `${pkg}:i386`]);
  const m = /^\s*Candidate:\s*(\S+)/m.exec(r.stdout);
  return m && m[1] !== "(none)" ? m[1] : null;
}

/** linux-image-686:i386 → linux-image-6.1.0-<abi>-686 → the -unsigned package and its version. */
function resolveKernel() {
  const r = run("apt-cache", ["depends", "linux-image-686:i386"]);
  const m = /Depends:\s*<?(linux-image-([0-9][^\s:>]*)-686)(?::i386)?>?\s*$/m.exec(r.stdout);
  if (!m) return null;
  const name = `linux-image-${m[2]}-686-unsigned`;
  const version = candidate(name);
  return version ? { name, version, abi: m[2] } : null;
}

function resolveAll(need) {
  const resolve = () => ({
    kernel: need.kernel ? resolveKernel() : undefined,
    busybox: need.initrd ? (() => { const v = candidate("busybox-static"); return v ? { name: "busybox-static", version: v } : null; })() : undefined,
  });
  let found = resolve();
  if ((found.kernel === null || found.busybox === null) && isRoot) {
    aptUpdate(); // the i386 lists may never have been fetched
    found = resolve();
  }
  if (found.kernel === null) throw new Failure(`could not find linux-image-686:i386 (and its -unsigned kernel) in the package lists — run: ${isRoot ? "" : "sudo sh -c '"}${ENABLE_I386}${isRoot ? "" : "'"}`);
  if (found.busybox === null) throw new Failure(`could not find busybox-static:i386 in the package lists — run: ${isRoot ? "" : "sudo sh -c '"}${ENABLE_I386}${isRoot ? "" : "'"}`);
  return found;
}

/** apt-get download pkg:i386=version into dir; returns the .deb path. */
function download(pkg, dir) {
  const args = ["download", "-q"];
  if (isRoot) args.push("-o", "APT::Sandbox::User=root"); // _apt cannot write our temp dir
  args.push(`${pkg.name}:i386=${pkg.version}`);
  console.log(`downloading ${pkg.name}:i386 ${pkg.version}`);
  const r = run("apt-get", args, { cwd: dir });
  const deb = readdirSync(dir).find((f) => f.startsWith(`${pkg.name}_`) && f.endsWith(".deb"));
  if (r.ok && deb) return { deb: join(dir, deb) };
  const why = `${r.stderr}\n${r.stdout}`.split("\n").find((l) => /^E: /.test(l)) ?? r.error?.message ?? `apt-get exited with ${r.status}`;
  return { deb: null, why: why.replace(/^E: /, "").trim() };
}

/** Extract one member (a tar glob) of a .deb's data without unpacking the rest. */
function extractFromDeb(deb, member, dir) {
  return new Promise((resolve, reject) => {
    const dpkg = spawn("dpkg-deb", ["--fsys-tarfile", deb], { stdio: ["ignore", "pipe", "pipe"] });
    // --occurrence=1: stop at the first match (the kernel deb is ~300 MB of modules after /boot);
    // dpkg-deb then dies of SIGPIPE, which is expected.
    const tar = spawn("tar", ["-x", "--wildcards", "--occurrence=1", "-C", dir, member], { stdio: ["pipe", "ignore", "pipe"] });
    dpkg.stdout.pipe(tar.stdin);
    tar.stdin.on("error", () => {});
    let err = "";
    tar.stderr.on("data", (d) => (err += d));
    dpkg.stderr.on("data", () => {});
    tar.on("error", reject);
    tar.on("close", (code) => {
      dpkg.kill();
      if (code !== 0) return reject(new Failure(`could not extract ${member} from ${deb}: ${err.trim() || `tar exited with ${code}`}`));
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// checks and manifest

function sha256(data) {
  return createHash("sha256").update(data).digest("hex");
}

function fileInfo(path) {
  const data = readFileSync(path);
  return { size: data.length, sha256: sha256(data) };
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST_PATH, "utf8"));
  } catch {
    return null;
  }
}

/** Which outputs are stale. */
export function staleParts(manifest = readManifest()) {
  const fresh = (path, rec) => {
    if (!rec || !existsSync(path)) return false;
    if (statSync(path).size !== rec.size) return false;
    return fileInfo(path).sha256 === rec.sha256;
  };
  return {
    kernel: !(manifest && manifest.packages?.kernel && fresh(KERNEL_PATH, manifest.files?.bzImage)),
    initrd: !(manifest && manifest.packages?.busybox && manifest.recipeSha256 === RECIPE_SHA256 && fresh(INITRD_PATH, manifest.files?.["initrd.gz"])),
  };
}

function checkBzImage(buf, what) {
  const u16 = (o) => buf[o] | (buf[o + 1] << 8);
  if (buf.length < 0x300 || u16(0x1fe) !== 0xaa55 || buf.toString("latin1", 0x202, 0x206) !== "HdrS") {
    throw new Failure(`${what} is not a Linux bzImage`);
  }
  const off = u16(0x20e) + 0x200; // kernel_version: offset from the start of setup + 0x200
  const end = buf.indexOf(0, off);
  return { protocol: u16(0x206), version: buf.toString("latin1", off, Math.min(end < 0 ? off : end, off + 200)) };
}

function checkI386Elf(buf, what) {
  // ELF, 32-bit (class 1), little-endian, e_machine EM_386 (3)
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 1 || buf[5] !== 1 || buf.readUInt16LE(18) !== 3) {
    throw new Failure(`${what} is not an i386 ELF binary`);
  }
}

function writeAtomic(path, data) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** One build at a time (vitest runs test files in parallel; apt-get update takes a lock too). */
async function withLock(fn) {
  mkdirSync(OUT_DIR, { recursive: true });
  const lock = join(OUT_DIR, ".build.lock");
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return e.code === "EPERM";
    }
  };
  let said = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      let pid = 0;
      try {
        pid = Number(readFileSync(join(lock, "pid"), "utf8"));
      } catch {
        // just created, pid not written yet (or removed meanwhile)
      }
      const age = (() => {
        try {
          return Date.now() - statSync(lock).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if ((pid && !alive(pid)) || (!pid && age > 10_000)) {
        rmSync(lock, { recursive: true, force: true }); // left by a build that died
        continue;
      }
      if (!said) console.log(`another build-guest (pid ${pid || "?"}) is running; waiting for it`);
      said = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// build

export async function buildGuest({ force = false } = {}) {
  return withLock(async () => {
    const old = readManifest();
    const stale = force ? { kernel: true, initrd: true } : staleParts(old);
    if (!stale.kernel && !stale.initrd) {
      console.log(`up to date: ${OUT_DIR} (${old.packages.kernel.name} ${old.packages.kernel.version}, ${old.packages.busybox.name} ${old.packages.busybox.version})`);
      return { built: false, manifest: old };
    }
    ensureI386();
    const pkgs = resolveAll(stale);
    const tmp = mkdtempSync(join(tmpdir(), "tabvisor-guest-"));
    try {
      const fetchDeb = (pkg) => {
        let got = download(pkg, tmp);
        if (!got.deb && isRoot) {
          aptUpdate(); // stale lists point at files the mirror no longer has
          const again = resolveAll(stale);
          pkg = pkg.name.startsWith("busybox") ? again.busybox : again.kernel;
          got = download(pkg, tmp);
        }
        if (!got.deb) {
          throw new Failure(`could not download ${pkg.name}:i386 (${got.why}) — run: ${isRoot ? "" : "sudo sh -c '"}${ENABLE_I386}${isRoot ? "" : "'"}`);
        }
        return { deb: got.deb, pkg };
      };
      const manifest = {
        description: "tabvisor's default Linux guest, built by scripts/build-guest.mjs from Debian i386 packages",
        arch: "i386",
        recipeSha256: RECIPE_SHA256,
        packages: {},
        kernelVersion: undefined,
        bootProtocol: undefined,
        files: {},
      };
      if (stale.kernel) {
        const { deb, pkg } = fetchDeb(pkgs.kernel);
        await extractFromDeb(deb, "./boot/vmlinuz-*", tmp);
        const vmlinuz = readdirSync(join(tmp, "boot")).find((f) => f.startsWith("vmlinuz-"));
        if (!vmlinuz) throw new Failure(`${pkg.name} has no /boot/vmlinuz-*`);
        const image = readFileSync(join(tmp, "boot", vmlinuz));
        checkBzImage(image, `/boot/${vmlinuz} of ${pkg.name}`);
        writeAtomic(KERNEL_PATH, image);
        manifest.packages.kernel = { name: pkg.name, version: pkg.version, member: `/boot/${vmlinuz}` };
        console.log(`wrote ${KERNEL_PATH} (${image.length} bytes, /boot/${vmlinuz})`);
      } else {
        manifest.packages.kernel = old.packages.kernel;
      }
      if (stale.initrd) {
        const { deb, pkg } = fetchDeb(pkgs.busybox);
        await extractFromDeb(deb, "./bin/busybox", tmp);
        const busybox = readFileSync(join(tmp, "bin/busybox"));
        checkI386Elf(busybox, `/bin/busybox of ${pkg.name}`);
        const initrd = buildInitramfs(busybox);
        writeAtomic(INITRD_PATH, initrd);
        manifest.packages.busybox = { name: pkg.name, version: pkg.version, member: "/bin/busybox", sha256: sha256(busybox) };
        console.log(`wrote ${INITRD_PATH} (${initrd.length} bytes)`);
      } else {
        manifest.packages.busybox = old.packages.busybox;
      }
      const hdr = checkBzImage(readFileSync(KERNEL_PATH), KERNEL_PATH);
      manifest.kernelVersion = hdr.version;
      manifest.bootProtocol = `${hdr.protocol >> 8}.${(hdr.protocol & 0xff).toString().padStart(2, "0")}`;
      manifest.files = { bzImage: fileInfo(KERNEL_PATH), "initrd.gz": fileInfo(INITRD_PATH) };
      writeAtomic(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
      console.log(`wrote ${MANIFEST_PATH}: ${manifest.packages.kernel.name} ${manifest.packages.kernel.version}, ${manifest.packages.busybox.name} ${manifest.packages.busybox.version}`);
      return { built: true, manifest };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// boot check under QEMU

/**
 * Boots kernel + initrd under qemu-system-i386 (TCG) on a piped serial console, waits for the
 * marker and the prompt, types each command, then `poweroff`. Resolves with the transcript and
 * timings (ms since QEMU was started); rejects with the transcript so far on a timeout.
 */
export function bootUnderQemu({
  kernel = KERNEL_PATH,
  initrd = INITRD_PATH,
  memory = 128,
  append = "console=ttyS0 quiet",
  commands = ["uname -m; echo $((6*7))"],
  timeoutMs = 120_000,
} = {}) {
  return new Promise((resolve, reject) => {
    const args = ["-accel", "tcg", "-m", String(memory), "-kernel", kernel, "-initrd", initrd, "-append", append, "-nographic", "-no-reboot"];
    const start = Date.now();
    const q = spawn("qemu-system-i386", args, { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let stderr = "";
    const t = { marker: null, prompt: null, done: null, exit: null };
    let step = 0; // next command to type
    let scan = 0; // where to look for the next prompt
    let finished = false;
    const finish = (err) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (err) {
        q.kill("SIGKILL");
        const e = new Error(`${err}\n--- transcript ---\n${out}${stderr ? `\n--- qemu stderr ---\n${stderr}` : ""}`);
        e.transcript = out;
        reject(e);
      } else resolve({ transcript: out, ms: t, command: `qemu-system-i386 ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(" ")}` });
    };
    const timer = setTimeout(() => finish(`no ${t.prompt === null ? "prompt" : "answer"} from the guest within ${timeoutMs / 1000} s`), timeoutMs);
    q.on("error", (e) => finish(`cannot run qemu-system-i386 (${e.message}); install it: apt-get install qemu-system-x86`));
    q.stderr.on("data", (d) => (stderr += d));
    q.stdout.on("data", (d) => {
      out += d.toString("latin1");
      if (t.marker === null && out.includes(INIT_MARKER)) t.marker = Date.now() - start;
      if (t.marker === null) return;
      const at = out.indexOf(PROMPT, Math.max(scan, out.indexOf(INIT_MARKER)));
      if (at < 0) return;
      scan = at + PROMPT.length;
      if (t.prompt === null) t.prompt = Date.now() - start;
      if (step < commands.length) q.stdin.write(`${commands[step++]}\r`);
      else if (t.done === null) {
        t.done = Date.now() - start;
        q.stdin.write("poweroff\r");
      }
    });
    q.on("close", (code, signal) => {
      t.exit = Date.now() - start;
      if (t.done === null) finish(`qemu exited (${signal ?? code}) before the commands ran`);
      else finish();
    });
  });
}

async function verify() {
  console.log("booting the guest under qemu-system-i386 (TCG)…");
  const r = await bootUnderQemu({ commands: ["uname -m; echo $((6*7))", "cat /proc/uptime"] });
  const lines = r.transcript.replace(/\r/g, "").split("\n");
  const has = (re) => lines.some((l) => re.test(l));
  const checks = [
    [INIT_MARKER, has(new RegExp(`^${INIT_MARKER}$`))],
    ["i686", has(/^i686$/)],
    ["42", has(/^42$/)],
  ];
  console.log(r.transcript.replace(/\r/g, "").trimEnd());
  console.log(`--- ${r.command}`);
  const uptime = lines.map((l) => /^(\d+\.\d+) \d+\.\d+$/.exec(l)).find(Boolean)?.[1];
  console.log(
    `marker after ${(r.ms.marker / 1000).toFixed(2)} s, prompt after ${(r.ms.prompt / 1000).toFixed(2)} s, ` +
      `powered off after ${(r.ms.exit / 1000).toFixed(2)} s (wall clock from QEMU start, TCG); guest uptime at the second command ${uptime ?? "?"} s`,
  );
  const missing = checks.filter(([, ok]) => !ok).map(([w]) => w);
  if (missing.length) throw new Failure(`the guest booted but the transcript lacks: ${missing.join(", ")}`);
  console.log(`verified: ${checks.map(([w]) => JSON.stringify(w)).join(", ")} seen`);
}

async function main() {
  const argv = process.argv.slice(2);
  const unknown = argv.filter((a) => a !== "--force" && a !== "--verify");
  if (unknown.length) {
    console.error(`usage: node scripts/build-guest.mjs [--force] [--verify] (unknown: ${unknown.join(" ")})`);
    process.exit(2);
  }
  try {
    await buildGuest({ force: argv.includes("--force") });
    if (argv.includes("--verify")) await verify();
  } catch (e) {
    if (e instanceof Failure) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
