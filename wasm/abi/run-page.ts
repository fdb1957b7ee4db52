// The run page: one 4 KiB page per vCPU in shared memory, modelled on KVM's struct kvm_run.
// Compiled into the AssemblyScript core AND imported by the TypeScript host: the only place the
// layout is written. Plain integer constants only. docs/abi.md describes the protocol.
//
// All offsets are bytes from the start of the vCPU's run page. Multi-byte fields are
// little-endian and naturally aligned; the handshake word is accessed only with Atomics.

// ---- Handshake and requests (header) -------------------------------------------------------
/** i32, Atomics: who owns the page now, one of RUN_STATE_*. */
export const RP_STATE = 0x000;
/** i32: why the vCPU stopped (EXIT_*), valid while RP_STATE is RUN_STATE_EXIT. */
export const RP_EXIT_REASON = 0x004;
/** i32, host sets: stop at the next instruction boundary with EXIT_INTR (kvm_run.immediate_exit). */
export const RP_IMMEDIATE_EXIT = 0x008;
/** i32, host sets: exit with EXIT_IRQ_WINDOW_OPEN as soon as an interrupt could be injected. */
export const RP_REQUEST_INTERRUPT_WINDOW = 0x00c;
/** i32, worker sets: IF=1 and no interrupt shadow, an interrupt can be injected now. */
export const RP_READY_FOR_INTERRUPT_INJECTION = 0x010;
/** i32, worker sets: the guest's EFLAGS.IF. */
export const RP_IF_FLAG = 0x014;
/** i32, worker sets: which SYNC_* groups below are current (all of them at every exit). */
export const RP_VALID_REGS = 0x018;
/** i32, host sets: which SYNC_* groups it edited; the worker reloads them before resuming. */
export const RP_DIRTY_REGS = 0x01c;

/** RP_STATE values. */
export const RUN_STATE_RUNNING = 0; // worker owns the page and is running guest code
export const RUN_STATE_EXIT = 1; // worker published an exit and waits; host owns the page
export const RUN_STATE_RETURN = 2; // host tells the waiting worker to leave run() (pause/stop)

// ---- Exit reasons (KVM's numbers where KVM has the reason) ---------------------------------
export const EXIT_NONE = 0; // not an exit: internal "keep running"
export const EXIT_IO = 2; // KVM_EXIT_IO
export const EXIT_DEBUG = 4; // KVM_EXIT_DEBUG
export const EXIT_HLT = 5; // KVM_EXIT_HLT
export const EXIT_MMIO = 6; // KVM_EXIT_MMIO
export const EXIT_IRQ_WINDOW_OPEN = 7; // KVM_EXIT_IRQ_WINDOW_OPEN
export const EXIT_SHUTDOWN = 8; // KVM_EXIT_SHUTDOWN (triple fault)
export const EXIT_INTR = 10; // KVM_EXIT_INTR (immediate_exit was set)
export const EXIT_INTERNAL_ERROR = 17; // KVM_EXIT_INTERNAL_ERROR
export const EXIT_SYSTEM_EVENT = 24; // KVM_EXIT_SYSTEM_EVENT
/** tabvisor extension: the instruction budget given to the vCPU is used up. */
export const EXIT_BUDGET = 64;
/**
 * Internal, never published: the vCPU executed HLT with IF=1 and nothing to deliver; the worker
 * sleeps until an IRQ line changes or the next timer deadline (coreNextDeadline), then resumes.
 */
export const EXIT_HALT_SLEEP = 65;
/** Counters are kept for reasons 0..EXIT_REASON_COUNT-1. */
export const EXIT_REASON_COUNT = 66;

// ---- Exit data (a union at RP_EXIT) --------------------------------------------------------
export const RP_EXIT = 0x020;
export const RP_EXIT_SIZE = 0x60;

