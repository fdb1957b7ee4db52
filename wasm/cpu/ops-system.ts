// System and flag-control instructions: HLT, CLI/STI/CLD/STD/CLC/STC/CMC, INT n/INT3/INTO/IRET,
// LGDT/LIDT/SGDT/SIDT/SMSW/LMSW (0F 01), MOV to/from CR0/2/3/4 (0F 20/22), CLTS, WBINVD/INVD.
// Paging (CR0.PG) is not implemented yet: setting it stops the VM with INTERNAL_ERROR.

import {
  EXIT_HLT, EXIT_HALT_SLEEP, RP_GDTR_BASE, RP_GDTR_LIMIT, RP_IDTR_BASE, RP_IDTR_LIMIT, RP_CR0, RP_CR2, RP_CR3, RP_CR4,
} from "../abi/run-page";
import {
  opSize, modrmMod, modrmReg, modrmRm, decodeModrm, readE, writeE, readEa16, readEa32, writeEa16, writeEa32,
  requireMemoryOperand, fetch8, setModrmRegisterForm, eaLinear,
} from "./decode";
import { vcpu, reg32, setReg32, cr0, refreshCodeSize, protectedMode, CR0_PE, CR0_ET, CR0_PG, CR0_NW, CR0_CD, cpl } from "./state";
import { setFlagBit, flagBit, getCF, getOF, setArithFlags, FLAG_IF, FLAG_DF, FLAG_CF, FLAG_IOPL, getFlags } from "./flags";
import { deliverInterrupt, iret } from "./interrupts";
import { setExitReason, raiseFault, unimplemented, EXC_GP, EXC_UD, EXC_BP, EXC_OF } from "./fault";
import { refreshPagingMode, flushNonGlobal, flushPage } from "../mmu/tlb";
import { CR4_SUPPORTED } from "./cpuid";
import { setInterruptShadow } from "./shadow";
import { enterHalt } from "./run";

/** Privileged instructions need CPL 0 in protected mode. */
function requireCpl0(): void { if (protectedMode() && cpl != 0) raiseFault(EXC_GP, 0); }
/** CLI/STI need CPL <= IOPL in protected mode. */
function requireIopl(): void {
  if (protectedMode() && cpl > ((getFlags() & FLAG_IOPL) >> 12)) raiseFault(EXC_GP, 0);
}

// F4: HLT. The instruction completes. With IF=1 the vCPU sleeps in the worker until an
// interrupt arrives; with IF=0 nothing but NMI or reset could wake it, so the host hears of it.
export function opHlt(): void {
  requireCpl0();
  if (flagBit(FLAG_IF)) { enterHalt(); setExitReason(EXIT_HALT_SLEEP); }
  else setExitReason(EXIT_HLT);
}

// F8-FD, F5: flag control.
export function opClc(): void { setArithFlags(FLAG_CF, 0); }
export function opStc(): void { setArithFlags(FLAG_CF, FLAG_CF); }
export function opCmc(): void { setArithFlags(FLAG_CF, getCF() ^ 1); }
export function opCli(): void { requireIopl(); setFlagBit(FLAG_IF, false); }
export function opSti(): void {
  requireIopl();
  if (!flagBit(FLAG_IF)) setInterruptShadow();
  setFlagBit(FLAG_IF, true);
}
export function opCld(): void { setFlagBit(FLAG_DF, false); }
export function opStd(): void { setFlagBit(FLAG_DF, true); }

// CD, CC, CE, CF: software interrupts and IRET.
export function opIntIb(): void { const v = fetch8(); deliverInterrupt(<i32>v, -1, true); }
export function opInt3(): void { deliverInterrupt(EXC_BP, -1, true); }
export function opInto(): void { if (getOF()) deliverInterrupt(EXC_OF, -1, true); }
export function opIret(): void { iret(opSize); }

