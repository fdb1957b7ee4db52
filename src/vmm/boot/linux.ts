// The Linux/x86 boot protocol (Documentation/x86/boot.rst, protocol 2.06 and later), direct
// kernel boot through the 32-bit entry point, the way `qemu -kernel` boots a bzImage: no BIOS
// and no real-mode setup code run. Pure: it reads the image and returns what to write where and
// the register state to start in; the VMM does the writes and loads the registers.
//
// Guest-physical layout (all below the 0x9FC00 end of conventional memory, above the real-mode
// IVT/BDA, so nothing a BIOS would own; the kernel copies boot_params and the command line out
// early in startup_32, and the decompressor works at pref_address and above):
//
//   0x0000_6000  GDT, 4 descriptors (0x00 null, 0x08 unused, 0x10 code, 0x18 data), 32 bytes
//   0x0000_7000  boot_params ("zero page"), 4 KiB
//   0x0002_0000  kernel command line, NUL-terminated (at most cmdline_size + 1 bytes)
//   0x0010_0000  protected-mode kernel: the image after its (setup_sects + 1) * 512 setup bytes
//   high         initrd, page-aligned, as high as fits below min(initrd_addr_max + 1, RAM top,
//                896 MiB for a 32-bit kernel) and above the memory the kernel needs
//
// Entry state the VMM sets (32-bit boot protocol): protected mode, paging off, interrupts off
// (EFLAGS = 0x2), GDTR = {base GDT, limit 0x1F}, CS = 0x10 and DS = ES = SS = FS = GS = 0x18, all
// flat 4 GiB; ESI = boot_params; EIP = code32_start; EBP = EDI = EBX = 0.

export class BootError extends Error {
  override name = "BootError";
}

export interface LinuxBootInput {
  kernel: Uint8Array;
  /** Used in error messages; defaults to "kernel". */
  kernelName?: string;
  initrd?: Uint8Array;
  /** Used in error messages; defaults to "initrd". */
  initrdName?: string;
  cmdline: string;
  /** Bytes of RAM from guest-physical 0 (the VM's RAM ends at this address). */
  ramSize: number;
}

export interface E820Entry {
  addr: number;
  size: number;
  type: number;
}

export interface GuestWrite {
  gpa: number;
  bytes: Uint8Array;
  what: string;
}

export interface LinuxBootPlan {
  /** Copy each `bytes` to guest-physical `gpa`; they do not overlap. Kernel and initrd bytes are views of the input. */
  writes: GuestWrite[];
  entry: {
    eip: number;
    /** boot_params address. */
    esi: number;
    /** Load GDTR with base `gpa` and limit `bytes.length - 1` (the bytes are also in `writes`). */
    gdt: { gpa: number; bytes: Uint8Array };
    codeSelector: 0x10;
    dataSelector: 0x18;
  };
  /** The memory map handed to the kernel (also in boot_params). */
  e820: E820Entry[];
  /** Boot protocol version of the image, e.g. 0x020f. */
  protocol: number;
  /** The image's version string (kernel_version), "" if it has none. */
  kernelVersion: string;
  /** The fields of the image's setup header this loader used. */
  header: SetupHeader;
}

export interface SetupHeader {
  setupSects: number;
  protocol: number;
  loadflags: number;
  code32Start: number;
  initrdAddrMax: number;
  kernelAlignment: number;
  relocatable: boolean;
  xloadflags: number;
  cmdlineSize: number;
  /** 0 before protocol 2.10. */
  prefAddress: number;
  /** 0 before protocol 2.10. */
  initSize: number;
  /** Offset of the first byte after the setup header (0x202 + the byte at 0x201). */
  headerEnd: number;
  /** Offset of the protected-mode kernel in the image: (setup_sects + 1) * 512. */
  kernelOffset: number;
}

export const GDT_ADDR = 0x6000;
export const BOOT_PARAMS_ADDR = 0x7000;
export const CMDLINE_ADDR = 0x20000;
export const KERNEL_ADDR = 0x100000;
/** Top of lowmem for a 32-bit kernel with the default 3G/1G split (896 MiB). */
export const LOWMEM_TOP_32 = 0x38000000;

export const E820_RAM = 1;
export const E820_RESERVED = 2;