// EXIT_IO: like kvm_run.io. Data for OUT is at RP_IO_DATA; for IN the host writes it there.
export const RP_IO_DIRECTION = RP_EXIT + 0x00; // u8: IO_DIRECTION_*
export const RP_IO_SIZE = RP_EXIT + 0x01; // u8: 1, 2 or 4 bytes per element
export const RP_IO_PORT = RP_EXIT + 0x02; // u16
export const RP_IO_COUNT = RP_EXIT + 0x04; // u32: elements (1 unless string I/O is batched)
export const RP_IO_DATA_OFFSET = RP_EXIT + 0x08; // u32: offset of the data from the run page start
export const IO_DIRECTION_IN = 0;
export const IO_DIRECTION_OUT = 1;

// EXIT_MMIO: like kvm_run.mmio. For a read the host writes the value into RP_MMIO_DATA.
export const RP_MMIO_PHYS_ADDR = RP_EXIT + 0x00; // u32 (guest-physical; the high half at +4 is 0)
export const RP_MMIO_DATA = RP_EXIT + 0x08; // u8[8]
export const RP_MMIO_LEN = RP_EXIT + 0x10; // u32: 1, 2 or 4
export const RP_MMIO_IS_WRITE = RP_EXIT + 0x14; // u8

// EXIT_SYSTEM_EVENT: like kvm_run.system_event.
export const RP_SYSTEM_EVENT_TYPE = RP_EXIT + 0x00; // u32: SYSTEM_EVENT_*
export const SYSTEM_EVENT_SHUTDOWN = 1; // power off
export const SYSTEM_EVENT_RESET = 2;

// EXIT_DEBUG: like kvm_debug_exit_arch.
export const RP_DEBUG_EXCEPTION = RP_EXIT + 0x00; // u32: 1 single step, 3 breakpoint
export const RP_DEBUG_PC = RP_EXIT + 0x04; // u32: linear address of the next instruction

// EXIT_INTERNAL_ERROR: like kvm_run.internal, with the faulting instruction's bytes.
export const RP_INTERNAL_SUBERROR = RP_EXIT + 0x00; // u32: INTERNAL_ERROR_*
export const RP_INTERNAL_CS = RP_EXIT + 0x04; // u32: CS selector of the instruction
export const RP_INTERNAL_EIP = RP_EXIT + 0x08; // u32: EIP of the instruction's first byte
export const RP_INTERNAL_BYTE_COUNT = RP_EXIT + 0x0c; // u32: valid bytes in RP_INTERNAL_BYTES
export const RP_INTERNAL_BYTES = RP_EXIT + 0x10; // u8[16]: instruction bytes from CS:EIP
export const RP_INTERNAL_DATA = RP_EXIT + 0x20; // u32[8]: suberror-specific values
/** An opcode (or operand form) the core does not implement: the VM stops, it never guesses. */
export const INTERNAL_ERROR_EMULATION = 1;
/** The core trapped unexpectedly (a bug in tabvisor, not in the guest). */
export const INTERNAL_ERROR_CORE_TRAP = 2;
/** Two MMIO accesses in one instruction, or code fetched from MMIO. */
export const INTERNAL_ERROR_MMIO = 3;

// ---- Counters the host reads without asking (f64, exact below 2^53) -------------------------
export const RP_COUNTERS = 0x080;
export const RP_INSTRUCTIONS_RETIRED = RP_COUNTERS + 0x00; // f64
export const RP_HALT_WAITS = RP_COUNTERS + 0x08; // f64: times HLT put the vCPU to sleep
export const RP_EXIT_COUNTS = RP_COUNTERS + 0x10; // f64[EXIT_REASON_COUNT]
export const RP_COUNTERS_END = RP_EXIT_COUNTS + 8 * EXIT_REASON_COUNT; // 0x2a0
/** f64: external interrupts delivered (from the in-worker PIC). */
export const RP_INTERRUPTS_DELIVERED = RP_COUNTERS_END;

// ---- Sync regs: the architected CPU state itself (the core keeps it here) ------------------
export const RP_SYNC = 0x300;
/** valid_regs / dirty_regs bits. */
export const SYNC_REGS = 1; // GPRs, EIP, EFLAGS
export const SYNC_SREGS = 2; // segments, descriptor tables, control registers
export const SYNC_EVENTS = 4; // pending exception, interrupt shadow
export const SYNC_ALL = 7;

