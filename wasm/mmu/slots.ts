// Memory slots (KVM_SET_USER_MEMORY_REGION): guest-physical ranges backed by ranges of the shared
// memory. Each slot writes its pages into the page map (memory.ts); a page in no slot is MMIO.
// Rules: page-aligned gpa/size/offset; backing inside the Wasm memory and at or above
// GUEST_BACKING_BASE (so a guest can never see the core's own data); no two slots overlap in
// guest-physical space; size 0 deletes the slot.

import {
  SLOT_TABLE_BASE, SLOT_ROW_SIZE, MAX_SLOTS, PAGE_MAP_BASE, GUEST_BACKING_BASE, WASM_PAGE,
  PME_PRESENT, PME_READONLY, PME_LOG_DIRTY,
} from "../layout";
import { invalidateFetch } from "./memory";
import { flushAll } from "./tlb";

/** Slot flags (KVM_MEM_*). */
export const SLOT_LOG_DIRTY = 1;
export const SLOT_READONLY = 2;

/** setMemoryRegion results: 0 success, else an error the host turns into a message. */
export const SLOT_OK = 0;
export const SLOT_ERR_BAD_SLOT = 1;
export const SLOT_ERR_UNALIGNED = 2;
export const SLOT_ERR_OUTSIDE_MEMORY = 3;
export const SLOT_ERR_OVERLAP = 4;
export const SLOT_ERR_BEYOND_4G = 5;

@inline function row(slot: i32): u32 { return SLOT_TABLE_BASE + <u32>slot * SLOT_ROW_SIZE; }

/** Create, replace or (size 0) delete a slot. */
export function setMemoryRegion(slot: i32, gpa: u32, size: u32, offset: u32, flags: u32): i32 {
  if (slot < 0 || slot >= MAX_SLOTS) return SLOT_ERR_BAD_SLOT;
  if (((gpa | size | offset) & 0xfff) != 0) return SLOT_ERR_UNALIGNED;
  if (size != 0) {
    if (<u64>gpa + <u64>size > 0x1_0000_0000) return SLOT_ERR_BEYOND_4G;
    const memBytes = <u64>memory.size() * WASM_PAGE;
    if (offset < <u32>GUEST_BACKING_BASE || <u64>offset + <u64>size > memBytes) return SLOT_ERR_OUTSIDE_MEMORY;
    for (let s = 0; s < MAX_SLOTS; s++) {
      if (s == slot) continue;
      const oSize = load<u32>(row(s), 4);
      if (oSize == 0) continue;
      const oGpa = load<u32>(row(s));
      if (<u64>gpa < <u64>oGpa + <u64>oSize && <u64>oGpa < <u64>gpa + <u64>size) return SLOT_ERR_OVERLAP;
    }
  }
  // Unmap the slot's old range, then map the new one.
  const oldSize = load<u32>(row(slot), 4);
  if (oldSize != 0) fillPages(load<u32>(row(slot)), oldSize, 0, 0, false);
  store<u32>(row(slot), gpa);
  store<u32>(row(slot), size, 4);
  store<u32>(row(slot), offset, 8);
  store<u32>(row(slot), flags, 12);
  if (size != 0) {
    let bits: u32 = PME_PRESENT;
    if (flags & SLOT_READONLY) bits |= PME_READONLY;
    if (flags & SLOT_LOG_DIRTY) bits |= PME_LOG_DIRTY;
    fillPages(gpa, size, offset, bits, true);
  }
  flushAll();
  invalidateFetch();
  return SLOT_OK;
}

function fillPages(gpa: u32, size: u32, offset: u32, bits: u32, map: bool): void {
  const pages = size >>> 12;
  const first = gpa >>> 12;
  for (let i: u32 = 0; i < pages; i++) {
    store<u32>(PAGE_MAP_BASE + ((first + i) << 2), map ? (offset + (i << 12)) | bits : 0);
  }
}
