// Guest-physical and linear memory access for the interpreter.
// Guest-physical → backing: the page map (one u32 per 4 KiB page, built from the memory slots by
// slots.ts). A page without PME_PRESENT is MMIO: a read exits to the host before the instruction
// completes and is replayed with the host's data when the instruction runs again; a write is
// recorded and exits after the instruction completes. READONLY pages exit writes the same way.
// Invariant: the core touches guest memory only through the page map, so a guest can reach no
// byte outside its slots.
// Linear → physical goes through tlb.ts (paging, A20).

import { PAGE_MAP_BASE, PME_PRESENT, PME_READONLY, PME_LOG_DIRTY, DIRTY_BITMAP_BASE } from "../layout";
import {
  EXIT_MMIO, RP_MMIO_PHYS_ADDR, RP_MMIO_DATA, RP_MMIO_LEN, RP_MMIO_IS_WRITE, INTERNAL_ERROR_MMIO,
} from "../abi/run-page";
import { vcpu } from "../cpu/state";
import { exitBeforeCompletion, internalError, setExitReason } from "../cpu/fault";
import { tlbLookup, translate, reqRead, reqWrite } from "./tlb";

@inline function entry(gpa: u32): u32 { return load<u32>(PAGE_MAP_BASE + ((gpa >>> 12) << 2)); }
@inline function host(e: u32, gpa: u32): u32 { return (e & ~0xfff) + (gpa & 0xfff); }

// ---- MMIO exits ---------------------------------------------------------------------------
let mmioReplayValid: bool = false;
let mmioReplayAddr: u32 = 0;
let mmioReplayLen: i32 = 0;
let mmioReplayData: u32 = 0;
let mmioWritePending: bool = false;

/** An MMIO read's answer is waiting for the re-executed instruction. */
export function mmioReplayPending(): bool { return mmioReplayValid; }

/** After the host answered an MMIO read: the next read of that address returns `data`. */
export function completeMmioRead(): void {
  mmioReplayValid = true;
  mmioReplayAddr = load<u32>(vcpu, RP_MMIO_PHYS_ADDR);
  mmioReplayLen = load<u32>(vcpu, RP_MMIO_LEN);
  mmioReplayData = load<u32>(vcpu, RP_MMIO_DATA);
}
/** Start of every run() call: a write exit has been handled. */
export function clearMmioWrite(): void { mmioWritePending = false; }

function mmioRead(gpa: u32, len: i32): u32 {
  if (mmioReplayValid && mmioReplayAddr == gpa && mmioReplayLen == len) {
    mmioReplayValid = false;
    return mmioReplayData;
  }
  if (mmioWritePending) internalError(INTERNAL_ERROR_MMIO, gpa, len);
  store<u32>(vcpu, gpa, RP_MMIO_PHYS_ADDR);
  store<u32>(vcpu, 0, RP_MMIO_PHYS_ADDR + 4);
  store<u64>(vcpu, 0, RP_MMIO_DATA);
  store<u32>(vcpu, len, RP_MMIO_LEN);
  store<u8>(vcpu, 0, RP_MMIO_IS_WRITE);
  exitBeforeCompletion(EXIT_MMIO);
  return 0;
}
function mmioWrite(gpa: u32, len: i32, v: u32): void {
  if (mmioWritePending) internalError(INTERNAL_ERROR_MMIO, gpa, len);
  mmioWritePending = true;
  store<u32>(vcpu, gpa, RP_MMIO_PHYS_ADDR);
  store<u32>(vcpu, 0, RP_MMIO_PHYS_ADDR + 4);
  store<u64>(vcpu, 0, RP_MMIO_DATA);
  store<u32>(vcpu, v, RP_MMIO_DATA);
  store<u32>(vcpu, len, RP_MMIO_LEN);
  store<u8>(vcpu, 1, RP_MMIO_IS_WRITE);
  setExitReason(EXIT_MMIO);
}

@inline function markDirty(gpa: u32): void {
  const page = gpa >>> 12;
  atomic.or<u32>(DIRTY_BITMAP_BASE + ((page >>> 5) << 2), <u32>1 << (page & 31));
}

// ---- Physical access ----------------------------------------------------------------------
export function readPhys8(gpa: u32): u32 {
  const e = entry(gpa);
  if (e & PME_PRESENT) return load<u8>(host(e, gpa));
  return mmioRead(gpa, 1);
}
export function readPhys16(gpa: u32): u32 {
  const e = entry(gpa);
  if ((e & PME_PRESENT) != 0 && (gpa & 0xfff) <= 0xffe) return load<u16>(host(e, gpa));
  if ((gpa & 0xfff) <= 0xffe) return mmioRead(gpa, 2);
  return readPhys8(gpa) | (readPhys8(gpa + 1) << 8);
}
export function readPhys32(gpa: u32): u32 {
  const e = entry(gpa);
  if ((e & PME_PRESENT) != 0 && (gpa & 0xfff) <= 0xffc) return load<u32>(host(e, gpa));
  if ((gpa & 0xfff) <= 0xffc) return mmioRead(gpa, 4);
  return readPhys8(gpa) | (readPhys8(gpa + 1) << 8) | (readPhys8(gpa + 2) << 16) | (readPhys8(gpa + 3) << 24);
}

