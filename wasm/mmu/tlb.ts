// Linear → physical translation: the two-level page walk (4 KiB pages, 4 MiB pages with
// CR4.PSE, global pages with CR4.PGE, CR0.WP, accessed/dirty bits, #PF with CR2 and error code)
// and a direct-mapped software TLB in front of it.
//
// A TLB entry maps a linear page to the *host* address of its backing page (from the page map),
// so a hit costs one tag compare. The tag holds the linear page and which accesses may use the
// entry: RS/RU (read, supervisor/user), WS/WU (write). Write bits are given only when the page is
// writable for that privilege, its dirty bit is already set, and the backing is plain RAM (not
// READONLY or LOG_DIRTY), so every other write takes the slow path that does the right thing.
// With paging off the same TLB caches identity mappings (A20 applied).
// Invariant: any change to CR0.PG/WP, CR3, CR4.PSE/PGE, the A20 gate or the memory slots
// flushes the entries it could affect; the fetch cache in memory.ts is flushed with it.

import { TLB_TAGS, TLB_DATA, TLB_ENTRIES, PAGE_MAP_BASE, PME_PRESENT, PME_READONLY, PME_LOG_DIRTY } from "../layout";
import { RP_CR2, RP_CR3, RP_CR4 } from "../abi/run-page";
import { vcpu, cr0, CR0_PG } from "../cpu/state";
import { raiseFault, internalError, EXC_PF } from "../cpu/fault";
import { INTERNAL_ERROR_MMIO } from "../abi/run-page";

export const TLB_RS: u32 = 1;
export const TLB_RU: u32 = 2;
export const TLB_WS: u32 = 4;
export const TLB_WU: u32 = 8;
export const TLB_GLOBAL: u32 = 16;

const CR0_WP: u32 = 0x10000;
const CR4_PSE: u32 = 0x10;
const CR4_PGE: u32 = 0x80;

// Page-table entry bits (SDM vol. 3, 4.3).
const PTE_P: u32 = 0x1;
const PTE_RW: u32 = 0x2;
const PTE_US: u32 = 0x4;
const PTE_A: u32 = 0x20;
const PTE_D: u32 = 0x40;
const PDE_PS: u32 = 0x80;
const PTE_G: u32 = 0x100;

const INDEX_MASK: u32 = TLB_ENTRIES - 1;

/** TLB bits a read / a write by the current privilege needs. */
export let reqRead: u32 = TLB_RS;
export let reqWrite: u32 = TLB_WS;
/** Accesses are made with user privilege (CPL 3, outside system-structure accesses). */
export let accessUser: bool = false;

let pagingOn: bool = false;
let writeProtect: bool = false;
let pse: bool = false;
let pge: bool = false;
/** ANDed into physical addresses: bit 20 cleared while the A20 gate is closed. */
let a20Mask: u32 = 0xffffffff;

export function setAccessUser(user: bool): void {
  if (user != accessUser) invalidateFetch();
  accessUser = user;
  reqRead = user ? TLB_RU : TLB_RS;
  reqWrite = user ? TLB_WU : TLB_WS;
}

/**
 * The GDT, LDT, IDT and TSS are accessed with supervisor privilege whatever the CPL (SDM vol. 3,
 * 5.5). Returns the previous mode for endSystemAccess(). afterTrap() restores the mode from the
 * CPL, so an access that faults in between cannot leave it stuck.
 */
export function beginSystemAccess(): bool {
  const was = accessUser;
  if (was) setAccessUser(false);
  return was;
}
export function endSystemAccess(was: bool): void {
  if (was) setAccessUser(true);
}

/** Re-read CR0/CR4 after a write to either; flushes everything. */
export function refreshPagingMode(): void {
  const c0 = cr0();
  const c4 = load<u32>(vcpu, RP_CR4);
  pagingOn = (c0 & CR0_PG) != 0;
  writeProtect = (c0 & CR0_WP) != 0;
  pse = (c4 & CR4_PSE) != 0;
  pge = (c4 & CR4_PGE) != 0;
  flushAll();
}
export function pagingEnabled(): bool { return pagingOn; }

export function setA20(enabled: bool): void {
  a20Mask = enabled ? 0xffffffff : 0xffefffff;
  flushAll();
}

export function flushAll(): void {
  memory.fill(TLB_TAGS, 0, TLB_ENTRIES * 4);
  invalidateFetch();
}
/** CR3 write: drop everything but global entries. */
export function flushNonGlobal(): void {
  for (let i: u32 = 0; i < <u32>TLB_ENTRIES; i++) {
    const a = TLB_TAGS + (i << 2);
    if ((load<u32>(a) & TLB_GLOBAL) == 0) store<u32>(a, 0);
  }
  invalidateFetch();
}
/** INVLPG: drop the entry for one linear page (global or not). */
export function flushPage(lin: u32): void {
  const a = TLB_TAGS + (((lin >>> 12) & INDEX_MASK) << 2);
  if ((load<u32>(a) & 0xfffff000) == (lin & 0xfffff000)) store<u32>(a, 0);
  invalidateFetch();
}

/** Host address of the page backing `lin` if the TLB allows access `req`, else 0. */
@inline export function tlbLookup(lin: u32, req: u32): u32 {
  const i = (lin >>> 12) & INDEX_MASK;
  const tag = load<u32>(TLB_TAGS + (i << 2));
  if ((tag & (0xfffff000 | req)) == ((lin & 0xfffff000) | req)) return load<u32>(TLB_DATA + (i << 2));
  return 0;
}

