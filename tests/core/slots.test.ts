// Memory slots (KVM_SET_USER_MEMORY_REGION): READONLY pages read normally and exit writes as MMIO;
// LOG_DIRTY pages set their bit in the dirty bitmap; bad regions are refused with a reason.
import { describe, expect, it } from "vitest";
import { CoreHarness, nasm } from "./harness";
import { RP } from "../../src/shared/run-page";
import { GUEST_BACKING_BASE, DIRTY_BITMAP_BASE } from "../../wasm/layout";
import { SLOT_FLAG_LOG_DIRTY, SLOT_FLAG_READONLY } from "../../src/shared/api";

describe("memory slots", () => {
  it("a READONLY slot reads its backing and turns writes into MMIO write exits", () => {
    const h = new CoreHarness(0x200000);
    // Slot 1: gpa 0x300000 backed by the RAM page at 0x100000, read-only.
    expect(h.core.setMemoryRegion(1, 0x300000, 0x1000, GUEST_BACKING_BASE + 0x100000, SLOT_FLAG_READONLY)).toBe(0);
    h.ram[0x100010] = 0xab;
    h.load(0x1000, nasm("mov al, [0x300010]\nmov [0x300020], al\nhlt", 32, 0x1000));
    h.flat32(0x1000);
    const r = h.run();
    expect(r.reason).toBe(RP.EXIT_MMIO); // the write: it completed, then exited
    expect(h.rp.mmioIsWrite).toBe(true);
    expect(h.rp.mmioPhysAddr).toBe(0x300020);
    expect(h.rp.mmioData & 0xff).toBe(0xab); // the read came from the backing
    expect(h.ram[0x100020]).toBe(0); // and the backing was not written
  });

  it("a LOG_DIRTY slot marks written pages in the dirty bitmap, and only those", () => {
    const h = new CoreHarness(0x200000);
    expect(h.core.setMemoryRegion(1, 0x400000, 0x4000, GUEST_BACKING_BASE + 0x100000, SLOT_FLAG_LOG_DIRTY)).toBe(0);
    h.load(0x1000, nasm("mov byte [0x401005], 1\nmov eax, [0x400010]\nmov dword [0x402ffe], 0x01020304\nhlt", 32, 0x1000));
    h.flat32(0x1000);
    expect(h.run().reason).toBe(RP.EXIT_HLT);
    const bitmap = new Uint32Array(h.memory.buffer, DIRTY_BITMAP_BASE, 0x400 / 4 + 1);
    const dirty = (gpa: number) => ((bitmap[gpa >>> 17] >>> ((gpa >>> 12) & 31)) & 1) === 1;
    expect(dirty(0x400000)).toBe(false); // only read
    expect(dirty(0x401000)).toBe(true);
    expect(dirty(0x402000)).toBe(true); // a write that crosses a page boundary
    expect(dirty(0x403000)).toBe(true); // marks both pages
    expect(h.ram[0x101005]).toBe(1); // the writes went to the backing
    expect(h.ram[0x103001]).toBe(0x01);
  });

  it("refuses misaligned, overlapping, out-of-memory and beyond-4-GiB regions", () => {
    const h = new CoreHarness(0x200000);
    expect(h.core.setMemoryRegion(1, 0x300800, 0x1000, GUEST_BACKING_BASE, 0)).toBe(2); // unaligned
    expect(h.core.setMemoryRegion(1, 0x1000, 0x1000, GUEST_BACKING_BASE, 0)).toBe(4); // overlaps slot 0 (RAM)
    expect(h.core.setMemoryRegion(1, 0x300000, 0x1000, 0x1000, 0)).toBe(3); // backing below the guest area
    expect(h.core.setMemoryRegion(1, 0x300000, 0x100000000 - 0x1000, GUEST_BACKING_BASE, 0)).toBe(5); // past 4 GiB
    expect(h.core.setMemoryRegion(99, 0x300000, 0x1000, GUEST_BACKING_BASE, 0)).toBe(1); // no such slot
  });
});
