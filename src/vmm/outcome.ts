// How a run ends, and the process exit status the CLI uses for each ending.
// Statuses of our own are even, so they never collide with isa-debug-exit's (v << 1) | 1.

export type OutcomeKind =
  | "debug-exit" // the guest wrote the isa-debug-exit port
  | "poweroff" // the guest powered the machine off
  | "shutdown" // triple fault
  | "internal-error" // unimplemented instruction or a core fault
  | "budget" // -max-instructions used up
  | "halted" // HLT with interrupts disabled: the vCPU can never run again
  | "unknown-exit" // an exit reason the host does not know
  | "destroyed"; // the VM was torn down while running

/** The end of a run. */
export interface RunOutcome {
  kind: OutcomeKind;
  /** Process exit status for the CLI. */
  status: number;
  /** One line saying what happened, with CS:EIP where it applies. */
  message: string;
}

export const STATUS_POWEROFF = 0;
/** Bad command line or input file. */
export const STATUS_USAGE = 2;
export const STATUS_SHUTDOWN = 4;
export const STATUS_INTERNAL_ERROR = 6;
export const STATUS_BUDGET = 8;
export const STATUS_HALTED = 10;
export const STATUS_UNKNOWN_EXIT = 12;
export const STATUS_DESTROYED = 14;
