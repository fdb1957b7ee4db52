// tabvisor's programmatic API under Node: createVM(options) builds a VM whose vCPU runs in a
// worker thread. The CLI and the tests use this; the page uses src/browser.ts.

import { createVMWith, type Vm, type VmOptions } from "./vmm/vm";
import { nodePlatform } from "./vmm/node-platform";

export { Vm, VmConfigError, type VmOptions, type VmStats } from "./vmm/vm";
export type { RunOutcome } from "./vmm/outcome";
export { ByteCollector } from "./vmm/device";

/** Create a VM (vCPU reset and paused); call vm.start() to run it. */
export function createVM(options: VmOptions): Promise<Vm> {
  return createVMWith(nodePlatform, options);
}