// setup header / boot_params offsets (boot.rst, "The real-mode kernel header" and zero-page.rst)
const OFF = {
  screenInfo: 0x000, // struct screen_info, 0x40 bytes
  extRamdiskImage: 0x0c0,
  extRamdiskSize: 0x0c4,
  extCmdLinePtr: 0x0c8,
  altMemK: 0x1e0,
  e820Entries: 0x1e8,
  sentinel: 0x1ef,
  setupSects: 0x1f1,
  bootFlag: 0x1fe,
  jump: 0x200,
  header: 0x202,
  version: 0x206,
  kernelVersion: 0x20e,
  typeOfLoader: 0x210,
  loadflags: 0x211,
  code32Start: 0x214,
  ramdiskImage: 0x218,
  ramdiskSize: 0x21c,
  heapEndPtr: 0x224,
  extLoaderVer: 0x226,
  extLoaderType: 0x227,
  cmdLinePtr: 0x228,
  initrdAddrMax: 0x22c,
  kernelAlignment: 0x230,
  relocatableKernel: 0x234,
  xloadflags: 0x236,
  cmdlineSize: 0x238,
  setupData: 0x250,
  prefAddress: 0x258,
  initSize: 0x260,
  e820Table: 0x2d0,
  /** Where struct setup_header's space in boot_params ends (edd_mbr_sig_buffer follows). */
  headerLimit: 0x290,
} as const;

const LOADED_HIGH = 0x01;
const KEEP_SEGMENTS = 0x40;
const CAN_USE_HEAP = 0x80;
const XLF_KERNEL_64 = 0x01;
/** boot.rst's suggested heap end for a modern kernel, relative to the real-mode code. */
const HEAP_END_PTR = 0xe000 - 0x200;
const E820_MAX_ZEROPAGE = 128;
const PAGE = 0x1000;
const MiB = 0x100000;

const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;
const mib = (n: number) => {
  const v = n / MiB;
  return Number.isInteger(v) ? `${v}` : v < 10 ? v.toFixed(1) : `${Math.ceil(v)}`;
};
const protocolName = (p: number) => `${p >> 8}.${(p & 0xff).toString().padStart(2, "0")}`;

/** Parses and checks the setup header of a bzImage. */
export function parseSetupHeader(kernel: Uint8Array, name = "kernel"): SetupHeader {
  const notBz = (why: string) => new BootError(`${name} is not a Linux bzImage (${why})`);
  if (kernel.length < 0x264) throw notBz(`${kernel.length} bytes is too short for a setup header`);
  const v = new DataView(kernel.buffer, kernel.byteOffset, kernel.byteLength);
  if (v.getUint16(OFF.bootFlag, true) !== 0xaa55) throw notBz(`no boot flag 0xAA55 at 0x1FE`);
  if (v.getUint32(OFF.header, true) !== 0x53726448) throw notBz(`no "HdrS" signature at 0x202`);
  const protocol = v.getUint16(OFF.version, true);
  if (protocol < 0x206) throw notBz(`boot protocol ${protocolName(protocol)}, this loader needs 2.06 or later`);
  const loadflags = kernel[OFF.loadflags];
  if (!(loadflags & LOADED_HIGH)) throw notBz("LOADED_HIGH is not set: a zImage, not a bzImage");
  const setupSects = kernel[OFF.setupSects] || 4;
  const kernelOffset = (setupSects + 1) * 512;
  const headerEnd = Math.min(OFF.header + kernel[OFF.jump + 1], OFF.headerLimit);
  if (headerEnd < OFF.cmdlineSize + 4) throw notBz(`setup header ends at ${hex(headerEnd)}, before cmdline_size`);
  if (kernel.length <= kernelOffset) throw notBz(`${kernel.length} bytes, but the setup code alone is ${kernelOffset}`);
  const has210 = protocol >= 0x20a && headerEnd >= OFF.initSize + 4;
  return {
    setupSects,
    protocol,
    loadflags,
    code32Start: v.getUint32(OFF.code32Start, true),
    initrdAddrMax: v.getUint32(OFF.initrdAddrMax, true),
    kernelAlignment: v.getUint32(OFF.kernelAlignment, true),
    relocatable: kernel[OFF.relocatableKernel] !== 0,
    xloadflags: protocol >= 0x20c ? v.getUint16(OFF.xloadflags, true) : 0,
    cmdlineSize: v.getUint32(OFF.cmdlineSize, true),
    // pref_address is 64-bit; a 32-bit loader only uses addresses below 4 GiB.
    prefAddress: has210 && v.getUint32(OFF.prefAddress + 4, true) === 0 ? v.getUint32(OFF.prefAddress, true) : 0,
    initSize: has210 ? v.getUint32(OFF.initSize, true) : 0,
    headerEnd,
    kernelOffset,
  };
}