export function writePhys8(gpa: u32, v: u32): void {
  const e = entry(gpa);
  if ((e & (PME_PRESENT | PME_READONLY | PME_LOG_DIRTY)) == PME_PRESENT) { store<u8>(host(e, gpa), <u8>v); return; }
  writeSlow(e, gpa, 1, v);
}
export function writePhys16(gpa: u32, v: u32): void {
  const e = entry(gpa);
  if ((gpa & 0xfff) <= 0xffe) {
    if ((e & (PME_PRESENT | PME_READONLY | PME_LOG_DIRTY)) == PME_PRESENT) { store<u16>(host(e, gpa), <u16>v); return; }
    writeSlow(e, gpa, 2, v);
    return;
  }
  writePhys8(gpa, v);
  writePhys8(gpa + 1, v >> 8);
}
export function writePhys32(gpa: u32, v: u32): void {
  const e = entry(gpa);
  if ((gpa & 0xfff) <= 0xffc) {
    if ((e & (PME_PRESENT | PME_READONLY | PME_LOG_DIRTY)) == PME_PRESENT) { store<u32>(host(e, gpa), v); return; }
    writeSlow(e, gpa, 4, v);
    return;
  }
  writePhys8(gpa, v);
  writePhys8(gpa + 1, v >> 8);
  writePhys8(gpa + 2, v >> 16);
  writePhys8(gpa + 3, v >> 24);
}
/** Writes to MMIO, to READONLY pages (which exit like KVM's read-only slots) and to logged pages. */
function writeSlow(e: u32, gpa: u32, len: i32, v: u32): void {
  if ((e & PME_PRESENT) == 0 || (e & PME_READONLY) != 0) { mmioWrite(gpa, len, v); return; }
  markDirty(gpa);
  const h = host(e, gpa);
  if (len == 1) store<u8>(h, <u8>v);
  else if (len == 2) store<u16>(h, <u16>v);
  else store<u32>(h, v);
}

// ---- Linear access: TLB hit → host memory; miss → translate (page walk, #PF) → physical ----
// Accesses that cross a page translate both pages before touching either (a write must not be
// half done when the second page faults).

export function readLin8(lin: u32): u32 {
  const h = tlbLookup(lin, reqRead);
  if (h) return load<u8>(h + (lin & 0xfff));
  return readPhys8(translate(lin, false));
}
export function readLin16(lin: u32): u32 {
  if ((lin & 0xfff) != 0xfff) {
    const h = tlbLookup(lin, reqRead);
    if (h) return load<u16>(h + (lin & 0xfff));
    return readPhys16(translate(lin, false));
  }
  const p0 = translate(lin, false);
  const p1 = translate(lin + 1, false);
  return readPhys8(p0) | (readPhys8(p1) << 8);
}
export function readLin32(lin: u32): u32 {
  if ((lin & 0xfff) <= 0xffc) {
    const h = tlbLookup(lin, reqRead);
    if (h) return load<u32>(h + (lin & 0xfff));
    return readPhys32(translate(lin, false));
  }
  const p0 = translate(lin, false);
  const p1 = translate((lin + 3) & 0xfffff000, false); // CR2 = the first byte on the second page
  let v: u32 = 0;
  for (let k: u32 = 0; k < 4; k++) v |= readPhys8(crossPhys(lin, k, p0, p1)) << (k << 3);
  return v;
}
export function writeLin8(lin: u32, v: u32): void {
  const h = tlbLookup(lin, reqWrite);
  if (h) { store<u8>(h + (lin & 0xfff), <u8>v); return; }
  writePhys8(translate(lin, true), v);
}
export function writeLin16(lin: u32, v: u32): void {
  if ((lin & 0xfff) != 0xfff) {
    const h = tlbLookup(lin, reqWrite);
    if (h) { store<u16>(h + (lin & 0xfff), <u16>v); return; }
    writePhys16(translate(lin, true), v);
    return;
  }
  const p0 = translate(lin, true);
  const p1 = translate(lin + 1, true);
  writePhys8(p0, v);
  writePhys8(p1, v >> 8);
}
export function writeLin32(lin: u32, v: u32): void {
  if ((lin & 0xfff) <= 0xffc) {
    const h = tlbLookup(lin, reqWrite);
    if (h) { store<u32>(h + (lin & 0xfff), v); return; }
    writePhys32(translate(lin, true), v);
    return;
  }
  const p0 = translate(lin, true);
  const p1 = translate((lin + 3) & 0xfffff000, true);
  for (let k: u32 = 0; k < 4; k++) writePhys8(crossPhys(lin, k, p0, p1), v >> (k << 3));
}
/** Physical address of byte k of an access at `lin` that crosses into the next page. */
@inline function crossPhys(lin: u32, k: u32, p0: u32, p1: u32): u32 {
  const a = lin + k;
  return ((a ^ lin) & 0xfffff000) == 0 ? p0 + k : (p1 & 0xfffff000) | (a & 0xfff);
}

export function readLinN(lin: u32, size: i32): u32 {
  if (size == 4) return readLin32(lin);
  if (size == 2) return readLin16(lin);
  return readLin8(lin);
}
export function writeLinN(lin: u32, size: i32, v: u32): void {
  if (size == 4) writeLin32(lin, v);
  else if (size == 2) writeLin16(lin, v);
  else writeLin8(lin, v);
}

// Instruction fetch lives in tlb.ts (its cache is flushed with the TLB); re-exported here.
export { fetchLin8, invalidateFetch } from "./tlb";
