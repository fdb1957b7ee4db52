// Model-specific registers and the instructions around them: RDTSC, RDMSR, WRMSR, SYSENTER,
// SYSEXIT, and CMPXCHG8B (which needs 64-bit operands like the MSRs).
// Time: the TSC counts nanoseconds of the clock shared with the host devices (a 1 GHz TSC), plus
// a per-vCPU offset that WRMSR to the TSC adjusts. MSRs other than those below raise #GP(0).

import {
  SEG_CS, SEG_SS, RP_SYSENTER_CS, RP_SYSENTER_ESP, RP_SYSENTER_EIP, RP_TSC_OFFSET, RP_APIC_BASE,
  RP_CR4,
} from "../abi/run-page";
import { vcpu, reg32, setReg32, setEip, setSegment, protectedMode, cpl, REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_ESP } from "./state";
import { setFlagBit, setArithFlags, FLAG_IF, FLAG_VM, FLAG_RF, FLAG_ZF } from "./flags";
import { raiseFault, EXC_GP, EXC_UD } from "./fault";
import { decodeModrm, modrmMod, modrmReg, eaLinear } from "./decode";
import { readLin32, writeLin32 } from "../mmu/memory";
import { nowNanos } from "./clock";

export const MSR_TSC: u32 = 0x10;
export const MSR_APIC_BASE: u32 = 0x1b;
export const MSR_SYSENTER_CS: u32 = 0x174;
export const MSR_SYSENTER_ESP: u32 = 0x175;
export const MSR_SYSENTER_EIP: u32 = 0x176;
/** P6 MTRR and machine-check MSRs Linux probes: read as 0, writes ignored (documented). */
const MSR_BIOS_SIGN_ID: u32 = 0x8b; // microcode revision: none loaded
const MSR_MTRRCAP: u32 = 0xfe;
const MSR_BBL_CR_CTL3: u32 = 0x11e;
const MSR_MCG_CAP: u32 = 0x179;
const MSR_MCG_STATUS: u32 = 0x17a;
const MSR_MISC_ENABLE: u32 = 0x1a0;

/** The guest's time-stamp counter now. */
export function readTsc(): u64 {
  return <u64>nowNanos() + load<u64>(vcpu, RP_TSC_OFFSET);
}

// 0F 31: RDTSC (#GP when CR4.TSD is set outside ring 0).
export function opRdtsc(): void {
  if ((load<u32>(vcpu, RP_CR4) & 0x4) != 0 && protectedMode() && cpl != 0) raiseFault(EXC_GP, 0);
  const t = readTsc();
  setReg32(REG_EAX, <u32>t);
  setReg32(REG_EDX, <u32>(t >> 32));
}

// 0F 32: RDMSR; 0F 30: WRMSR. Ring 0 only.
export function opRdmsr(): void {
  if (protectedMode() && cpl != 0) raiseFault(EXC_GP, 0);
  const msr = reg32(REG_ECX);
  let v: u64 = 0;
  switch (msr) {
    case MSR_TSC: v = readTsc(); break;
    case MSR_APIC_BASE: v = <u64>load<u32>(vcpu, RP_APIC_BASE); break;
    case MSR_SYSENTER_CS: v = <u64>load<u32>(vcpu, RP_SYSENTER_CS); break;
    case MSR_SYSENTER_ESP: v = <u64>load<u32>(vcpu, RP_SYSENTER_ESP); break;
    case MSR_SYSENTER_EIP: v = <u64>load<u32>(vcpu, RP_SYSENTER_EIP); break;
    case MSR_BIOS_SIGN_ID: case MSR_MTRRCAP: case MSR_BBL_CR_CTL3: case MSR_MCG_CAP: case MSR_MCG_STATUS:
    case MSR_MISC_ENABLE:
      v = 0; break;
    default: raiseFault(EXC_GP, 0);
  }
  setReg32(REG_EAX, <u32>v);
  setReg32(REG_EDX, <u32>(v >> 32));
}
export function opWrmsr(): void {
  if (protectedMode() && cpl != 0) raiseFault(EXC_GP, 0);
  const msr = reg32(REG_ECX);
  const v = (<u64>reg32(REG_EDX) << 32) | <u64>reg32(REG_EAX);
  switch (msr) {
    case MSR_TSC: store<u64>(vcpu, v - <u64>nowNanos(), RP_TSC_OFFSET); break;
    case MSR_APIC_BASE: break; // no local APIC is advertised; the value is kept as reset
    case MSR_SYSENTER_CS: store<u32>(vcpu, <u32>v, RP_SYSENTER_CS); break;
    case MSR_SYSENTER_ESP: store<u32>(vcpu, <u32>v, RP_SYSENTER_ESP); break;
    case MSR_SYSENTER_EIP: store<u32>(vcpu, <u32>v, RP_SYSENTER_EIP); break;
    case MSR_BIOS_SIGN_ID: case MSR_MTRRCAP: case MSR_BBL_CR_CTL3: case MSR_MCG_CAP: case MSR_MCG_STATUS:
    case MSR_MISC_ENABLE:
      break;
    default: raiseFault(EXC_GP, 0);
  }
}

