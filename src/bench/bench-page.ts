// bench.html: runs the exit benchmark in this browser and leaves the result on
// window.benchResult (read by scripts/bench.ts through Playwright) and on the page.
import { createVM } from "../browser";
import { runExitBench, type ExitBenchResult } from "./exit-bench";

declare global {
  interface Window {
    benchResult?: ExitBenchResult;
    benchError?: string;
  }
}

async function rom(name: string): Promise<Uint8Array> {
  const r = await fetch(`/guests/${name}.bin`);
  if (!r.ok) throw new Error(`/guests/${name}.bin: HTTP ${r.status} (run npm run build:asm)`);
  return new Uint8Array(await r.arrayBuffer());
}

const out = document.getElementById("out")!;
try {
  const result = await runExitBench(createVM, { exits: await rom("bench-exits"), loop: await rom("bench-loop") });
  window.benchResult = result;
  out.textContent = JSON.stringify(result, null, 2);
} catch (e) {
  window.benchError = (e as Error).message;
  out.textContent = `error: ${(e as Error).message}`;
}
