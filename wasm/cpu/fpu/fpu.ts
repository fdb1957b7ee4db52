// x87 FPU entry points, reached from the opcode table (D8-DF, 9B FWAIT, 0F AE group 15).
// Not implemented yet: every x87 instruction stops the VM with INTERNAL_ERROR_EMULATION.
// State lives in the run page at RP_FPU (see abi/run-page.ts) so the host can snapshot it.

import { unimplemented } from "../fault";

/** D8-DF: an x87 instruction; `op` is the first opcode byte. */
export function opFpu(op: u32): void {
  unimplemented();
}

/** 9B: FWAIT/WAIT. With no FPU exceptions pending it does nothing. */
export function opFwait(): void {}

/** 0F AE: group 15 (FXSAVE, FXRSTOR, ...). */
export function opGroup15(): void {
  unimplemented();
}
