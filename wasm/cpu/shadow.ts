// The interrupt shadow: after STI (when IF was 0) and after MOV SS / POP SS, interrupts stay
// blocked until the next instruction completes (SDM vol. 3, 6.8.3). Kept for the interrupt
// window logic: ready_for_interrupt_injection is false while the shadow is up.

let shadowNext: bool = false;
/** The shadow covers the instruction after the current one. */
export let interruptShadow: bool = false;
export function setInterruptShadow(): void { shadowNext = true; }
/** Called by the run loop after every instruction. */
@inline export function advanceInterruptShadow(): void {
  interruptShadow = shadowNext;
  shadowNext = false;
}
export function setShadowState(v: bool): void { interruptShadow = v; shadowNext = false; }
