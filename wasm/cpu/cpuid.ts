// The CPU's identity (CPUID) and the feature set it advertises. Only what the core implements is
// advertised: a guest that believes a feature bit will use it.
// Identity: "GenuineIntel", family 6 model 3 stepping 3 (a P6 Pentium II), no SSE.

import { setReg32, reg32, REG_EAX, REG_EBX, REG_ECX, REG_EDX } from "./state";

// CPUID.1:EDX bits (SDM vol. 2, table 3-11).
export const FEAT_FPU: u32 = 1 << 0;
export const FEAT_VME: u32 = 1 << 1;
export const FEAT_DE: u32 = 1 << 2;
export const FEAT_PSE: u32 = 1 << 3;
export const FEAT_TSC: u32 = 1 << 4;
export const FEAT_MSR: u32 = 1 << 5;
export const FEAT_CX8: u32 = 1 << 8;
export const FEAT_SEP: u32 = 1 << 11;
export const FEAT_PGE: u32 = 1 << 13;
export const FEAT_CMOV: u32 = 1 << 15;
export const FEAT_FXSR: u32 = 1 << 24;

/** The x87 FPU (cpu/fpu) is implemented and advertised. */
export const FPU_IMPLEMENTED: bool = true;
/** FXSAVE/FXRSTOR (cpu/fpu) are implemented and advertised; CR4.OSFXSR is accepted. */
export const FXSR_IMPLEMENTED: bool = true;

/** CPUID.1:EDX as advertised. */
export const FEATURES_EDX: u32 =
  FEAT_PSE | FEAT_TSC | FEAT_MSR | FEAT_CX8 | FEAT_SEP | FEAT_PGE | FEAT_CMOV |
  (FPU_IMPLEMENTED ? FEAT_FPU : 0) | (FXSR_IMPLEMENTED ? FEAT_FXSR : 0);

/** CR4 bits the core implements (SDM vol. 3, 2.5): TSD DE PSE PGE, and OSFXSR with FXSR. VME/PVI are refused. */
export const CR4_SUPPORTED: u32 = 0x4 | 0x8 | 0x10 | 0x80 | (FXSR_IMPLEMENTED ? 0x200 : 0);

/** Family 6, model 3, stepping 3. */
export const SIGNATURE: u32 = 0x0633;

/** 0F A2: CPUID. */
export function opCpuid(): void {
  const leaf = reg32(REG_EAX);
  let a: u32 = 0, b: u32 = 0, c: u32 = 0, d: u32 = 0;
  if (leaf == 0) {
    a = 1; // highest standard leaf
    b = 0x756e6547; // "Genu"
    d = 0x49656e69; // "ineI"
    c = 0x6c65746e; // "ntel"
  } else if (leaf == 1) {
    a = SIGNATURE;
    d = FEATURES_EDX;
  } else if (leaf == 0x80000000) {
    a = 0; // no extended leaves
  }
  // Other leaves: zeros (a P6 returns the highest basic leaf's data; zeros are what guests handle).
  setReg32(REG_EAX, a);
  setReg32(REG_EBX, b);
  setReg32(REG_ECX, c);
  setReg32(REG_EDX, d);
}
