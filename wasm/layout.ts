// The memory map of the one shared WebAssembly.Memory: every offset either side uses.
// This file is compiled by AssemblyScript into the core AND imported by the TypeScript host,
// so it may hold only plain integer constants (no types, no functions). Values stay below 2^31
// so that both compilers read them as the same i32/number.
// Chained *_BASE/*_SIZE constants: moving one region moves the ones after it.

/** Run pages start here: one 4 KiB page per vCPU (struct kvm_run analogue, see abi/run-page.ts). */
export const RUN_PAGES_BASE = 0x1000;
/** Size of one vCPU's run page. */
export const RUN_PAGE_SIZE = 0x1000;
/** Most vCPUs the map has room for. */
export const MAX_VCPUS = 8;

/** Memory slot table the core keeps (one 16-byte row per slot: gpa, size, offset, flags). */
export const SLOT_TABLE_BASE = RUN_PAGES_BASE + RUN_PAGE_SIZE * MAX_VCPUS; // 0x9000
/** Bytes per slot row. */
export const SLOT_ROW_SIZE = 16;
/** Number of memory slots. */
export const MAX_SLOTS = 32;

/** IRQ line levels raised by host devices, sampled by the in-worker interrupt controller. */
export const IRQ_LINES_BASE = SLOT_TABLE_BASE + SLOT_ROW_SIZE * MAX_SLOTS; // 0x9200
/** One i32 per line (0 low, 1 high) plus a change counter the halted vCPU waits on. */
export const IRQ_LINE_COUNT = 16;
/** Index (in i32 units from IRQ_LINES_BASE) of the counter bumped on every line change. */
export const IRQ_CHANGE_SEQ_INDEX = IRQ_LINE_COUNT;
/**
 * Index of the first of IRQ_LINE_COUNT rising-edge counters: the host bumps line n's counter on
 * every low→high change, so the PIC latches an edge even if the line fell again before it looked.
 */
export const IRQ_EDGE_COUNT_INDEX = IRQ_LINE_COUNT + 1;
export const IRQ_LINES_SIZE = 0x100;

/** Machine-wide controls the host sets during exits and the core reads at every resume. */
export const MACHINE_BASE = IRQ_LINES_BASE + IRQ_LINES_SIZE; // 0x9300
/** i32: 1 while the A20 gate is closed (address bit 20 forced to 0); 0 (the reset value) = open. */
export const MACHINE_A20_MASKED = MACHINE_BASE;
/** i32: the last POST code written to port 0x80 (or the second POST port), by the worker. */
export const MACHINE_POST_LAST = MACHINE_BASE + 4;
/** i32: how many POST codes were written (0: none yet). */
export const MACHINE_POST_COUNT = MACHINE_BASE + 8;
/** i32: a second POST code port the host configured (e.g. 0x190), 0 for none. */
export const MACHINE_POST_PORT2 = MACHINE_BASE + 12;
export const MACHINE_SIZE = 0x100;

/** Where AssemblyScript places its static data and stub heap (asc --memoryBase). */
export const CORE_DATA_BASE = 0x10000;
/** End of the AssemblyScript area; nothing on a hot path allocates, so 960 KiB is plenty. */
export const CORE_DATA_END = 0x100000;

/** Guest-physical page map: one u32 per 4 KiB guest page over the whole 4 GiB space. */
export const PAGE_MAP_BASE = CORE_DATA_END;
export const PAGE_MAP_SIZE = 0x400000;

/** Dirty bitmap for LOG_DIRTY slots: one bit per guest-physical 4 KiB page. */
export const DIRTY_BITMAP_BASE = PAGE_MAP_BASE + PAGE_MAP_SIZE; // 0x500000
export const DIRTY_BITMAP_SIZE = 0x20000;

/** Software TLB: a direct-mapped table of TLB_ENTRIES tags, then as many data words (mmu/tlb.ts). */
export const TLB_BASE = DIRTY_BITMAP_BASE + DIRTY_BITMAP_SIZE; // 0x520000
export const TLB_ENTRIES = 4096;
export const TLB_TAGS = TLB_BASE;
export const TLB_DATA = TLB_TAGS + 4 * TLB_ENTRIES;
export const TLB_SIZE = 8 * TLB_ENTRIES;

/** State of the in-worker devices (PIC, PIT), named fields laid out by wasm/devices/*.ts. */
export const WORKER_DEVICES_BASE = TLB_BASE + TLB_SIZE; // 0x528000
export const WORKER_DEVICES_SIZE = 0x1000;

/** Reserved for JIT metadata (later issues). */
export const RESERVED_BASE = WORKER_DEVICES_BASE + WORKER_DEVICES_SIZE;

/** First byte the host may hand out for guest RAM, ROM and VRAM backing (slot offsets). */
export const GUEST_BACKING_BASE = 0x1000000;

/** WebAssembly page size. */
export const WASM_PAGE = 0x10000;
/** The core module's declared initial memory, in Wasm pages (must cover everything below the guest). */
export const CORE_INITIAL_PAGES = GUEST_BACKING_BASE / WASM_PAGE;
/** The core module's declared maximum memory, in Wasm pages (4 GiB). */
export const CORE_MAXIMUM_PAGES = 65536;

// Page map entry bits (low 12 bits of an entry; the high 20 bits are the backing page's offset).
/** The guest page is backed by memory at (entry & ~0xFFF). */
export const PME_PRESENT = 1;
/** Writes to this page are not stored; they exit as MMIO writes (KVM_MEM_READONLY). */
export const PME_READONLY = 2;
/** Writes set the page's bit in the dirty bitmap (KVM_MEM_LOG_DIRTY_PAGES). */
export const PME_LOG_DIRTY = 4;
