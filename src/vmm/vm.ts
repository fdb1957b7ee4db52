// The device host: builds the PC (memory, slots, buses, devices), starts the vCPU worker and runs
// the exit loop — the userspace half of a KVM-style VMM. Runs unchanged in the browser and in Node;
// a Platform supplies the worker and the core.
//
// Exit loop invariant: the host touches the run page only while RP_STATE is RUN_STATE_EXIT, and
// answers every exit with RUN_STATE_RUNNING (resume) or RUN_STATE_RETURN (stop/pause).

import { RP, RunPageView, EXIT_NAMES, hex4, hex8 } from "../shared/run-page";
import { SLOT_FLAG_READONLY, type MemoryRegion } from "../shared/api";
import type { CpuState } from "../shared/cpu-state";
import {
  GUEST_BACKING_BASE, WASM_PAGE, IRQ_LINES_BASE, IRQ_LINE_COUNT, IRQ_CHANGE_SEQ_INDEX, IRQ_EDGE_COUNT_INDEX,
  MACHINE_BASE, MACHINE_SIZE, MACHINE_A20_MASKED,
} from "../../wasm/layout";
import { Bus, hex } from "./bus";
import type { ByteSink, IrqLine } from "./device";
import { PORTS, IRQS, type PortRange } from "./port-map";
import type { Platform, VcpuHandle } from "./platform";
import {
  type RunOutcome, STATUS_POWEROFF, STATUS_SHUTDOWN, STATUS_INTERNAL_ERROR, STATUS_BUDGET, STATUS_HALTED,
  STATUS_UNKNOWN_EXIT, STATUS_DESTROYED,
} from "./outcome";
import { Uart16550 } from "../devices/uart16550";
import { DebugCon } from "../devices/debugcon";
import { DebugExit } from "../devices/debug-exit";
import { PostCodeLog } from "../devices/post-code";
import { CmosRtc } from "../devices/cmos-rtc";
import { I8042 } from "../devices/i8042";
import { SystemControlA, type SystemControl } from "../devices/system-control-a";
import { prepareLinuxBoot, BootError, type LinuxBootPlan } from "./boot/linux";

/** A problem with the VM's configuration or input files, reported as one line (CLI status 2). */
export class VmConfigError extends Error {}

export interface VmOptions {
  /** Guest RAM in bytes; a multiple of 1 MiB, at least 1 MiB (default 16 MiB). */
  memorySize?: number;
  /** The BIOS ROM image: 64 KiB or 128 KiB, mapped below 1 MiB and below 4 GiB. */
  bios?: Uint8Array;
  /** Name of the BIOS image for error messages. */
  biosName?: string;
  /** A Linux bzImage to boot directly (boot protocol 2.06+), instead of a BIOS. */
  kernel?: Uint8Array;
  kernelName?: string;
  /** Initial ramdisk for the kernel. */
  initrd?: Uint8Array;
  initrdName?: string;
  /** Kernel command line. */
  cmdline?: string;
  /** COM1 output (the guest's serial console). */
  serial?: ByteSink;
  /** Debug console (port 0xE9) output. */
  debugcon?: ByteSink;
  /** Stop with outcome "budget" after this many instructions. */
  maxInstructions?: number;
  /** A second POST code port besides 0x80 (e.g. 0x190). */
  postCodePort?: number;
}

/** Exit statistics the exit panel shows. */
export interface VmStats {
  instructions: number;
  /** Exits by reason name. */
  exitsByReason: Record<string, number>;
  /** Port exits by port number: reads and writes. */
  exitsByPort: Map<number, { reads: number; writes: number }>;
  /** Accesses to ports nobody owns, by port. */
  unclaimedPorts: Map<number, number>;
  lastPostCode: number | null;
  /** External interrupts the in-worker PIC delivered. */
  interrupts: number;
  /** Times the vCPU went to sleep in HLT inside the worker (no exit). */
  haltSleeps: number;
  state: "running" | "paused" | "halted" | "stopped";
}

const MIB = 1024 * 1024;
const NULL_SINK: ByteSink = { write() {} };
/** How long the host polls for the next exit before sleeping in waitAsync (ms). */
const HOST_POLL_MS = 0.03;
/** Longest the exit loop runs without yielding to the event loop (ms). */
const HOST_SLICE_MS = 8;

