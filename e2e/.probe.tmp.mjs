import { createServer } from "vite";
import { chromium } from "playwright-core";
const server = await createServer({ root: process.cwd(), logLevel: "warn", server: { port: 0, strictPort: false, hmr: false } });
await server.listen();
const base = `http://localhost:${server.httpServer.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu"] });
try {
  const page = await browser.newPage(); page.on("console", m => console.log("console:", m.text()));
  await page.goto(base + "/");
  await page.waitForFunction(() => window.tabvisor?.vm && window.tabvisor.vm.stats().state === "halted", null, {timeout: 20000});
  const s = () => page.evaluate(() => { const st = window.tabvisor.vm.stats(); return { ...st, exitsByPort: [...st.exitsByPort].length, unclaimedPorts: st.unclaimedPorts.size }; });
  console.log("before", await s());
  await page.evaluate(() => window.tabvisor.vm.reset());
  console.log("right after reset", await s());
  await page.waitForFunction(() => window.tabvisor.vm.stats().state === "halted", null, {timeout: 20000});
  console.log("after reset settled", await s());
  // rapid toggles
  const r = await Promise.race([new Promise(r => setTimeout(() => r("HUNG"), 8000)), page.evaluate(async () => {
    const vm = window.tabvisor.vm; const log = [];
    for (let i = 0; i < 20; i++) { console.log("pause", i, vm.stats().state); await vm.pause(); console.log("paused", i, vm.stats().state); log.push(vm.stats().state); vm.resume(); log.push(vm.stats().state); }
    vm.sendSerial(new TextEncoder().encode("abc\r"));
    return log.join(",");
  })]);
  console.log(r);
  await page.waitForFunction(() => { const b = window.tabvisor.term.buffer.active; for (let i=0;i<b.length;i++) if (b.getLine(i).translateToString(true).includes("bytes typed: 4")) return true; return false; }, null, {timeout: 10000});
  console.log("echo after toggles ok");
} finally { await browser.close(); await server.close(); }
