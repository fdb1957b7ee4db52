// Makes sure the Debian packages a step needs are installed: nasm (building the guest ROMs and
// test programs) and chromium (end-to-end tests, benchmarks). As root with apt-get available, it
// installs what is missing; otherwise it names the exact command and fails.
// Usage: node scripts/ensure-deps.mjs nasm [chromium ...]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian package → a file it installs that proves it is there. */
const PROBES = {
  nasm: "/usr/bin/nasm",
  chromium: "/usr/bin/chromium",
  "qemu-system-x86": "/usr/bin/qemu-system-i386",
};

export function ensureDebianPackages(names) {
  const missing = names.filter((n) => !existsSync(PROBES[n] ?? `/usr/bin/${n}`));
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  const root = process.getuid?.() === 0;
  const apt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (!root || !apt) {
    console.error(`missing Debian packages: ${missing.join(", ")}. Install them with: sudo sh -c '${cmd}'`);
    process.exit(1);
  }
  console.log(`installing Debian packages: ${missing.join(" ")}`);
  // A mirror mid-sync can fail one index file; the install usually still works, so go on.
  spawnSync("apt-get", ["update", "-q"], { stdio: "inherit" });
  try {
    execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch {
    console.error(`could not install ${missing.join(", ")}; run: ${cmd}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDebianPackages(process.argv.slice(2));
