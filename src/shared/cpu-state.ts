// The vCPU's architected state as a plain object with named fields (KVM_GET_REGS/SREGS
// analogue), for the control plane and snapshots. Read from and written to the run page.

import { RP, RunPageView, GPR_NAMES, SEGMENT_NAMES, type Segment } from "./run-page";

export type GprName = (typeof GPR_NAMES)[number];
export type SegmentName = (typeof SEGMENT_NAMES)[number];

export interface CpuState {
  regs: Record<GprName, number> & { eip: number; eflags: number };
  segments: Record<SegmentName, Segment>;
  gdtr: { base: number; limit: number };
  idtr: { base: number; limit: number };
  cr0: number;
  cr2: number;
  cr3: number;
  cr4: number;
}

export function readCpuState(rp: RunPageView): CpuState {
  const regs = { eip: rp.eip, eflags: rp.eflags } as CpuState["regs"];
  GPR_NAMES.forEach((n, i) => (regs[n] = rp.gpr(i)));
  const segments = {} as CpuState["segments"];
  SEGMENT_NAMES.forEach((n, i) => (segments[n] = rp.segment(i)));
  return { regs, segments, gdtr: rp.gdtr, idtr: rp.idtr, cr0: rp.cr0, cr2: rp.cr2, cr3: rp.cr3, cr4: rp.cr4 };
}

/** Write `s` into the run page and mark every group dirty (the worker reloads before resuming). */
export function writeCpuState(rp: RunPageView, s: CpuState): void {
  GPR_NAMES.forEach((n, i) => rp.setGpr(i, s.regs[n]));
  rp.eip = s.regs.eip;
  rp.eflags = s.regs.eflags;
  SEGMENT_NAMES.forEach((n, i) => rp.setSegment(i, s.segments[n]));
  rp.setTables(s.gdtr, s.idtr);
  rp.setControlRegisters(s.cr0, s.cr2, s.cr3, s.cr4);
  rp.markDirty(RP.SYNC_REGS | RP.SYNC_SREGS);
}
