// End-to-end tests of the tabvisor page: a Vite dev server (started here, on a free port) and
// Debian's Chromium driven by playwright-core. Each check prints "ok - name" or
// "not ok - name: reason"; the last line is "N passed, M failed". Exit status 1 if any failed.
//
// Checks wait for guest-visible markers (terminal text read from xterm's buffer, panel values in
// data-testid/data-value attributes); nothing sleeps for a fixed time. Windows in which nothing
// may happen (pause) are measured in exit-panel refreshes.
//
//   node e2e/run.mjs            (npm run e2e)
//   E2E_HEADED=1 node e2e/run.mjs   to watch it (needs a display)

import { createServer } from "vite";
import { chromium } from "playwright-core";
import { existsSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = join(root, "test-results");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"; // as e2e/chromium.ts
/** The whole run, Linux boot included, must finish well within this (a safety net, not a test). */
const OVERALL_TIMEOUT_MS = 20 * 60_000;
/** A Linux boot in the interpreter takes a few minutes; the wait is for the guest's prompt. */
const LINUX_WAIT_MS = 15 * 60_000;
/** Longest wait for one marker (the first page load also compiles the core). */
const WAIT_MS = 30_000;

let passed = 0;
let failed = 0;
let server = null;
let browser = null;
const pageLogs = [];

// ---- overall timeout: fail, never hang ----------------------------------------------------------
const overall = setTimeout(async () => {
  failed++;
  console.log(`not ok - the whole run finished within ${OVERALL_TIMEOUT_MS / 1000} s: timed out`);
  console.log(`${passed} passed, ${failed} failed`);
  const quietly = (p) => Promise.race([Promise.resolve(p).catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  await quietly(browser?.close());
  await quietly(server?.close());
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
overall.unref();

function firstLine(e) {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "failed";
}

async function check(name, fn, page) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${firstLine(e)}`);
    if (page) {
      const shot = join(resultsDir, `failure-${passed + failed}.png`);
      await page.screenshot({ path: shot }).then(() => console.log(`# screenshot: ${shot}`), () => {});
    }
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- fixture ROMs, served by the dev server ---------------------------------------------------

/** A 64 KiB ROM: prints "e2e" on the debug console, POST code 0x42, touches unclaimed port 0x99,
 * then writes 1 to the debug-exit port (status (1 << 1) | 1 = 3). */
function exitRom() {
  const rom = new Uint8Array(0x10000);
  const code = [];
  for (const c of "e2e\n") code.push(0xb0, c.charCodeAt(0), 0xe6, 0xe9); // mov al, c; out 0xE9, al
  code.push(0xb0, 0x42, 0xe6, 0x80); // mov al, 0x42; out 0x80, al
  code.push(0xe6, 0x99); // out 0x99, al (nobody owns 0x99)
  code.push(0xb0, 0x01, 0xe6, 0xf4); // mov al, 1; out 0xF4, al  -> debug-exit
  code.push(0xf4, 0xeb, 0xfe); // hlt; jmp $
  rom.set(code, 0);
  rom.set([0xea, 0x00, 0x00, 0x00, 0xf0], 0xfff0); // reset vector: jmp far F000:0000
  return rom;
}

const fixtures = {
  "/__e2e__/exit.bin": exitRom(),
  "/__e2e__/short.bin": new Uint8Array(1000),
};

const fixturePlugin = {
  name: "tabvisor-e2e-fixtures",
  configureServer(s) {
    s.middlewares.use((req, res, next) => {
      const body = fixtures[(req.url ?? "").split("?")[0]];
      if (!body) return next();
      res.setHeader("Content-Type", "application/octet-stream");
      res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
      res.end(Buffer.from(body));
    });
  },
};

// ---- page helpers ------------------------------------------------------------------------------

/** Installed before the page's scripts: the terminal's text from xterm's buffer (wrapped lines
 * joined), and the text of its last non-empty line. */
const initScript = () => {
  window.__termText = () => {
    const term = window.tabvisor?.term;
    if (!term) return "";
    const buffer = term.buffer.active;
    let out = "";
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      if (!line) continue;
      out += (i > 0 && !line.isWrapped ? "\n" : "") + line.translateToString(true);
    }
    return out;
  };
  window.__lastLine = () => {
    const lines = window.__termText().split("\n").filter((l) => l.trim() !== "");
    return lines.length ? lines[lines.length - 1] : "";
  };
};

/** Wait until `text` occurs at least `times` times in the terminal. */
async function waitForTerminal(page, text, times = 1) {
  await page
    .waitForFunction(
      ([t, n]) => window.__termText().split(t).length - 1 >= n,
      [text, times],
      { timeout: WAIT_MS },
    )
    .catch(async () => {
      const last = await page.evaluate(() => window.__lastLine()).catch(() => "?");
      throw new Error(`terminal never showed ${JSON.stringify(text)}${times > 1 ? ` ${times} times` : ""} (last line: ${JSON.stringify(last)})`);
    });
}

/** Wait until the terminal's last non-empty line is exactly `line` (trailing spaces ignored). */
async function waitForLastLine(page, line) {
  await page
    .waitForFunction((l) => window.__lastLine().trimEnd() === l.trimEnd(), line, { timeout: WAIT_MS })
    .catch(async () => {
      const last = await page.evaluate(() => window.__lastLine()).catch(() => "?");
      throw new Error(`last terminal line never became ${JSON.stringify(line)} (it is ${JSON.stringify(last)})`);
    });
}

/** data-value of [data-testid=id] as a number (NaN if missing). */
function panelNumber(page, id) {
  return page.evaluate((i) => Number(document.querySelector(`[data-testid="${i}"]`)?.getAttribute("data-value") ?? NaN), id);
}

function panelState(page) {
  return page.evaluate(() => document.querySelector('[data-testid="state"]')?.getAttribute("data-value") ?? null);
}

async function waitFor(page, what, fn, arg) {
  await page.waitForFunction(fn, arg, { timeout: WAIT_MS }).catch((e) => {
    throw new Error(`${what}: ${firstLine(e)}`);
  });
}

/** Wait for `n` more exit-panel refreshes (how the tests measure "a while" without sleeping). */
async function panelRefreshes(page, n) {
  const start = await page.evaluate(() => Number(document.querySelector('[data-testid="panel"]')?.dataset.updates ?? 0));
  await waitFor(page, `${n} panel refreshes`, ([s, k]) => Number(document.querySelector('[data-testid="panel"]')?.dataset.updates ?? 0) >= s + k, [start, n]);
}

async function typeInTerminal(page, text) {
  await page.evaluate(() => window.tabvisor.term.focus());
  await page.keyboard.type(text);
}

async function newPage(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", (m) => pageLogs.push(`[${m.type()}] ${m.text()}`));
  page.on("pageerror", (e) => pageLogs.push(`[pageerror] ${e.message}`));
  await page.addInitScript(initScript);
  await page.goto(url, { waitUntil: "load", timeout: WAIT_MS });
  return page;
}

// ---- the run -----------------------------------------------------------------------------------

async function main() {
  const demo = join(root, "public/guests/demo.bin");
  if (!existsSync(demo)) {
    const script = join(root, "scripts/build-asm.mjs");
    if (!existsSync(script)) throw new Error(`${demo} is missing and scripts/build-asm.mjs does not exist to build it`);
    console.log("# building the demo guest: node scripts/build-asm.mjs");
    const r = spawnSync(process.execPath, [script], { cwd: root, stdio: "inherit", timeout: 60_000 });
    if (r.status !== 0 || !existsSync(demo)) throw new Error(`node scripts/build-asm.mjs did not produce ${demo} (status ${r.status})`);
  }
  if (!existsSync(join(root, "wasm/build/core.wasm"))) throw new Error("wasm/build/core.wasm is missing: run npm run build:wasm");
  if (!existsSync(join(root, "public/guests/linux/bzImage")) || !existsSync(join(root, "public/guests/linux/initrd.gz"))) {
    console.log("# building the Linux guest: node scripts/build-guest.mjs");
    const r = spawnSync(process.execPath, [join(root, "scripts/build-guest.mjs")], { cwd: root, stdio: "inherit", timeout: 600_000 });
    if (r.status !== 0) throw new Error(`node scripts/build-guest.mjs failed (status ${r.status})`);
  }
  if (!existsSync(CHROMIUM) && CHROMIUM === "/usr/bin/chromium") {
    // Debian's Chromium: installed here when missing (as root), or the command to run is named.
    const r = spawnSync(process.execPath, [join(root, "scripts/ensure-deps.mjs"), "chromium"], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) throw new Error("Chromium is missing and could not be installed");
  }
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH=/path/to/chromium)`);
  mkdirSync(resultsDir, { recursive: true });

  server = await createServer({
    root,
    logLevel: "warn",
    clearScreen: false,
    server: { port: 0, strictPort: false, hmr: false },
    plugins: [fixturePlugin],
  });
  await server.listen();
  const address = server.httpServer?.address();
  assert(address && typeof address === "object", "the dev server has no address");
  const base = `http://localhost:${address.port}`;
  console.log(`# dev server ${base}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.env.E2E_HEADED,
    args: [
      ...(process.env.E2E_HEADED ? [] : ["--headless"]),
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: WAIT_MS,
  });

  const page = await newPage(`${base}/`);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));

  await check("the page is cross-origin isolated", async () => {
    assert((await page.evaluate(() => globalThis.crossOriginIsolated)) === true, "crossOriginIsolated is false (COOP/COEP headers missing?)");
  }, page);

  await check("the guest's greeting appears in the terminal", async () => {
    await waitForTerminal(page, "Hello from tabvisor!");
    await waitForLastLine(page, "demo>");
    const error = await page.evaluate(() => window.tabvisor.error);
    assert(error === null, `the error banner says: ${error}`);
  }, page);

  let exitsBefore = NaN;
  await check("typing echoes, and Enter reports the line", async () => {
    exitsBefore = await panelNumber(page, "exits-total");
    await typeInTerminal(page, "echo-test");
    await waitForLastLine(page, "demo> echo-test");
    await page.keyboard.press("Enter");
    await waitForTerminal(page, "[lines: 1, bytes typed: 10]");
    await waitForLastLine(page, "demo>");
    // Let the panel catch up before the screenshot.
    await waitFor(page, "the panel to show the POST code 0x0A", () => document.querySelector('[data-testid="post-code"]')?.getAttribute("data-value") === "10");
    await page.screenshot({ path: join(resultsDir, "page.png") });
  }, page);

  await check("the exit counters rise", async () => {
    assert(Number.isFinite(exitsBefore), "no exits-total value was read before typing");
    await waitFor(page, `total exits to rise above ${exitsBefore}`, (b) => Number(document.querySelector('[data-testid="exits-total"]')?.getAttribute("data-value")) > b, exitsBefore);
    const io = await panelNumber(page, "exits-IO");
    assert(io > 0, `IO exits shown: ${io}`);
    const ports = await page.evaluate(() =>
      ["0x3F8", "0x3FD"].map((p) => {
        const row = document.querySelector(`[data-testid="port-${p}"]`);
        return { port: p, reads: Number(row?.getAttribute("data-reads") ?? 0), writes: Number(row?.getAttribute("data-writes") ?? 0) };
      }),
    );
    const [thr, lsr] = ports;
    assert(thr.writes > 0, `port 0x3F8 writes: ${thr.writes}`);
    assert(thr.reads > 0, `port 0x3F8 reads (RBR): ${thr.reads}`);
    assert(lsr.reads > 0, `port 0x3FD reads: ${lsr.reads}`);
    // The demo guest sleeps in HLT and wakes on COM1's IRQ 4, through the in-worker PIC.
    const irqs = await panelNumber(page, "interrupts");
    assert(irqs > 0, `interrupts delivered: ${irqs}`);
    const label = await page.evaluate(() => document.querySelector('[data-testid="port-0x3FD"]')?.textContent ?? "");
    assert(label.includes("COM1"), `port 0x3FD row is not labelled COM1: ${JSON.stringify(label)}`);
  }, page);

  await check("pause stops the guest; resume lets it echo again", async () => {
    await page.click('[data-testid="pause"]');
    await waitFor(page, "the state to show paused", () => document.querySelector('[data-testid="state"]')?.getAttribute("data-value") === "paused");
    await waitFor(page, "the button to offer Resume", () => {
      const b = document.querySelector('[data-testid="pause"]');
      return b?.textContent === "Resume" && !b.disabled;
    });
    const before = await panelNumber(page, "instructions");
    const vmBefore = await page.evaluate(() => window.tabvisor.vm.stats().instructions);
    await typeInTerminal(page, "zz"); // queued in the UART; a paused guest must not echo it
    await panelRefreshes(page, 4);
    const after = await panelNumber(page, "instructions");
    const vmAfter = await page.evaluate(() => window.tabvisor.vm.stats().instructions);
    assert(before === after, `instructions shown went from ${before} to ${after} while paused`);
    assert(vmBefore === vmAfter, `vm.stats().instructions went from ${vmBefore} to ${vmAfter} while paused`);
    assert((await panelState(page)) === "paused", `state is ${await panelState(page)}, not paused`);
    const last = await page.evaluate(() => window.__lastLine());
    assert(!last.includes("zz"), `the paused guest echoed: ${JSON.stringify(last)}`);

    await page.click('[data-testid="pause"]');
    await waitFor(page, "the state to leave paused", () => document.querySelector('[data-testid="state"]')?.getAttribute("data-value") !== "paused");
    await waitForLastLine(page, "demo> zz"); // the bytes queued while paused
    await typeInTerminal(page, "ok");
    await waitForLastLine(page, "demo> zzok");
    await page.keyboard.press("Enter");
    await waitForTerminal(page, "[lines: 2, bytes typed: 15]");
    const pauseLabel = await page.evaluate(() => document.querySelector('[data-testid="pause"]')?.textContent);
    assert(pauseLabel === "Pause", `the button says ${pauseLabel} while running`);
  }, page);

  await check("reset prints the greeting again", async () => {
    await page.click('[data-testid="reset"]');
    await waitForTerminal(page, "Hello from tabvisor!", 2);
    await waitForLastLine(page, "demo>");
    await typeInTerminal(page, "r");
    await page.keyboard.press("Enter");
    await waitForTerminal(page, "[lines: 1, bytes typed: 2]"); // the guest's counters restarted
  }, page);

  await check("no uncaught errors on the page", async () => {
    assert(pageErrors.length === 0, pageErrors.join(" | "));
  });

  await check("a missing guest ROM shows an error banner naming it", async () => {
    const p = await newPage(`${base}/?bios=/guests/does-not-exist.bin`);
    try {
      await waitFor(p, "the error banner", () => {
        const e = document.querySelector('[data-testid="error"]');
        return e && !e.hidden && e.getBoundingClientRect().height > 0 && e.textContent.includes("does-not-exist.bin");
      });
      const text = await p.evaluate(() => document.querySelector('[data-testid="error"]').textContent);
      console.log(`# banner: ${text}`);
      const header = await p.evaluate(() => document.querySelector("h1")?.textContent);
      assert(header === "tabvisor", `the page has no header (${header})`);
    } finally {
      await p.close();
    }
  });

  await check("a ROM of the wrong size shows the configuration error", async () => {
    const p = await newPage(`${base}/?bios=/__e2e__/short.bin`);
    try {
      await waitFor(p, "the error banner", () => {
        const e = document.querySelector('[data-testid="error"]');
        return e && !e.hidden && e.textContent.includes("short.bin") && e.textContent.includes("65536");
      });
      console.log(`# banner: ${await p.evaluate(() => document.querySelector('[data-testid="error"]').textContent)}`);
    } finally {
      await p.close();
    }
  });

  await check("a guest that writes the debug-exit port shows the outcome; reset runs it again", async () => {
    const p = await newPage(`${base}/?bios=/__e2e__/exit.bin&m=4`);
    try {
      const outcomeShown = () => {
        const o = document.querySelector('[data-testid="outcome"]');
        return window.tabvisor?.outcome !== null && o?.textContent.includes("guest wrote the debug-exit port: status 3");
      };
      await waitFor(p, "the outcome in the status line", outcomeShown);
      console.log(`# status line: ${await p.evaluate(() => document.querySelector('[data-testid="outcome"]').textContent)}`);
      await waitFor(p, "state stopped, Pause disabled, Reset enabled", () =>
        document.querySelector('[data-testid="state"]')?.getAttribute("data-value") === "stopped" &&
        document.querySelector('[data-testid="pause"]')?.disabled === true &&
        document.querySelector('[data-testid="reset"]')?.disabled === false,
      );
      await waitFor(p, "debugcon output, POST code 0x42 and unclaimed port 0x99 in the panel", () =>
        document.querySelector('[data-testid="debugcon"]')?.textContent === "e2e\n" &&
        document.querySelector('[data-testid="post-code"]')?.getAttribute("data-value") === String(0x42) &&
        Number(document.querySelector('[data-testid="unclaimed-0x99"]')?.getAttribute("data-value")) >= 1,
      );
      await p.click('[data-testid="reset"]');
      await waitFor(p, "the second run's debugcon output", () => document.querySelector('[data-testid="debugcon"]')?.textContent === "e2e\ne2e\n");
      await waitFor(p, "the second run's outcome", outcomeShown);
    } finally {
      await p.close();
    }
  });

  await check("the page boots Linux to a busybox shell, and a typed command answers", async () => {
    const linux = `${base}/?kernel=/guests/linux/bzImage&initrd=/guests/linux/initrd.gz&append=${encodeURIComponent("console=ttyS0 quiet")}`;
    const p = await newPage(linux);
    try {
      await p
        .waitForFunction(() => window.__termText().includes("~ # "), undefined, { timeout: LINUX_WAIT_MS, polling: 1000 })
        .catch(async () => {
          const last = await p.evaluate(() => window.__lastLine()).catch(() => "?");
          throw new Error(`no shell prompt (last line: ${JSON.stringify(last)})`);
        });
      await p.click('[data-testid="terminal"]');
      await p.keyboard.type("uname -m; echo $((6*7))");
      await p.keyboard.press("Enter");
      await p.waitForFunction(() => /i686\s*\n\s*42\s*\n/.test(window.__termText()), undefined, { timeout: 120_000 });
      const instructions = await p.evaluate(() => document.querySelector('[data-testid="instructions"]')?.getAttribute("data-value"));
      console.log(`# Linux answered at ${instructions} instructions`);
    } finally {
      await p.close();
    }
  });
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`not ok - set-up: ${firstLine(e)}`);
} finally {
  if (failed > 0 && pageLogs.length > 0) {
    console.log("# page console (last 30 lines):");
    for (const l of pageLogs.slice(-30)) console.log(`#   ${l}`);
  }
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  clearTimeout(overall);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
