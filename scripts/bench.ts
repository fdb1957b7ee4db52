// `npm run bench:exits`: the exit benchmark under Node and in headless Chromium, as one table.
// Figures, not a test: nothing here passes or fails on speed.
import { readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "vite";
import { chromium } from "playwright-core";
import { createVM } from "../src/node";
import { runExitBench, type ExitBenchResult } from "../src/bench/exit-bench";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/chromium";

const root = new URL("..", import.meta.url).pathname;
const guest = (name: string) => `${root}public/guests/${name}.bin`;
if (!existsSync(guest("bench-exits")) || !existsSync(guest("bench-loop"))) {
  execFileSync(process.execPath, [`${root}scripts/build-asm.mjs`], { stdio: "inherit" });
}

async function inChromium(): Promise<ExitBenchResult> {
  const server = await createServer({ root, logLevel: "error", server: { port: 0 } });
  await server.listen();
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}bench.html`);
    await page.waitForFunction(() => window.benchResult || window.benchError, undefined, { timeout: 300_000 });
    const err = await page.evaluate(() => window.benchError);
    if (err) throw new Error(err);
    return (await page.evaluate(() => window.benchResult))!;
  } finally {
    await browser.close();
    await server.close();
  }
}

const rows: [string, ExitBenchResult][] = [];
rows.push(["Node " + process.version, await runExitBench(createVM, { exits: readFileSync(guest("bench-exits")), loop: readFileSync(guest("bench-loop")) })]);
try {
  rows.push(["Chromium (headless)", await inChromium()]);
} catch (e) {
  console.error(`Chromium run failed: ${(e as Error).message}`);
  process.exitCode = 1;
}

const f = (n: number, d = 1) => n.toFixed(d);
console.log("\nExit round trip: OUT to a host device (debug console), host handles it, vCPU resumes");
console.log("| runtime | exits | p50 µs | p99 µs | mean µs | timer step µs | loop instructions | loop s | MIPS | exits in loop |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const [name, r] of rows) {
  console.log(`| ${name} | ${r.exits} | ${f(r.p50Micros)} | ${f(r.p99Micros)} | ${f(r.meanMicros)} | ${f(r.timerResolutionMicros, 2)} | ${r.loopInstructions} | ${f(r.loopSeconds, 2)} | ${f(r.instructionsPerSecond / 1e6)} | ${r.loopExits} |`);
}
console.log("targets: p50 <= 10 µs in Chromium; 0 exits in a loop without I/O");
console.log("p50/p99 are quantized to the timer step; the mean is exact (total time / exits)");