// regs: u32 each. GPR n (EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI) is at RP_GPR + 4*n.
export const RP_GPR = RP_SYNC + 0x00;
export const RP_EIP = RP_SYNC + 0x20;
export const RP_EFLAGS = RP_SYNC + 0x24;

// sregs: six segment registers ES, CS, SS, DS, FS, GS (x86 encoding order), then TR, LDTR;
// each SEG_SIZE bytes: selector, base, limit (bytes, expanded by G), access rights
// (the descriptor's bits 8..23 in VMX layout: type 0-3, S 4, DPL 5-6, P 7, AVL 12, L 13, D/B 14, G 15).
export const RP_SEGS = RP_SYNC + 0x40;
export const SEG_SIZE = 16;
export const SEG_SELECTOR = 0;
export const SEG_BASE = 4;
export const SEG_LIMIT = 8;
export const SEG_ACCESS = 12;
export const SEG_ES = 0;
export const SEG_CS = 1;
export const SEG_SS = 2;
export const SEG_DS = 3;
export const SEG_FS = 4;
export const SEG_GS = 5;
export const SEG_TR = 6;
export const SEG_LDTR = 7;
export const RP_GDTR_BASE = RP_SYNC + 0xc0;
export const RP_GDTR_LIMIT = RP_SYNC + 0xc4;
export const RP_IDTR_BASE = RP_SYNC + 0xc8;
export const RP_IDTR_LIMIT = RP_SYNC + 0xcc;
export const RP_CR0 = RP_SYNC + 0xd0;
export const RP_CR2 = RP_SYNC + 0xd4;
export const RP_CR3 = RP_SYNC + 0xd8;
export const RP_CR4 = RP_SYNC + 0xdc;
export const RP_EFER = RP_SYNC + 0xe0;
export const RP_APIC_BASE = RP_SYNC + 0xe4;
// MSRs kept with the sregs (SDM vol. 4): IA32_SYSENTER_CS/ESP/EIP, and the TSC offset from the
// shared clock (i64, so that WRMSR to the TSC moves the guest's TSC, not the clock).
export const RP_SYSENTER_CS = RP_SYNC + 0xe8;
export const RP_SYSENTER_ESP = RP_SYNC + 0xec;
export const RP_SYSENTER_EIP = RP_SYNC + 0xf0;
export const RP_TSC_OFFSET = RP_SYNC + 0xf8;

// events
export const RP_EVENT_EXCEPTION_PENDING = RP_SYNC + 0x100; // u32: 0 or 1
export const RP_EVENT_EXCEPTION_VECTOR = RP_SYNC + 0x104; // u32
export const RP_EVENT_EXCEPTION_ERROR_CODE = RP_SYNC + 0x108; // u32, 0xFFFFFFFF when none
export const RP_EVENT_INTERRUPT_SHADOW = RP_SYNC + 0x10c; // u32: 1 after STI / MOV SS
export const RP_EVENT_HALTED = RP_SYNC + 0x110; // u32: 1 while in the HLT state
// debug registers DR0-DR3, DR6, DR7 (u32 each; kept for MOV DRn, breakpoints not implemented)
export const RP_DR0 = RP_SYNC + 0x120;
export const RP_DR6 = RP_SYNC + 0x130;
export const RP_DR7 = RP_SYNC + 0x134;
export const RP_SYNC_END = RP_SYNC + 0x140;

// x87 FPU state (owned by cpu/fpu/): 0x200 bytes after the sync regs; the layout inside is
// documented in wasm/cpu/fpu/state.ts.
export const RP_FPU = 0x480;
export const RP_FPU_SIZE = 0x200;

// ---- Data area for IO exits (string I/O may place several elements here) -------------------
export const RP_IO_DATA = 0x800;
export const RP_IO_DATA_SIZE = 0x800;