// Flat segments SYSENTER/SYSEXIT load (SDM vol. 2, SYSENTER): base 0, limit 4 GiB, 32-bit.
const AR_FLAT_CODE: u32 = 0xc09b; // G D P S type=code/read/accessed
const AR_FLAT_DATA: u32 = 0xc093; // G B P S type=data/write/accessed

// 0F 34: SYSENTER.
export function opSysenter(): void {
  const cs = load<u32>(vcpu, RP_SYSENTER_CS) & 0xfffc;
  if (!protectedMode() || cs == 0) raiseFault(EXC_GP, 0);
  setFlagBit(FLAG_VM, false);
  setFlagBit(FLAG_IF, false);
  setFlagBit(FLAG_RF, false);
  setSegment(SEG_SS, cs + 8, 0, 0xffffffff, AR_FLAT_DATA);
  setSegment(SEG_CS, cs, 0, 0xffffffff, AR_FLAT_CODE);
  setReg32(REG_ESP, load<u32>(vcpu, RP_SYSENTER_ESP));
  setEip(load<u32>(vcpu, RP_SYSENTER_EIP));
}
// 0F 35: SYSEXIT (to ring 3: CS = SYSENTER_CS+16, SS = +24; ESP = ECX, EIP = EDX).
export function opSysexit(): void {
  const cs = load<u32>(vcpu, RP_SYSENTER_CS) & 0xfffc;
  if (!protectedMode() || cpl != 0 || cs == 0) raiseFault(EXC_GP, 0);
  const esp = reg32(REG_ECX);
  const eip = reg32(REG_EDX);
  setSegment(SEG_SS, (cs + 24) | 3, 0, 0xffffffff, AR_FLAT_DATA | 0x60);
  setSegment(SEG_CS, (cs + 16) | 3, 0, 0xffffffff, AR_FLAT_CODE | 0x60);
  setReg32(REG_ESP, esp);
  setEip(eip);
}

// 0F C7 /1: CMPXCHG8B m64. The destination is written in both cases (as a locked cycle would).
export function opGroup9(): void {
  decodeModrm();
  if (modrmReg != 1 || modrmMod == 3) raiseFault(EXC_UD, -1);
  const a = eaLinear(0);
  const lo = readLin32(a);
  const hi = readLin32(eaLinear(4));
  if (lo == reg32(REG_EAX) && hi == reg32(REG_EDX)) {
    writeLin32(a, reg32(REG_EBX));
    writeLin32(eaLinear(4), reg32(REG_ECX));
    setArithFlags(FLAG_ZF, FLAG_ZF);
  } else {
    writeLin32(a, lo);
    writeLin32(eaLinear(4), hi);
    setReg32(REG_EAX, lo);
    setReg32(REG_EDX, hi);
    setArithFlags(FLAG_ZF, 0);
  }
}
