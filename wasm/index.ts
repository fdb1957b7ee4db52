// The core's export surface: the only functions the worker calls. Everything else is internal.
// The worker drives it like KVM_RUN: setSlice(n); r = run(); on a trap, r = afterTrap();
// publish the exit; after the host's completion, completeIoIn()/completeMmioRead() as needed;
// syncIn() for host edits; run() again.

import { RUN_PAGES_BASE, RUN_PAGE_SIZE, MAX_VCPUS } from "./layout";
import { setVcpuBase } from "./cpu/state";

export { setMemoryRegion } from "./mmu/slots";
export { completeMmioRead } from "./mmu/memory";
export { completeIoIn } from "./cpu/ops-io";
export { afterTrap } from "./cpu/fault";
export { picSampledSeq } from "./devices/pic";
export { run, setSlice, getSliceRemaining, reset, syncIn, syncOut, setGuestDebug, nextDeadline } from "./cpu/run";

/** Bind this instance to vCPU `id`'s run page. Returns 0, or -1 for an id the layout has no room for. */
export function init(id: i32): i32 {
  if (id < 0 || id >= MAX_VCPUS) return -1;
  setVcpuBase(RUN_PAGES_BASE + <u32>id * RUN_PAGE_SIZE);
  return 0;
}
