// tabvisor's programmatic API in the browser: createVM(options) with the vCPU in a Web Worker.
// Needs cross-origin isolation (COOP/COEP) for SharedArrayBuffer.

import { createVMWith, type Vm, type VmOptions } from "./vmm/vm";
import { browserPlatform } from "./ui/browser-platform";

export { Vm, VmConfigError, type VmOptions, type VmStats } from "./vmm/vm";
export type { RunOutcome } from "./vmm/outcome";

/** Create a VM (vCPU reset and paused); call vm.start() to run it. */
export function createVM(options: VmOptions): Promise<Vm> {
  if (!globalThis.crossOriginIsolated) {
    return Promise.reject(new Error("tabvisor needs a cross-origin isolated page (COOP/COEP headers) for shared memory"));
  }
  return createVMWith(browserPlatform, options);
}
