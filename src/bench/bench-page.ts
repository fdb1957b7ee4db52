// bench.html?bench=exits|boot: runs a benchmark in this browser and leaves the result on
// window.benchResult (read by scripts/bench.ts through Playwright) and on the page.
import { createVM } from "../browser";
import { runExitBench } from "./exit-bench";
import { runBootBench } from "./boot-bench";

declare global {
  interface Window {
    benchResult?: unknown;
    benchError?: string;
  }
}

async function fetchBytes(path: string): Promise<Uint8Array> {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status} (run npm run build:asm / npm run build:guest)`);
  return new Uint8Array(await r.arrayBuffer());
}

const out = document.getElementById("out")!;
const which = new URLSearchParams(location.search).get("bench") ?? "exits";
try {
  const result =
    which === "boot"
      ? await runBootBench(createVM, { kernel: await fetchBytes("/guests/linux/bzImage"), initrd: await fetchBytes("/guests/linux/initrd.gz") })
      : await runExitBench(createVM, { exits: await fetchBytes("/guests/bench-exits.bin"), loop: await fetchBytes("/guests/bench-loop.bin") });
  window.benchResult = result;
  out.textContent = JSON.stringify(result, null, 2);
} catch (e) {
  window.benchError = (e as Error).message;
  out.textContent = `error: ${(e as Error).message}`;
}
