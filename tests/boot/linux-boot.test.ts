// Linux/x86 boot protocol (direct kernel boot): setup header parsing, boot_params, e820, initrd
// placement, the 32-bit entry state and the one-line errors. Synthetic bzImages built here are
// the main fixtures; the last suite checks Debian's real kernel (built on demand).
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BOOT_PARAMS_ADDR,
  BootError,
  CMDLINE_ADDR,
  GDT_ADDR,
  KERNEL_ADDR,
  LOWMEM_TOP_32,
  kernelMemoryEnd,
  parseSetupHeader,
  prepareLinuxBoot,
  type LinuxBootPlan,
} from "../../src/vmm/boot/linux";
import { BUILD_TIMEOUT, INITRD, KERNEL, ensureLinuxGuest } from "./guest";

const MiB = 0x100000;

interface FakeImage {
  setupSects?: number; // raw byte at 0x1F1 (0 means 4)
  protocol?: number;
  loadflags?: number;
  code32Start?: number;
  initrdAddrMax?: number;
  kernelAlignment?: number;
  relocatable?: boolean;
  xloadflags?: number;
  cmdlineSize?: number;
  prefAddress?: number;
  initSize?: number;
  pmSize?: number; // bytes of protected-mode kernel
  headerEnd?: number; // 0x202 + byte[0x201]
  bootFlag?: number;
  magic?: string;
  version?: string; // kernel_version string (placed in the setup area)
}

/** A synthetic bzImage: a setup header as boot.rst lays it out, then a patterned "kernel". */
function bzImage(o: FakeImage = {}): Uint8Array {
  const sectsByte = o.setupSects ?? 8;
  const setupSize = ((sectsByte || 4) + 1) * 512;
  const pmSize = o.pmSize ?? 0x3000;
  const img = new Uint8Array(setupSize + pmSize);
  const v = new DataView(img.buffer);
  img[0x1f1] = sectsByte;
  v.setUint16(0x1f2, 1, true); // root_flags
  v.setUint32(0x1f4, pmSize >> 4, true); // syssize
  v.setUint16(0x1fa, 0xffff, true); // vid_mode
  v.setUint16(0x1fe, o.bootFlag ?? 0xaa55, true);
  img[0x200] = 0xeb; // jmp short
  img[0x201] = (o.headerEnd ?? 0x26c) - 0x202;
  for (let i = 0; i < 4; i++) img[0x202 + i] = (o.magic ?? "HdrS").charCodeAt(i);
  v.setUint16(0x206, o.protocol ?? 0x20f, true);
  v.setUint32(0x208, 0x12345678, true); // realmode_swtch (copied through)
  img[0x211] = o.loadflags ?? 0x01;
  v.setUint32(0x214, o.code32Start ?? 0x100000, true);
  v.setUint32(0x22c, o.initrdAddrMax ?? 0x7fffffff, true);
  v.setUint32(0x230, o.kernelAlignment ?? 0x1000000, true);
  img[0x234] = o.relocatable === false ? 0 : 1;
  img[0x235] = 13; // min_alignment
  v.setUint16(0x236, o.xloadflags ?? 0, true);
  v.setUint32(0x238, o.cmdlineSize ?? 2047, true);
  v.setUint32(0x258, o.prefAddress ?? 0x1000000, true);
  v.setUint32(0x260, o.initSize ?? 0x100c000, true);
  if (o.version !== undefined) {
    const at = 0x300; // in the setup area, after the header
    v.setUint16(0x20e, at - 0x200, true);
    for (let i = 0; i < o.version.length; i++) img[at + i] = o.version.charCodeAt(i);
  }
  for (let i = 0; i < pmSize; i++) img[setupSize + i] = (i * 7 + 3) & 0xff;
  return img;
}

