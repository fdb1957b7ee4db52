// The exit benchmark, shared by Node and the browser: the round trip of an OUT to a host device
// (timestamps of consecutive debug-console bytes), and the interpreter's speed on a loop with no
// I/O (which must make no exits). Prints nothing: returns figures for the caller's table.

import type { Vm, VmOptions } from "../vmm/vm";

export interface ExitBenchResult {
  exits: number;
  p50Micros: number;
  p99Micros: number;
  meanMicros: number;
  loopInstructions: number;
  loopSeconds: number;
  instructionsPerSecond: number;
  /** Exits the no-I/O loop made before its final OUT to the exit port (should be 0). */
  loopExits: number;
  /** Smallest non-zero step of performance.now() seen (µs): browsers coarsen it in isolated pages. */
  timerResolutionMicros: number;
}

function timerResolution(): number {
  let best = Infinity;
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    let b = a;
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best * 1000;
}

export type CreateVm = (o: VmOptions) => Promise<Vm>;

export async function runExitBench(createVM: CreateVm, roms: { exits: Uint8Array; loop: Uint8Array }): Promise<ExitBenchResult> {
  // 1. Round trips.
  const stamps: number[] = [];
  const vm1 = await createVM({ bios: roms.exits, debugcon: { write: () => void stamps.push(performance.now()) } });
  const o1 = await vm1.start();
  await vm1.destroy();
  if (o1.kind !== "debug-exit") throw new Error(`exit benchmark guest ended badly: ${o1.message}`);
  const deltas: number[] = [];
  for (let i = 1; i < stamps.length; i++) deltas.push((stamps[i] - stamps[i - 1]) * 1000);
  deltas.sort((a, b) => a - b);
  const pct = (p: number) => deltas[Math.min(deltas.length - 1, Math.floor((p / 100) * deltas.length))];
  const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;

  // 2. Interpreter speed on a loop without I/O.
  const vm2 = await createVM({ bios: roms.loop });
  const t0 = performance.now();
  const o2 = await vm2.start();
  const seconds = (performance.now() - t0) / 1000;
  const stats = vm2.stats();
  await vm2.destroy();
  if (o2.kind !== "debug-exit") throw new Error(`loop benchmark guest ended badly: ${o2.message}`);
  const totalExits = Object.values(stats.exitsByReason).reduce((a, b) => a + b, 0);

  return {
    exits: stamps.length,
    p50Micros: pct(50),
    p99Micros: pct(99),
    meanMicros: mean,
    loopInstructions: stats.instructions,
    loopSeconds: seconds,
    instructionsPerSecond: stats.instructions / seconds,
    loopExits: totalExits - 1, // the one exit is the final OUT to the exit port
    timerResolutionMicros: timerResolution(),
  };
}
