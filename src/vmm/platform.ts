// What differs between the browser and Node: how a vCPU worker is spawned, how the compiled core
// is loaded, and how the host yields to its event loop. Everything else is shared.

import type { Remote } from "comlink";
import type { VcpuApi } from "../shared/api";

export interface VcpuHandle {
  api: Remote<VcpuApi>;
  terminate(): void;
}

export interface Platform {
  spawnVcpu(): VcpuHandle;
  loadCore(): Promise<WebAssembly.Module>;
  /** Resolve after pending events (input, timers, UI) had a chance to run. */
  yieldToEventLoop(): Promise<void>;
}
