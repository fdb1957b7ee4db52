// The browser platform: the vCPU worker is a module Web Worker, the core is fetched and compiled
// with streaming compilation, and the event loop is yielded through a MessageChannel (setTimeout
// would be clamped to 4 ms when nested).

import * as Comlink from "comlink";
import type { VcpuApi } from "../shared/api";
import type { Platform } from "../vmm/platform";
import coreUrl from "../../wasm/build/core.wasm?url";

const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

export const browserPlatform: Platform = {
  spawnVcpu() {
    const worker = new Worker(new URL("../worker/vcpu-worker.ts", import.meta.url), { type: "module", name: "vcpu0" });
    return { api: Comlink.wrap<VcpuApi>(worker), terminate: () => worker.terminate() };
  },
  async loadCore() {
    const response = await fetch(coreUrl);
    if (!response.ok) throw new Error(`CPU core ${coreUrl}: HTTP ${response.status}`);
    return WebAssembly.compileStreaming(response);
  },
  yieldToEventLoop() {
    return new Promise((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });
  },
};