export class Vm {
  readonly memory: WebAssembly.Memory;
  readonly ports = new Bus("port", 0x10000);
  readonly mmio = new Bus("mmio", 0x1_0000_0000);
  readonly uart: Uart16550;
  readonly cmos: CmosRtc;
  readonly kbc: I8042;
  readonly portA: SystemControlA;
  private machine: Int32Array;
  /** Device states at power-on, restored by a reset (the RTC is battery-backed and keeps going). */
  private readonly resetStates: {
    uart: ReturnType<Uart16550["getState"]>;
    kbc: ReturnType<I8042["getState"]>;
    portA: ReturnType<SystemControlA["getState"]>;
  };
  private resetRequested = false;
  readonly postCodes: PostCodeLog;
  readonly rp: RunPageView;
  readonly ramSize: number;
  private readonly exitsByPort = new Map<number, { reads: number; writes: number }>();
  private vcpu!: VcpuHandle;
  private state: VmStats["state"] = "paused";
  private stopRequest: RunOutcome | null = null;
  private pauseRequested = false;
  private running: Promise<void> | null = null;
  private finish!: (o: RunOutcome) => void;
  private finished!: Promise<RunOutcome>;
  private irqLevels: Int32Array;

  private constructor(private readonly platform: Platform, private readonly options: VmOptions) {
    const ram = options.memorySize ?? 16 * MIB;
    if (!Number.isInteger(ram / MIB) || ram < MIB) throw new VmConfigError(`memory size ${ram} bytes: must be a whole number of MiB, at least 1 MiB`);
    if (ram > 2048 * MIB) throw new VmConfigError(`memory size ${ram / MIB} MiB: at most 2048 MiB`);
    const bios = options.bios;
    const biosName = options.biosName ?? "BIOS image";
    if (!bios && !options.kernel) throw new VmConfigError("no guest: give a BIOS image or a kernel");
    if (bios && bios.length !== 0x10000 && bios.length !== 0x20000) {
      throw new VmConfigError(`${biosName} is ${bios.length} bytes: a BIOS ROM must be 65536 or 131072 bytes`);
    }
    this.ramSize = ram;
    const romOffset = GUEST_BACKING_BASE + ram;
    const total = romOffset + (bios?.length ?? 0);
    const pages = Math.ceil(total / WASM_PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    if (bios) new Uint8Array(buffer, romOffset, bios.length).set(bios);
    this.rp = new RunPageView(buffer, 0);
    this.irqLevels = new Int32Array(buffer, IRQ_LINES_BASE, IRQ_EDGE_COUNT_INDEX + IRQ_LINE_COUNT);
    this.machine = new Int32Array(buffer, MACHINE_BASE, MACHINE_SIZE / 4);

    // Devices, placed by their port-map entries.
    const serial = options.serial ?? NULL_SINK;
    this.uart = new Uart16550({ name: "uart0", irq: this.irqLine(IRQS.COM1), output: serial });
    this.place(PORTS.COM1, this.uart);
    this.place(PORTS.DEBUGCON, new DebugCon(options.debugcon ?? NULL_SINK));
    this.place(PORTS.DEBUG_EXIT, new DebugExit((status) => this.requestStop({ kind: "debug-exit", status, message: `guest wrote the debug-exit port: status ${status}` })));
    this.postCodes = new PostCodeLog(buffer);
    const system: SystemControl = {
      reset: () => this.requestReset(),
      setA20: (on) => this.setA20Gate(on),
    };
    this.cmos = new CmosRtc({ clock: { nowMs: () => performance.timeOrigin + performance.now() }, irq: this.irqLine(IRQS.RTC), memorySize: ram });
    this.place(PORTS.CMOS, this.cmos);
    this.kbc = new I8042({ kbdIrq: this.irqLine(IRQS.KEYBOARD), auxIrq: this.irqLine(IRQS.MOUSE), system });
    this.place(PORTS.KBC_DATA, this.kbc);
    this.place(PORTS.KBC_COMMAND, this.kbc.commandPort);
    this.portA = new SystemControlA({ system });
    this.place(PORTS.SYSTEM_CONTROL_A, this.portA);
    this.resetStates = { uart: this.uart.getState(), kbc: this.kbc.getState(), portA: this.portA.getState() };
    if (options.postCodePort !== undefined) {
      const p = options.postCodePort;
      if (!Number.isInteger(p) || p < 0 || p > 0xffff) throw new VmConfigError(`POST code port ${p}: must be 0-0xFFFF`);
      for (const [name, r] of Object.entries(PORTS)) {
        if (p >= r.base && p < r.base + r.length && r !== PORTS.POST_CODE) {
          throw new VmConfigError(`POST code port ${hex(p)}: already used by ${name} (${r.label})`);
        }
      }
      this.postCodes.setSecondPort(p);
    }
    this.newRun();
  }

  /** Build a VM and its vCPU worker; the vCPU is reset and paused. */
  static async create(platform: Platform, options: VmOptions): Promise<Vm> {
    const vm = new Vm(platform, options);
    // Check the kernel before starting a worker: bad input fails fast with one line.
    const plan = options.kernel ? vm.planLinuxBoot(options) : null;
    const core = await platform.loadCore();
    vm.vcpu = platform.spawnVcpu();
    await vm.vcpu.api.init(vm.memory, core, 0);
    for (const region of vm.memoryRegions(options.bios?.length ?? 0)) await vm.vcpu.api.setMemoryRegion(region);
    await vm.vcpu.api.setBudget(options.maxInstructions ?? null);
    await vm.vcpu.api.reset();
    if (plan) await vm.loadLinux(plan);
    vm.bootPlan = plan;
    return vm;
  }

  /** The direct-boot plan, kept so that a reset boots the kernel again. */
  private bootPlan: LinuxBootPlan | null = null;

  private planLinuxBoot(o: VmOptions): LinuxBootPlan {
    try {
      return prepareLinuxBoot({
        kernel: o.kernel!,
        kernelName: o.kernelName,
        initrd: o.initrd,
        initrdName: o.initrdName,
        cmdline: o.cmdline ?? "",
        ramSize: this.ramSize,
      });
    } catch (e) {
      if (e instanceof BootError) throw new VmConfigError(e.message);
      throw e;
    }
  }

  /** Copy the kernel, initrd, boot_params and GDT into RAM and set the 32-bit entry state. */
  private async loadLinux(plan: LinuxBootPlan): Promise<void> {
    for (const w of plan.writes) this.writePhysical(w.gpa, w.bytes);
    const s = await this.vcpu.api.getState();
    const flat = (selector: number, access: number) => ({ selector, base: 0, limit: 0xffffffff, access });
    s.segments.cs = flat(plan.entry.codeSelector, 0xc09b);
    for (const n of ["ds", "es", "ss", "fs", "gs"] as const) s.segments[n] = flat(plan.entry.dataSelector, 0xc093);
    s.gdtr = { base: plan.entry.gdt.gpa, limit: plan.entry.gdt.bytes.length - 1 };
    s.idtr = { base: 0, limit: 0 };
    s.cr0 = (s.cr0 | 1) & ~0x60000000; // PE on, caches on, paging off
    s.regs = { ...s.regs, eax: 0, ebx: 0, ecx: 0, edx: 0, ebp: 0, edi: 0, esp: 0, esi: plan.entry.esi, eip: plan.entry.eip, eflags: 0x2 };
    await this.vcpu.api.setState(s);
  }

  /** The PC memory map as slots: RAM below 640 KiB, 768 KiB-BIOS, above 1 MiB; the ROM twice. */
  private memoryRegions(romSize: number): MemoryRegion[] {
    const ram = this.ramSize;
    const ramAt = (gpa: number) => GUEST_BACKING_BASE + gpa;
    const romOffset = GUEST_BACKING_BASE + ram;
    const regions: MemoryRegion[] = [];
    let slot = 0;
    const addRam = (start: number, end: number) => {
      end = Math.min(end, ram);
      if (end > start) regions.push({ slot: slot++, gpa: start, size: end - start, offset: ramAt(start), flags: 0 });
    };
    addRam(0, 0xa0000); // conventional memory; 0xA0000-0xBFFFF is the (MMIO) VGA window
    addRam(0xc0000, 0x100000 - romSize); // option ROM area (and, without a BIOS, its area too): RAM
    addRam(0x100000, ram); // extended memory
    if (romSize > 0) {
      regions.push({ slot: slot++, gpa: 0x100000 - romSize, size: romSize, offset: romOffset, flags: SLOT_FLAG_READONLY });
      regions.push({ slot: slot++, gpa: 0x1_0000_0000 - romSize, size: romSize, offset: romOffset, flags: SLOT_FLAG_READONLY });
    }
    return regions;
  }

  private place(range: PortRange, device: Parameters<Bus["register"]>[2]): void {
    this.ports.register(range.base, range.length, device);
  }

  /** IRQ line n: a level in shared memory (sampled by the in-worker PIC once it exists). */
  private irqLine(n: number): IrqLine {
    return {
      set: (level: boolean) => {
        const v = level ? 1 : 0;
        if (Atomics.exchange(this.irqLevels, n, v) !== v) {
          if (level) Atomics.add(this.irqLevels, IRQ_EDGE_COUNT_INDEX + n, 1);
          Atomics.add(this.irqLevels, IRQ_CHANGE_SEQ_INDEX, 1);
          Atomics.notify(this.irqLevels, IRQ_CHANGE_SEQ_INDEX);
        }
      },
    };
  }

  /** A20 gate (i8042 output port bit 1, port 0x92 bit 1): the core applies it at the next resume. */
  private setA20Gate(on: boolean): void {
    Atomics.store(this.machine, (MACHINE_A20_MASKED - MACHINE_BASE) / 4, on ? 0 : 1);
  }

  /** A guest asked for a reset (8042 pulse, port 0x92): done after the current exit. */
  private requestReset(): void {
    this.resetRequested = true;
  }

  /** Wake a vCPU sleeping in HLT (it sleeps on the IRQ change counter) so it sees immediate_exit. */
  private kickVcpu(): void {
    Atomics.add(this.irqLevels, IRQ_CHANGE_SEQ_INDEX, 1);
    Atomics.notify(this.irqLevels, IRQ_CHANGE_SEQ_INDEX);
  }



  // ---- control ------------------------------------------------------------------------------

  /** Start (or continue) running. Resolves when the run ends; pausing does not end it. */
  start(): Promise<RunOutcome> {
    if (this.state === "paused") this.launch();
    return this.finished;
  }

  /** Stop at the next instruction boundary; resolves once the vCPU is parked. */
  async pause(): Promise<void> {
    if (!this.running) return;
    this.pauseRequested = true;
    this.rp.immediateExit = true;
    this.kickVcpu();
    await this.running;
  }

  /** Continue after pause(). */
  resume(): void {
    if (this.state === "paused") this.launch();
  }

  /** Power-cycle the CPU (RAM is kept, as on a hardware reset) and run again if it was running. */
  async reset(): Promise<void> {
    // A paused VM stays paused; a running one, or one whose run had ended, runs again.
    const run = this.state !== "paused";
    await this.pause();
    await this.powerCycle();
    if (this.state === "stopped") this.newRun();
    this.state = "paused";
    if (run) this.launch();
  }

  /** The hardware side of a reset: CPU, boot image, A20, devices; RAM and the RTC are kept. */
  private async powerCycle(): Promise<void> {
    await this.vcpu.api.reset();
    if (this.bootPlan) await this.loadLinux(this.bootPlan);
    this.setA20Gate(true);
    this.uart.setState(this.resetStates.uart);
    this.kbc.setState(this.resetStates.kbc);
    this.portA.setState(this.resetStates.portA);
    this.exitsByPort.clear();
    this.ports.unclaimed.clear();
    this.postCodes.clear();
  }

  /** The vCPU's registers; pauses first if it is running (then stays paused). */
  async getState(): Promise<CpuState> {
    await this.pause();
    return this.vcpu.api.getState();
  }

  /** Replace the vCPU's registers; pauses first if it is running (then stays paused). */
  async setState(state: CpuState): Promise<void> {
    await this.pause();
    await this.vcpu.api.setState(state);
  }

  /** Copy `bytes` into guest RAM at guest-physical `gpa` (load an image). Throws outside RAM. */
  writePhysical(gpa: number, bytes: Uint8Array): void {
    if (!Number.isInteger(gpa) || gpa < 0 || gpa + bytes.length > this.ramSize) {
      throw new VmConfigError(`cannot load ${bytes.length} bytes at 0x${gpa.toString(16)}: guest RAM is ${this.ramSize / MIB} MiB`);
    }
    new Uint8Array(this.memory.buffer, GUEST_BACKING_BASE + gpa, bytes.length).set(bytes);
  }

  /** Read `length` bytes of guest RAM at `gpa`. */
  readPhysical(gpa: number, length: number): Uint8Array {
    if (!Number.isInteger(gpa) || gpa < 0 || gpa + length > this.ramSize) throw new RangeError(`0x${gpa.toString(16)}+${length} is outside guest RAM`);
    return new Uint8Array(this.memory.buffer, GUEST_BACKING_BASE + gpa, length).slice();
  }

  /** Reset requested by the guest: once the vCPU has left run(), reset and run again. */
  private async resetAfterStop(): Promise<void> {
    await this.running;
    await this.powerCycle();
    this.state = "paused";
    this.launch();
  }

  /** Bytes typed into the serial console. */
  sendSerial(bytes: Uint8Array): void {
    this.uart.receive(bytes);
  }

  stats(): VmStats {
    const exitsByReason: Record<string, number> = {};
    for (const [code, name] of Object.entries(EXIT_NAMES)) {
      const n = this.rp.exitCount(Number(code));
      if (n > 0) exitsByReason[name] = n;
    }
    return {
      instructions: this.rp.instructionsRetired,
      exitsByReason,
      exitsByPort: new Map(this.exitsByPort),
      unclaimedPorts: new Map(this.ports.unclaimed),
      lastPostCode: this.postCodes.last,
      interrupts: this.rp.interruptsDelivered,
      haltSleeps: this.rp.haltWaits,
      state: this.state === "running" && this.rp.halted ? "halted" : this.state,
    };
  }

  /** Stop everything and end the worker. */
  async destroy(): Promise<void> {
    if (this.state !== "stopped") this.requestStop({ kind: "destroyed", status: STATUS_DESTROYED, message: "VM destroyed" });
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, 1000))]);
    this.vcpu.terminate();
  }

  /** End the run with `outcome` at the next exit. */
  requestStop(outcome: RunOutcome): void {
    if (!this.stopRequest) this.stopRequest = outcome;
    // Like pause: a vCPU that makes no exits (idle in HLT, or computing) is asked for one.
    this.rp.immediateExit = true;
    this.kickVcpu();
  }

  private newRun(): void {
    this.stopRequest = null;
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  private launch(): void {
    this.pauseRequested = false;
    this.rp.immediateExit = false;
    this.state = "running";
    this.rp.publishState(RP.RUN_STATE_RUNNING);
    const worker = this.vcpu.api.run();
    const loop = this.exitLoop();
    this.running = Promise.all([worker, loop]).then(
      () => undefined,
      (e) => this.end({ kind: "internal-error", status: STATUS_INTERNAL_ERROR, message: `vCPU worker failed: ${(e as Error).message}` }),
    );
  }



  private end(outcome: RunOutcome): void {
    this.state = "stopped";
    this.finish(outcome);
  }

  // ---- the exit loop --------------------------------------------------------------------------

  private async exitLoop(): Promise<void> {
    const rp = this.rp;
    let sliceStart = performance.now();
    for (;;) {
      // Wait for the worker to publish an exit: poll briefly, then sleep in waitAsync.
      if (rp.loadState() !== RP.RUN_STATE_EXIT) {
        const until = performance.now() + HOST_POLL_MS;
        while (rp.loadState() !== RP.RUN_STATE_EXIT && performance.now() < until);
        while (rp.loadState() !== RP.RUN_STATE_EXIT) {
          const r = Atomics.waitAsync(rp.stateArray, rp.stateIndex, RP.RUN_STATE_RUNNING);
          if (r.async) await r.value;
          sliceStart = performance.now();
        }
      }
      const verdict = this.handleExit();
      if (this.stopRequest) {
        rp.publishState(RP.RUN_STATE_RETURN);
        this.end(this.stopRequest);
        return;
      }
      if (this.resetRequested) {
        this.resetRequested = false;
        rp.publishState(RP.RUN_STATE_RETURN);
        this.state = "paused";
        void this.resetAfterStop();
        return;
      }
      if (this.pauseRequested || verdict === "pause") {
        rp.immediateExit = false;
        rp.publishState(RP.RUN_STATE_RETURN);
        this.state = "paused";
        return;
      }
      rp.publishState(RP.RUN_STATE_RUNNING);
      // Let input, timers and the UI run now and then even when exits come back to back.
      if (performance.now() - sliceStart > HOST_SLICE_MS) {
        await this.platform.yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  /** Handle the exit on the run page. Stopping goes through requestStop(). */
  private handleExit(): "resume" | "pause" {
    const rp = this.rp;
    const reason = rp.exitReason;
    switch (reason) {
      case RP.EXIT_IO: {
        const port = rp.ioPort;
        const size = rp.ioSize;
        const stat = this.exitsByPort.get(port) ?? { reads: 0, writes: 0 };
        this.exitsByPort.set(port, stat);
        if (rp.ioDirection === RP.IO_DIRECTION_IN) {
          stat.reads++;
          rp.ioData = this.ports.read(port, size);
        } else {
          stat.writes++;
          this.ports.write(port, size, rp.ioData);
        }
        return "resume";
      }
      case RP.EXIT_MMIO:
        if (rp.mmioIsWrite) this.mmio.write(rp.mmioPhysAddr, rp.mmioLen, rp.mmioData);
        else rp.mmioData = this.mmio.read(rp.mmioPhysAddr, rp.mmioLen);
        return "resume";
      case RP.EXIT_HLT:
        // HLT with IF=1 sleeps inside the worker (no exit); only IF=0 reaches the host.
        this.requestStop({ kind: "halted", status: STATUS_HALTED, message: `vCPU halted with interrupts disabled at ${this.where()}: it can never run again` });
        return "resume";
      case RP.EXIT_INTR:
        return "pause";
      case RP.EXIT_DEBUG:
        return "pause";
      case RP.EXIT_SHUTDOWN:
        this.requestStop({ kind: "shutdown", status: STATUS_SHUTDOWN, message: `triple fault (SHUTDOWN) at ${this.where()}` });
        return "resume";
      case RP.EXIT_SYSTEM_EVENT:
        if (rp.systemEventType === RP.SYSTEM_EVENT_RESET) {
          void this.reset();
          return "pause";
        }
        this.requestStop({ kind: "poweroff", status: STATUS_POWEROFF, message: "guest powered off" });
        return "resume";
      case RP.EXIT_INTERNAL_ERROR:
        this.requestStop({ kind: "internal-error", status: STATUS_INTERNAL_ERROR, message: this.describeInternalError() });
        return "resume";
      case RP.EXIT_BUDGET:
        this.requestStop({ kind: "budget", status: STATUS_BUDGET, message: `instruction budget of ${this.options.maxInstructions} exhausted at ${this.where()}` });
        return "resume";
      default:
        this.requestStop({ kind: "unknown-exit", status: STATUS_UNKNOWN_EXIT, message: `unknown exit reason ${reason} at ${this.where()}` });
        return "resume";
    }
  }

  /** CS:EIP now, e.g. "F000:0000FFF0". */
  private where(): string {
    return this.rp.csEip();
  }

  private describeInternalError(): string {
    const rp = this.rp;
    const at = `${hex4(rp.internalCs)}:${hex8(rp.internalEip)}`;
    const bytes = Array.from(rp.internalBytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");
    switch (rp.internalSuberror) {
      case RP.INTERNAL_ERROR_EMULATION:
        return `unimplemented instruction at ${at}: ${bytes || "(no bytes readable)"}`;
      case RP.INTERNAL_ERROR_MMIO:
        return `unsupported MMIO access at ${at} (address ${hex(rp.internalData(0))}): ${bytes}`;
      case RP.INTERNAL_ERROR_CORE_TRAP:
        return `the CPU core trapped at ${at} (a tabvisor bug): ${bytes}`;
      default:
        return `internal error ${rp.internalSuberror} at ${at}: ${bytes}`;
    }
  }
}

/** Build a VM on `platform` (the browser and Node entry points supply one). */
export function createVMWith(platform: Platform, options: VmOptions): Promise<Vm> {
  return Vm.create(platform, options);
}

