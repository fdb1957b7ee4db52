import * as require_fs from "node:fs";
import { createServer } from "vite";
import { chromium } from "playwright-core";
const server = await createServer({ root: process.cwd(), logLevel: "warn", server: { port: 0, strictPort: false, hmr: false }, plugins: [{ name: "x", configureServer(s) { s.middlewares.use((req, res, next) => { if (!req.url.startsWith("/__tmp__/")) return next(); res.setHeader("Content-Type","application/octet-stream"); res.end(require_fs.readFileSync("/tmp/insp/" + req.url.slice(9))); }); } }] });
await server.listen();
const base = `http://localhost:${server.httpServer.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: +(process.env.W||1280), height: +(process.env.H||800) } });
  page.on("console", m => console.log("console:", m.text()));
  await page.goto(base + (process.env.Q || "/"));
  await page.waitForFunction(() => window.tabvisor?.term && document.querySelector("[data-testid=outcome]").dataset.kind !== "loading" && document.querySelector("[data-testid=outcome]").dataset.kind !== undefined, null, {timeout: 20000});
  await new Promise(r => setTimeout(r, 1500));
  const info = await page.evaluate(() => {
    const out = {};
    for (const sel of [".terminal", ".xterm", ".xterm-viewport", ".xterm-screen", ".xterm-rows", ".xterm-scrollable-element", ".xterm-decoration-container"]) {
      const e = document.querySelector(sel); if (!e) { out[sel] = null; continue; }
      const r = e.getBoundingClientRect(); const cs = getComputedStyle(e);
      out[sel] = `${r.x},${r.y} ${r.width}x${r.height} bg=${cs.backgroundColor} pad=${cs.padding}`;
    }
    out.cols = window.tabvisor.term.cols; out.rows = window.tabvisor.term.rows;
    return out;
  });
  console.log(info);
  await page.screenshot({ path: process.env.OUT || "/tmp/insp/shot.png" });
} finally { await browser.close(); await server.close(); }
