// The Node platform: vCPU workers are worker_threads (loading TypeScript through tsx), the core is
// read from wasm/build/core.wasm, and the event loop is yielded with setImmediate.

import { Worker } from "node:worker_threads";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { VcpuApi } from "../shared/api";
import type { Platform } from "./platform";

const CORE_URL = new URL("../../wasm/build/core.wasm", import.meta.url);

export const nodePlatform: Platform = {
  spawnVcpu() {
    const worker = new Worker(new URL("../worker/vcpu-worker-node.mjs", import.meta.url));
    return { api: Comlink.wrap<VcpuApi>(nodeEndpoint(worker)), terminate: () => void worker.terminate() };
  },
  async loadCore() {
    let bytes: Buffer;
    try {
      bytes = await readFile(CORE_URL);
    } catch {
      throw new Error(`${fileURLToPath(CORE_URL)} not found: build the CPU core with 'npm run build:wasm'`);
    }
    return WebAssembly.compile(new Uint8Array(bytes));
  },
  yieldToEventLoop() {
    return new Promise((resolve) => setImmediate(resolve));
  },
};
