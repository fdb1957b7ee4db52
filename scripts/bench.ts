// `npm run bench:exits` / `npm run bench:boot`: a benchmark under Node and in headless Chromium,
// as one table. Figures, not a test: nothing here passes or fails on speed.
import { readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "vite";
import { chromium } from "playwright-core";
import { createVM } from "../src/node";
import { runExitBench, type ExitBenchResult } from "../src/bench/exit-bench";
import { runBootBench, type BootBenchResult } from "../src/bench/boot-bench";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/chromium";

const root = new URL("..", import.meta.url).pathname;
const which = process.argv[2] === "boot" ? "boot" : "exits";
const guest = (p: string) => `${root}public/guests/${p}`;

if (which === "exits" && (!existsSync(guest("bench-exits.bin")) || !existsSync(guest("bench-loop.bin")))) {
  execFileSync(process.execPath, [`${root}scripts/build-asm.mjs`], { stdio: "inherit" });
}
if (which === "boot" && (!existsSync(guest("linux/bzImage")) || !existsSync(guest("linux/initrd.gz")))) {
  execFileSync(process.execPath, [`${root}scripts/build-guest.mjs`], { stdio: "inherit" });
}

async function inChromium<T>(): Promise<T> {
  const server = await createServer({ root, logLevel: "error", server: { port: 0 } });
  await server.listen();
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}bench.html?bench=${which}`);
    await page.waitForFunction(() => window.benchResult || window.benchError, undefined, { timeout: 1_800_000, polling: 500 });
    const err = await page.evaluate(() => window.benchError);
    if (err) throw new Error(err);
    return (await page.evaluate(() => window.benchResult)) as T;
  } finally {
    await browser.close();
    await server.close();
  }
}

const f = (n: number, d = 1) => n.toFixed(d);

if (which === "exits") {
  const rows: [string, ExitBenchResult][] = [];
  rows.push(["Node " + process.version, await runExitBench(createVM, { exits: readFileSync(guest("bench-exits.bin")), loop: readFileSync(guest("bench-loop.bin")) })]);
  try {
    rows.push(["Chromium (headless)", await inChromium<ExitBenchResult>()]);
  } catch (e) {
    console.error(`Chromium run failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
  console.log("\nExit round trip: OUT to a host device (debug console), host handles it, vCPU resumes");
  console.log("| runtime | exits | p50 µs | p99 µs | mean µs | timer step µs | loop instructions | loop s | MIPS | exits in loop |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, r] of rows) {
    console.log(`| ${name} | ${r.exits} | ${f(r.p50Micros)} | ${f(r.p99Micros)} | ${f(r.meanMicros)} | ${f(r.timerResolutionMicros, 2)} | ${r.loopInstructions} | ${f(r.loopSeconds, 2)} | ${f(r.instructionsPerSecond / 1e6)} | ${r.loopExits} |`);
  }
  console.log("targets: p50 <= 10 µs in Chromium; 0 exits in a loop without I/O");
  console.log("p50/p99 are quantized to the timer step; the mean is exact (total time / exits)");
} else {
  const rows: [string, BootBenchResult][] = [];
  const g = { kernel: readFileSync(guest("linux/bzImage")), initrd: readFileSync(guest("linux/initrd.gz")) };
  rows.push(["Node " + process.version, await runBootBench(createVM, g)]);
  try {
    rows.push(["Chromium (headless)", await inChromium<BootBenchResult>()]);
  } catch (e) {
    console.error(`Chromium run failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
  console.log("\nBoot: Debian 686 kernel + busybox initramfs, direct boot, to the shell prompt on ttyS0");
  console.log("| runtime | seconds to prompt | instructions | MIPS | exits | interrupts |");
  console.log("|---|---|---|---|---|---|");
  for (const [name, r] of rows) {
    console.log(`| ${name} | ${f(r.secondsToPrompt)} | ${r.instructions} | ${f(r.instructionsPerSecond / 1e6)} | ${r.exits} | ${r.interrupts} |`);
  }
}