function pageFault(lin: u32, present: bool, write: bool): void {
  store<u32>(vcpu, lin, RP_CR2);
  raiseFault(EXC_PF, (present ? 1 : 0) | (write ? 2 : 0) | (accessUser ? 4 : 0));
}

@inline function readPte(addr: u32): u32 {
  const e = load<u32>(PAGE_MAP_BASE + ((addr >>> 12) << 2));
  // Page tables outside RAM read as not present (a guest bug; never a host access).
  if ((e & PME_PRESENT) == 0) return 0;
  return load<u32>((e & ~0xfff) + (addr & 0xfff));
}
@inline function writePte(addr: u32, v: u32): void {
  const e = load<u32>(PAGE_MAP_BASE + ((addr >>> 12) << 2));
  if ((e & (PME_PRESENT | PME_READONLY)) == PME_PRESENT) store<u32>((e & ~0xfff) + (addr & 0xfff), v);
}

/**
 * Translate `lin` for a read or a write with the current privilege; raises #PF. Fills the TLB
 * when the page is plain RAM. Returns the physical address.
 */
export function translate(lin: u32, write: bool): u32 {
  let phys: u32;
  let user = true;
  let writable = true;
  let dirty = true;
  let global = false;
  if (!pagingOn) {
    phys = lin & a20Mask;
  } else {
    const pdeAddr = (load<u32>(vcpu, RP_CR3) & 0xfffff000) + ((lin >>> 22) << 2);
    let pde = readPte(pdeAddr);
    if ((pde & PTE_P) == 0) pageFault(lin, false, write);
    if (pse && (pde & PDE_PS) != 0) {
      user = (pde & PTE_US) != 0;
      writable = (pde & PTE_RW) != 0;
      checkAccess(lin, user, writable, write);
      const want = pde | PTE_A | (write ? PTE_D : 0);
      if (want != pde) { writePte(pdeAddr, want); pde = want; }
      dirty = (pde & PTE_D) != 0;
      global = pge && (pde & PTE_G) != 0;
      phys = (pde & 0xffc00000) | (lin & 0x003fffff);
    } else {
      // The PDE is used to find the page table: its A bit is set even if the PTE then faults
      // (SDM vol. 3, 4.8; as QEMU does).
      if ((pde & PTE_A) == 0) writePte(pdeAddr, pde | PTE_A);
      const pteAddr = (pde & 0xfffff000) + (((lin >>> 12) & 0x3ff) << 2);
      let pte = readPte(pteAddr);
      if ((pte & PTE_P) == 0) pageFault(lin, false, write);
      user = (pde & pte & PTE_US) != 0;
      writable = (pde & pte & PTE_RW) != 0;
      checkAccess(lin, user, writable, write);
      const want = pte | PTE_A | (write ? PTE_D : 0);
      if (want != pte) { writePte(pteAddr, want); pte = want; }
      dirty = (pte & PTE_D) != 0;
      global = pge && (pte & PTE_G) != 0;
      phys = (pte & 0xfffff000) | (lin & 0xfff);
    }
    phys &= a20Mask;
  }
  const e = load<u32>(PAGE_MAP_BASE + ((phys >>> 12) << 2));
  if (e & PME_PRESENT) {
    let bits: u32 = TLB_RS | (user ? TLB_RU : 0);
    if (dirty && (e & (PME_READONLY | PME_LOG_DIRTY)) == 0) {
      if (writable || !writeProtect) bits |= TLB_WS;
      if (user && writable) bits |= TLB_WU;
    }
    if (global) bits |= TLB_GLOBAL;
    const i = (lin >>> 12) & INDEX_MASK;
    store<u32>(TLB_TAGS + (i << 2), (lin & 0xfffff000) | bits);
    store<u32>(TLB_DATA + (i << 2), e & 0xfffff000);
  }
  return phys;
}

/** Privilege checks of SDM vol. 3, 4.6 for a page with the combined U/S and R/W bits. */
@inline function checkAccess(lin: u32, user: bool, writable: bool, write: bool): void {
  if (accessUser) {
    if (!user || (write && !writable)) pageFault(lin, true, write);
  } else if (write && !writable && writeProtect) {
    pageFault(lin, true, write);
  }
}

// ---- Instruction fetch: the current code page's host address, cached ------------------------
let fetchTag: u32 = 0xffffffff; // linear page number of the cached code page
let fetchHost: u32 = 0;
/** Forget the cached code page (flushes, privilege changes, CS loads). */
export function invalidateFetch(): void { fetchTag = 0xffffffff; }

/** One instruction byte at linear `lin` (execute access = read access without NX). */
@inline export function fetchLin8(lin: u32): u32 {
  if ((lin >>> 12) != fetchTag) refillFetch(lin);
  return load<u8>(fetchHost + (lin & 0xfff));
}
function refillFetch(lin: u32): void {
  let h = tlbLookup(lin, reqRead);
  if (!h) {
    const phys = translate(lin, false);
    const e = load<u32>(PAGE_MAP_BASE + ((phys >>> 12) << 2));
    if ((e & PME_PRESENT) == 0) internalError(INTERNAL_ERROR_MMIO, lin, 0); // code in MMIO
    h = e & ~0xfff;
  }
  fetchTag = lin >>> 12;
  fetchHost = h;
}