const find = (plan: LinuxBootPlan, gpa: number) => {
  const w = plan.writes.find((x) => x.gpa === gpa);
  if (!w) throw new Error(`no write at 0x${gpa.toString(16)}`);
  return w.bytes;
};
const zeroPage = (plan: LinuxBootPlan) => {
  const bp = find(plan, BOOT_PARAMS_ADDR);
  return { bp, v: new DataView(bp.buffer, bp.byteOffset, bp.byteLength) };
};
const boot = (over: Partial<Parameters<typeof prepareLinuxBoot>[0]> = {}, img: FakeImage = {}) =>
  prepareLinuxBoot({ kernel: bzImage(img), kernelName: "vmlinuz", cmdline: "console=ttyS0 quiet", ramSize: 128 * MiB, ...over });
const bootError = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BootError);
    const msg = (e as Error).message;
    expect(msg).not.toContain("\n");
    return msg;
  }
  throw new Error("expected a BootError");
};

describe("setup header", () => {
  it("reads the fields boot.rst defines", () => {
    const h = parseSetupHeader(bzImage({ setupSects: 30, initSize: 0x2000000, prefAddress: 0x1000000, xloadflags: 0x4 }));
    expect(h).toEqual({
      setupSects: 30,
      protocol: 0x20f,
      loadflags: 0x01,
      code32Start: 0x100000,
      initrdAddrMax: 0x7fffffff,
      kernelAlignment: 0x1000000,
      relocatable: true,
      xloadflags: 0x4,
      cmdlineSize: 2047,
      prefAddress: 0x1000000,
      initSize: 0x2000000,
      headerEnd: 0x26c,
      kernelOffset: 31 * 512,
    });
  });

  it("treats setup_sects 0 as 4", () => {
    expect(parseSetupHeader(bzImage({ setupSects: 0 })).kernelOffset).toBe(5 * 512);
  });

  it("ignores pref_address and init_size before protocol 2.10", () => {
    const h = parseSetupHeader(bzImage({ protocol: 0x209 }));
    expect(h.prefAddress).toBe(0);
    expect(h.initSize).toBe(0);
  });
});