/** The kernel_version string the header points at ("" if none). */
function kernelVersionString(kernel: Uint8Array): string {
  const ptr = kernel[OFF.kernelVersion] | (kernel[OFF.kernelVersion + 1] << 8);
  if (ptr === 0) return "";
  const start = ptr + 0x200;
  let end = start;
  while (end < kernel.length && end < start + 256 && kernel[end] !== 0) end++;
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(kernel[i]);
  return s;
}

/**
 * The lowest address above which the kernel is done with memory until it has read the e820 map:
 * the loaded image, and (protocol 2.10+) init_size bytes from where it runs — the decompressor
 * moves a relocatable kernel to kernel_alignment, but never below pref_address (the kernel's
 * LOAD_PHYSICAL_ADDR); a non-relocatable kernel runs at pref_address.
 */
export function kernelMemoryEnd(h: SetupHeader, imageLength: number): number {
  const loadEnd = KERNEL_ADDR + (imageLength - h.kernelOffset);
  if (h.initSize === 0) return loadEnd;
  const align = h.kernelAlignment > 0 ? h.kernelAlignment : 1;
  const aligned = Math.ceil(KERNEL_ADDR / align) * align;
  const runAt = h.relocatable ? Math.max(aligned, h.prefAddress) : h.prefAddress || KERNEL_ADDR;
  return Math.max(loadEnd, runAt + h.initSize);
}

/** The e820 map for a VM whose RAM spans [0, ramSize) with the ISA hole and BIOS area reserved. */
export function e820Map(ramSize: number): E820Entry[] {
  return [
    { addr: 0, size: 0x9fc00, type: E820_RAM },
    { addr: 0x9fc00, size: 0x400, type: E820_RESERVED }, // EBDA
    { addr: 0xf0000, size: 0x10000, type: E820_RESERVED }, // BIOS ROM
    { addr: KERNEL_ADDR, size: ramSize - KERNEL_ADDR, type: E820_RAM },
  ];
}

/** The 32-bit boot GDT: flat 4 GiB code (0x10) and data (0x18), accessed bits preset. */
export function bootGdt(): Uint8Array {
  const gdt = new Uint8Array(32);
  // limit 0xFFFFF, base 0; byte 5 access, byte 6 = flags (G, D/B) << 4 | limit[19:16]
  gdt.set([0xff, 0xff, 0x00, 0x00, 0x00, 0x9b, 0xcf, 0x00], 0x10); // code: P, DPL0, S, exec/read, accessed; G, D
  gdt.set([0xff, 0xff, 0x00, 0x00, 0x00, 0x93, 0xcf, 0x00], 0x18); // data: P, DPL0, S, read/write, accessed; G, B
  return gdt;
}