// 0F 01: group 7.
export function opGroup7(): void {
  decodeModrm();
  switch (modrmReg) {
    case 0: case 1: { // SGDT, SIDT (a 16-bit operand size stores a 24-bit base)
      requireMemoryOperand();
      const gdt = modrmReg == 0;
      const base = load<u32>(vcpu + (gdt ? RP_GDTR_BASE : RP_IDTR_BASE));
      writeEa16(0, load<u32>(vcpu + (gdt ? RP_GDTR_LIMIT : RP_IDTR_LIMIT)));
      writeEa32(2, opSize == 4 ? base : base & 0x00ffffff);
      return;
    }
    case 2: case 3: { // LGDT, LIDT
      requireMemoryOperand();
      requireCpl0();
      const limit = readEa16(0);
      let base = readEa32(2);
      if (opSize == 2) base &= 0x00ffffff;
      const gdt = modrmReg == 2;
      store<u32>(vcpu + (gdt ? RP_GDTR_BASE : RP_IDTR_BASE), base);
      store<u32>(vcpu + (gdt ? RP_GDTR_LIMIT : RP_IDTR_LIMIT), limit);
      return;
    }
    case 4: // SMSW
      if (modrmMod == 3) writeE(opSize, cr0()); else writeE(2, cr0());
      return;
    case 6: { // LMSW: sets PE (never clears it), MP, EM, TS
      requireCpl0();
      const v = readE(2);
      const c = cr0();
      writeCr0((c & ~0xe) | (v & 0xf) | (c & CR0_PE));
      return;
    }
    case 7: // INVLPG
      requireMemoryOperand();
      requireCpl0();
      flushPage(eaLinear(0));
      return;
    default:
      raiseFault(EXC_UD, -1);
  }
}

function writeCr0(v: u32): void {
  if ((v & CR0_PG) != 0 && (v & CR0_PE) == 0) raiseFault(EXC_GP, 0);
  if ((v & (CR0_NW | CR0_CD)) == CR0_NW) raiseFault(EXC_GP, 0);
  store<u32>(vcpu, v | CR0_ET, RP_CR0);
  refreshCodeSize();
  refreshPagingMode();
}

// 0F 20, 0F 22: MOV r32,CRn and MOV CRn,r32 (the ModR/M mod field is ignored: always a register).
export function opMovRdCd(): void {
  decodeModrmAnyMod();
  requireCpl0();
  let v: u32;
  switch (modrmReg) {
    case 0: v = cr0(); break;
    case 2: v = load<u32>(vcpu, RP_CR2); break;
    case 3: v = load<u32>(vcpu, RP_CR3); break;
    case 4: v = load<u32>(vcpu, RP_CR4); break;
    default: raiseFault(EXC_UD, -1); return;
  }
  setReg32(modrmRm, v);
}
export function opMovCdRd(): void {
  decodeModrmAnyMod();
  requireCpl0();
  const v = reg32(modrmRm);
  switch (modrmReg) {
    case 0: writeCr0(v); break;
    case 2: store<u32>(vcpu, v, RP_CR2); break;
    case 3: store<u32>(vcpu, v, RP_CR3); flushNonGlobal(); break;
    case 4:
      if ((v & ~CR4_SUPPORTED) != 0) raiseFault(EXC_GP, 0);
      if ((v & 0x3) != 0) unimplemented(); // VME/PVI: virtual-8086 extensions not implemented
      store<u32>(vcpu, v, RP_CR4);
      refreshPagingMode();
      break;
    default: raiseFault(EXC_UD, -1);
  }
}
/** MOV CR forms take the ModR/M byte as a register form whatever its mod field says. */
function decodeModrmAnyMod(): void {
  const m = fetch8();
  setModrmRegisterForm((m >> 3) & 7, m & 7);
}

// 0F 06: CLTS. 0F 08, 0F 09: INVD, WBINVD (no caches to write back).
export function opClts(): void { requireCpl0(); store<u32>(vcpu, cr0() & ~8, RP_CR0); }
export function opWbinvd(): void { requireCpl0(); }