describe("prepareLinuxBoot: memory writes", () => {
  const kernel = bzImage({ setupSects: 8, pmSize: 0x5000 });
  const initrd = new Uint8Array(0x1234).fill(0x5a);
  const plan = prepareLinuxBoot({ kernel, cmdline: "console=ttyS0 quiet", initrd, ramSize: 128 * MiB });

  it("places GDT, boot_params, command line, kernel and initrd", () => {
    expect(plan.writes.map((w) => [w.gpa, w.bytes.length, w.what])).toEqual([
      [0x6000, 32, "boot GDT"],
      [0x7000, 4096, "boot_params (zero page)"],
      [0x20000, 20, "kernel command line"],
      [0x100000, 0x5000, "protected-mode part of kernel"],
      [128 * MiB - 0x2000, 0x1234, "initrd initrd"],
    ]);
  });

  it("loads the bytes after the (setup_sects + 1) * 512 setup at 1 MiB, unchanged", () => {
    expect(find(plan, KERNEL_ADDR)).toEqual(kernel.subarray(9 * 512));
    expect(find(plan, 128 * MiB - 0x2000)).toBe(initrd);
  });

  it("writes the command line NUL-terminated", () => {
    expect(new TextDecoder().decode(find(plan, CMDLINE_ADDR))).toBe("console=ttyS0 quiet\0");
  });

  it("keeps every write inside usable RAM of the e820 map and apart from the others", () => {
    const spans = plan.writes.map((w) => [w.gpa, w.gpa + w.bytes.length] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    for (const [a, b] of spans) {
      expect(plan.e820.some((e) => e.type === 1 && e.addr <= a && b <= e.addr + e.size)).toBe(true);
    }
  });

  it("builds the flat 32-bit boot GDT and the entry state", () => {
    const gdt = [
      0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0,
      0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0, // 0x10 code: base 0, limit 4 GiB, G, D, exec/read
      0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0, // 0x18 data: base 0, limit 4 GiB, G, B, read/write
    ];
    expect([...find(plan, GDT_ADDR)]).toEqual(gdt);
    expect(plan.entry.gdt.gpa).toBe(GDT_ADDR);
    expect([...plan.entry.gdt.bytes]).toEqual(gdt);
    expect(plan.entry.eip).toBe(0x100000);
    expect(plan.entry.esi).toBe(BOOT_PARAMS_ADDR);
    expect(plan.entry.codeSelector).toBe(0x10);
    expect(plan.entry.dataSelector).toBe(0x18);
    expect(plan.protocol).toBe(0x20f);
  });

  it("enters at code32_start", () => {
    expect(boot({}, { code32Start: 0x100200 }).entry.eip).toBe(0x100200);
  });

  it("reports the image's kernel_version string", () => {
    expect(boot({}, { version: "6.1.0-test (x@y) #1" }).kernelVersion).toBe("6.1.0-test (x@y) #1");
    expect(plan.kernelVersion).toBe("");
  });
});

describe("prepareLinuxBoot: boot_params", () => {
  const kernel = bzImage({ loadflags: 0x01 | 0x40 | 0x20 });
  const initrd = new Uint8Array(3 * MiB + 5);
  const plan = prepareLinuxBoot({ kernel, cmdline: "root=/dev/ram0", initrd, ramSize: 256 * MiB });
  const { bp, v } = zeroPage(plan);

  it("copies the setup header (0x1F1 up to 0x202 + byte[0x201]) from the image", () => {
    const changed = new Set<number>();
    for (const [off, n] of [[0x210, 2], [0x218, 8], [0x224, 4], [0x228, 4]]) for (let i = 0; i < n; i++) changed.add(off + i);
    for (let o = 0x1f1; o < 0x26c; o++) if (!changed.has(o)) expect(bp[o], `offset 0x${o.toString(16)}`).toBe(kernel[o]);
    expect(v.getUint32(0x208, true)).toBe(0x12345678);
    expect(bp.subarray(0x26c, 0x290).every((b) => b === 0)).toBe(true);
  });

  it("sets the loader fields", () => {
    expect(bp[0x210]).toBe(0xff); // type_of_loader: undefined
    expect(bp[0x211]).toBe(0x01 | 0x20 | 0x80); // LOADED_HIGH kept, QUIET kept, CAN_USE_HEAP set, KEEP_SEGMENTS cleared
    expect(v.getUint16(0x224, true)).toBe(0xde00); // heap_end_ptr
    expect(bp[0x226]).toBe(0); // ext_loader_ver
    expect(bp[0x227]).toBe(0); // ext_loader_type
    expect(v.getUint32(0x228, true)).toBe(CMDLINE_ADDR); // cmd_line_ptr
    expect(v.getUint32(0x0c8, true)).toBe(0); // ext_cmd_line_ptr
    expect(v.getUint32(0x218, true)).toBe(256 * MiB - 3 * MiB - 4096); // ramdisk_image: page-aligned, ends at or below the top
    expect(v.getUint32(0x21c, true)).toBe(3 * MiB + 5); // ramdisk_size
    expect(v.getUint32(0x0c0, true)).toBe(0); // ext_ramdisk_image
    expect(v.getUint32(0x0c4, true)).toBe(0); // ext_ramdisk_size
    expect(v.getBigUint64(0x250, true)).toBe(0n); // setup_data
    expect(v.getUint32(0x1e0, true)).toBe((256 - 1) * 1024); // alt_mem_k: KiB above 1 MiB
    expect(bp[0x1ef]).toBe(0); // sentinel
  });

  it("says there is no VGA (screen_info all zero)", () => {
    expect(bp.subarray(0, 0x40).every((b) => b === 0)).toBe(true);
    expect(bp[0x0f]).toBe(0); // orig_video_isVGA
  });

  it("writes the e820 table at 0x2D0 with its count at 0x1E8", () => {
    expect(bp[0x1e8]).toBe(4);
    const hex = Buffer.from(bp.subarray(0x2d0, 0x2d0 + 4 * 20)).toString("hex");
    expect(hex).toBe(
      [
        "0000000000000000" + "00fc090000000000" + "01000000", // 0 - 0x9FC00 usable
        "00fc090000000000" + "0004000000000000" + "02000000", // 0x9FC00 - 0xA0000 reserved
        "00000f0000000000" + "0000010000000000" + "02000000", // 0xF0000 - 0x100000 reserved
        "0000100000000000" + "0000f00f00000000" + "01000000", // 1 MiB - 256 MiB usable
      ].join(""),
    );
    expect(bp.subarray(0x2d0 + 4 * 20, 0xcd0).every((b) => b === 0)).toBe(true);
    expect(plan.e820).toEqual([
      { addr: 0, size: 0x9fc00, type: 1 },
      { addr: 0x9fc00, size: 0x400, type: 2 },
      { addr: 0xf0000, size: 0x10000, type: 2 },
      { addr: 0x100000, size: 255 * MiB, type: 1 },
    ]);
  });

  it("leaves everything else zero", () => {
    const set = new Set<number>();
    const mark = (a: number, b: number) => {
      for (let i = a; i < b; i++) set.add(i);
    };
    mark(0x1e0, 0x1e4);
    mark(0x1e8, 0x1e9);
    mark(0x1f1, 0x26c);
    mark(0x2d0, 0x2d0 + 80);
    for (let i = 0; i < 4096; i++) if (!set.has(i) && bp[i] !== 0) throw new Error(`boot_params byte 0x${i.toString(16)} is ${bp[i]}`);
  });

  it("leaves the ramdisk fields zero without an initrd", () => {
    const p = boot();
    const z = zeroPage(p);
    expect(z.v.getUint32(0x218, true)).toBe(0);
    expect(z.v.getUint32(0x21c, true)).toBe(0);
    expect(p.writes.some((w) => w.what.startsWith("initrd"))).toBe(false);
  });

  it("clips a longer jump offset to the header space before 0x290", () => {
    const img = bzImage({ headerEnd: 0x2a0 });
    img[0x28f] = 0x77;
    img[0x290] = 0x66; // beyond struct setup_header's room: not copied
    const z = zeroPage(prepareLinuxBoot({ kernel: img, cmdline: "", ramSize: 64 * MiB }));
    expect(z.bp[0x28f]).toBe(0x77);
    expect(z.bp[0x290]).toBe(0);
  });
});

describe("prepareLinuxBoot: initrd placement", () => {
  const at = (plan: LinuxBootPlan) => zeroPage(plan).v.getUint32(0x218, true);

  it("goes page-aligned at the top of RAM", () => {
    expect(at(boot({ initrd: new Uint8Array(4096), ramSize: 64 * MiB }))).toBe(64 * MiB - 4096);
    expect(at(boot({ initrd: new Uint8Array(1), ramSize: 64 * MiB }))).toBe(64 * MiB - 4096);
    expect(at(boot({ initrd: new Uint8Array(4097), ramSize: 64 * MiB }))).toBe(64 * MiB - 8192);
    expect(at(boot({ initrd: new Uint8Array(100), ramSize: 64 * MiB + 0x800 }))).toBe(64 * MiB); // ends at 64 MiB + 100, below the top
  });

  it("stays below initrd_addr_max", () => {
    const plan = boot({ initrd: new Uint8Array(10_000), ramSize: 512 * MiB }, { initrdAddrMax: 0x0fffffff });
    expect(at(plan) + 10_000).toBeLessThanOrEqual(0x10000000);
    expect(at(plan)).toBe(0x10000000 - 3 * 4096);
  });

  it("stays below 896 MiB for a 32-bit kernel", () => {
    const plan = boot({ initrd: new Uint8Array(8192), ramSize: 2048 * MiB });
    expect(at(plan)).toBe(LOWMEM_TOP_32 - 8192);
    expect(LOWMEM_TOP_32).toBe(896 * MiB);
  });

  it("may go above 896 MiB for a 64-bit kernel (XLF_KERNEL_64)", () => {
    const plan = boot({ initrd: new Uint8Array(8192), ramSize: 1536 * MiB }, { xloadflags: 0x1 });
    expect(at(plan)).toBe(1536 * MiB - 8192);
  });

  it("stays above the memory the kernel decompresses into", () => {
    // pref_address 16 MiB + init_size 16 MiB: the kernel owns up to 32 MiB; 2 MiB above that is the minimum
    const plan = boot({ initrd: new Uint8Array(2 * MiB), ramSize: 34 * MiB }, { initSize: 16 * MiB });
    expect(at(plan)).toBe(32 * MiB);
  });
});

describe("kernelMemoryEnd", () => {
  const h = (o: FakeImage) => {
    const img = bzImage(o);
    return kernelMemoryEnd(parseSetupHeader(img), img.length);
  };
  it("is pref_address + init_size for a relocatable kernel loaded below pref_address", () => {
    expect(h({ initSize: 0x100c000, prefAddress: 0x1000000 })).toBe(0x200c000);
  });
  it("uses the aligned load address when pref_address is lower", () => {
    expect(h({ initSize: 0x800000, prefAddress: 0x100000, kernelAlignment: 0x200000 })).toBe(0x200000 + 0x800000);
  });
  it("is pref_address + init_size for a non-relocatable kernel", () => {
    expect(h({ initSize: 0x800000, prefAddress: 0x400000, relocatable: false })).toBe(0xc00000);
  });
  it("is the end of the loaded image before protocol 2.10", () => {
    expect(h({ protocol: 0x209, pmSize: 0x4000 })).toBe(0x104000);
  });
  it("is never below the end of the loaded image", () => {
    expect(h({ initSize: 0x1000, prefAddress: 0x100000, kernelAlignment: 0x1000, pmSize: 0x8000 })).toBe(0x108000);
  });
});

describe("prepareLinuxBoot: errors", () => {
  it("rejects images without the boot flag", () => {
    expect(bootError(() => boot({}, { bootFlag: 0x1234 }))).toBe("vmlinuz is not a Linux bzImage (no boot flag 0xAA55 at 0x1FE)");
  });
  it("rejects images without HdrS", () => {
    expect(bootError(() => boot({}, { magic: "HdrX" }))).toBe('vmlinuz is not a Linux bzImage (no "HdrS" signature at 0x202)');
  });
  it("rejects boot protocols before 2.06", () => {
    expect(bootError(() => boot({}, { protocol: 0x205 }))).toBe(
      "vmlinuz is not a Linux bzImage (boot protocol 2.05, this loader needs 2.06 or later)",
    );
    expect(() => boot({}, { protocol: 0x206, headerEnd: 0x23c })).not.toThrow();
  });
  it("rejects zImages (LOADED_HIGH clear)", () => {
    expect(bootError(() => boot({}, { loadflags: 0 }))).toBe("vmlinuz is not a Linux bzImage (LOADED_HIGH is not set: a zImage, not a bzImage)");
  });
  it("rejects short files", () => {
    expect(bootError(() => prepareLinuxBoot({ kernel: new Uint8Array(100), kernelName: "x.bin", cmdline: "", ramSize: 64 * MiB }))).toBe(
      "x.bin is not a Linux bzImage (100 bytes is too short for a setup header)",
    );
    expect(bootError(() => boot({}, { pmSize: 0 }))).toBe("vmlinuz is not a Linux bzImage (4608 bytes, but the setup code alone is 4608)");
  });
  it("names the default file name when none is given", () => {
    expect(bootError(() => prepareLinuxBoot({ kernel: new Uint8Array(1000), cmdline: "", ramSize: 64 * MiB }))).toMatch(/^kernel is not a Linux bzImage/);
  });
  it("rejects too little RAM, using init_size", () => {
    expect(bootError(() => boot({ ramSize: 16 * MiB }))).toBe("vmlinuz needs 33 MiB of RAM, the VM has 16 MiB (use -m 64M or more)");
    expect(() => boot({ ramSize: 0x200c000 })).not.toThrow();
  });
  it("rejects too little RAM for an image before protocol 2.10", () => {
    expect(bootError(() => boot({ ramSize: MiB + 0x1000 }, { protocol: 0x209, pmSize: 0x2000 }))).toBe(
      "vmlinuz needs 2 MiB of RAM, the VM has 1.0 MiB (use -m 2M or more)",
    );
  });
  it("rejects an initrd that does not fit below the top of RAM", () => {
    expect(bootError(() => boot({ ramSize: 40 * MiB, initrd: new Uint8Array(10 * MiB), initrdName: "big.gz" }))).toBe(
      "initrd big.gz (10 MiB) does not fit below 0x2800000, the top of RAM (40 MiB), above the 33 MiB the kernel needs (use -m 64M or more)",
    );
  });
  it("rejects an initrd that does not fit below initrd_addr_max", () => {
    expect(bootError(() => boot({ ramSize: 512 * MiB, initrd: new Uint8Array(20 * MiB) }, { initrdAddrMax: 0x2ffffff }))).toBe(
      "initrd initrd (20 MiB) does not fit below 0x3000000, the kernel's initrd_addr_max 0x2FFFFFF, above the 33 MiB the kernel needs",
    );
  });
  it("rejects an empty initrd", () => {
    expect(bootError(() => boot({ initrd: new Uint8Array(0), initrdName: "e.gz" }))).toBe("initrd e.gz is empty");
  });
  it("rejects a command line longer than cmdline_size", () => {
    expect(() => boot({ cmdline: "x".repeat(255) }, { cmdlineSize: 255 })).not.toThrow();
    expect(bootError(() => boot({ cmdline: "x".repeat(256) }, { cmdlineSize: 255 }))).toBe(
      "the kernel command line is 256 bytes, vmlinuz accepts at most 255",
    );
  });
  it("rejects a NUL in the command line", () => {
    expect(bootError(() => boot({ cmdline: "a\0b" }))).toBe("the kernel command line contains a NUL byte");
  });
  it("rejects code32_start outside the loaded kernel", () => {
    expect(bootError(() => boot({}, { code32Start: 0x200000 }))).toBe(
      "vmlinuz has code32_start 0x200000, outside its kernel loaded at 0x100000-0x102FFF",
    );
  });
  it("rejects a bad RAM size", () => {
    expect(bootError(() => boot({ ramSize: -1 }))).toBe("bad RAM size -1");
  });
});

describe("Debian's bookworm 686 kernel (public/guests/linux, built on demand)", () => {
  let kernel: Uint8Array;
  let initrd: Uint8Array;
  beforeAll(() => {
    ensureLinuxGuest();
    kernel = readFileSync(KERNEL);
    initrd = readFileSync(INITRD);
  }, BUILD_TIMEOUT);

  it("is a bzImage with boot protocol 2.06 or later, loaded high and relocatable", () => {
    const h = parseSetupHeader(kernel, "bzImage");
    expect(h.protocol).toBeGreaterThanOrEqual(0x206);
    expect(h.loadflags & 0x01).toBe(1);
    expect(h.code32Start).toBe(0x100000);
    expect(h.relocatable).toBe(true);
    expect(h.xloadflags & 1).toBe(0); // a 32-bit kernel
    expect(h.cmdlineSize).toBeGreaterThanOrEqual(255);
  });

  it("plans a boot with the busybox initrd in 128 MiB", () => {
    const plan = prepareLinuxBoot({ kernel, kernelName: "bzImage", initrd, initrdName: "initrd.gz", cmdline: "console=ttyS0 quiet", ramSize: 128 * MiB });
    expect(plan.kernelVersion).toMatch(/^6\.1\.0-\d+-686 .*Debian/);
    const { v } = zeroPage(plan);
    const top = Math.floor((128 * MiB - initrd.length) / 4096) * 4096;
    expect(v.getUint32(0x218, true)).toBe(top);
    expect(v.getUint32(0x21c, true)).toBe(initrd.length);
    expect(find(plan, KERNEL_ADDR).length).toBe(kernel.length - (kernel[0x1f1] + 1) * 512);
    expect(plan.entry.eip).toBe(0x100000);
  });

  it("says how much RAM it needs", () => {
    expect(bootError(() => prepareLinuxBoot({ kernel, kernelName: "bzImage", cmdline: "", ramSize: 16 * MiB }))).toMatch(
      /^bzImage needs \d+ MiB of RAM, the VM has 16 MiB \(use -m \d+M or more\)$/,
    );
  });
});