/** Plans a direct boot of a bzImage: what to write into guest memory and how to enter it. */
export function prepareLinuxBoot(input: LinuxBootInput): LinuxBootPlan {
  const { kernel, cmdline, ramSize } = input;
  const kernelName = input.kernelName ?? "kernel";
  const initrdName = input.initrdName ?? "initrd";
  if (!Number.isSafeInteger(ramSize) || ramSize <= 0) throw new BootError(`bad RAM size ${ramSize}`);

  const h = parseSetupHeader(kernel, kernelName);
  const pmKernel = kernel.subarray(h.kernelOffset);
  const pmEnd = KERNEL_ADDR + pmKernel.length;
  if (h.code32Start < KERNEL_ADDR || h.code32Start >= pmEnd) {
    throw new BootError(`${kernelName} has code32_start ${hex(h.code32Start)}, outside its kernel loaded at ${hex(KERNEL_ADDR)}-${hex(pmEnd - 1)}`);
  }

  // RAM for the kernel itself (decompression included).
  const kernelEnd = kernelMemoryEnd(h, kernel.length);
  const initrdSize = input.initrd?.length ?? 0;
  const suggestMiB = (bytes: number) => 2 ** Math.ceil(Math.log2(Math.ceil(bytes / MiB)));
  if (kernelEnd > ramSize) {
    throw new BootError(
      `${kernelName} needs ${Math.ceil(kernelEnd / MiB)} MiB of RAM, the VM has ${mib(ramSize)} MiB (use -m ${suggestMiB(kernelEnd + initrdSize)}M or more)`,
    );
  }

  // Command line: at most cmdline_size bytes before the NUL.
  const cmdBytes = new TextEncoder().encode(cmdline);
  if (cmdBytes.includes(0)) throw new BootError("the kernel command line contains a NUL byte");
  const cmdMax = Math.min(h.cmdlineSize, 0x9fc00 - CMDLINE_ADDR - 1);
  if (cmdBytes.length > cmdMax) {
    throw new BootError(`the kernel command line is ${cmdBytes.length} bytes, ${kernelName} accepts at most ${cmdMax}`);
  }
  const cmdZ = new Uint8Array(cmdBytes.length + 1);
  cmdZ.set(cmdBytes);

  // initrd: page-aligned, as high as possible below the lowest limit, above the kernel.
  let initrdAddr = 0;
  if (input.initrd) {
    if (initrdSize === 0) throw new BootError(`initrd ${initrdName} is empty`);
    const limits: [number, string][] = [
      [h.initrdAddrMax + 1, `the kernel's initrd_addr_max ${hex(h.initrdAddrMax)}`],
      [ramSize, `the top of RAM (${mib(ramSize)} MiB)`],
    ];
    if (!(h.xloadflags & XLF_KERNEL_64)) limits.push([LOWMEM_TOP_32, "the 896 MiB lowmem limit of a 32-bit kernel"]);
    const [limit, why] = limits.reduce((a, b) => (b[0] < a[0] ? b : a));
    initrdAddr = Math.floor((limit - initrdSize) / PAGE) * PAGE;
    const floor = Math.ceil(kernelEnd / PAGE) * PAGE;
    if (initrdAddr < floor) {
      const fix = limit === ramSize ? ` (use -m ${suggestMiB(floor + initrdSize)}M or more)` : "";
      throw new BootError(
        `initrd ${initrdName} (${mib(initrdSize)} MiB) does not fit below ${hex(limit)}, ${why}, above the ${mib(floor)} MiB the kernel needs${fix}`,
      );
    }
  }

  // boot_params: zeroed, the image's setup header copied in, then the loader's fields.
  const bp = new Uint8Array(PAGE);
  const bv = new DataView(bp.buffer);
  bp.set(kernel.subarray(OFF.setupSects, h.headerEnd), OFF.setupSects);
  bp.fill(0, OFF.screenInfo, OFF.screenInfo + 0x40); // no VGA: orig_video_isVGA, mode, lines, cols = 0
  bp[OFF.typeOfLoader] = 0xff; // undefined loader
  bp[OFF.loadflags] = (bp[OFF.loadflags] | CAN_USE_HEAP) & ~KEEP_SEGMENTS;
  bv.setUint16(OFF.heapEndPtr, HEAP_END_PTR, true);
  bp[OFF.extLoaderVer] = 0;
  bp[OFF.extLoaderType] = 0;
  bv.setUint32(OFF.cmdLinePtr, CMDLINE_ADDR, true);
  bv.setUint32(OFF.extCmdLinePtr, 0, true);
  bv.setUint32(OFF.ramdiskImage, initrdAddr, true);
  bv.setUint32(OFF.ramdiskSize, initrdSize, true);
  bv.setUint32(OFF.extRamdiskImage, 0, true);
  bv.setUint32(OFF.extRamdiskSize, 0, true);
  if (h.headerEnd >= OFF.setupData + 8) {
    bv.setUint32(OFF.setupData, 0, true); // no setup_data chain
    bv.setUint32(OFF.setupData + 4, 0, true);
  }
  bv.setUint32(OFF.altMemK, Math.min(Math.floor((ramSize - KERNEL_ADDR) / 1024), 0xffffffff), true);
  bp[OFF.sentinel] = 0;
  const e820 = e820Map(ramSize);
  if (e820.length > E820_MAX_ZEROPAGE) throw new BootError("too many e820 entries");
  bp[OFF.e820Entries] = e820.length;
  e820.forEach((e, i) => {
    const o = OFF.e820Table + i * 20;
    bv.setBigUint64(o, BigInt(e.addr), true);
    bv.setBigUint64(o + 8, BigInt(e.size), true);
    bv.setUint32(o + 16, e.type, true);
  });

  const gdt = bootGdt();
  const writes: GuestWrite[] = [
    { gpa: GDT_ADDR, bytes: gdt, what: "boot GDT" },
    { gpa: BOOT_PARAMS_ADDR, bytes: bp, what: "boot_params (zero page)" },
    { gpa: CMDLINE_ADDR, bytes: cmdZ, what: "kernel command line" },
    { gpa: KERNEL_ADDR, bytes: pmKernel, what: `protected-mode part of ${kernelName}` },
  ];
  if (input.initrd) writes.push({ gpa: initrdAddr, bytes: input.initrd, what: `initrd ${initrdName}` });

  return {
    writes,
    entry: { eip: h.code32Start, esi: BOOT_PARAMS_ADDR, gdt: { gpa: GDT_ADDR, bytes: gdt }, codeSelector: 0x10, dataSelector: 0x18 },
    e820,
    protocol: h.protocol,
    kernelVersion: kernelVersionString(kernel),
    header: h,
  };
}
