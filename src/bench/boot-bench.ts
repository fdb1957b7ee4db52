// The boot benchmark, shared by Node and the browser: boot the default Linux guest headless and
// measure the time to the shell prompt, instructions retired, and instructions per second.

import type { VmOptions } from "../vmm/vm";
import type { CreateVm } from "./exit-bench";

export interface BootBenchResult {
  secondsToPrompt: number;
  instructions: number;
  instructionsPerSecond: number;
  exits: number;
  interrupts: number;
}

/** Boot `kernel` + `initrd` until the busybox prompt appears on the serial console. */
export async function runBootBench(createVM: CreateVm, guest: { kernel: Uint8Array; initrd: Uint8Array }): Promise<BootBenchResult> {
  let text = "";
  const decoder = new TextDecoder("latin1");
  let resolvePrompt!: () => void;
  const prompt = new Promise<void>((r) => (resolvePrompt = r));
  const options: VmOptions = {
    kernel: guest.kernel,
    initrd: guest.initrd,
    cmdline: "console=ttyS0 quiet",
    memorySize: 128 << 20,
    maxInstructions: 40_000_000_000,
    serial: {
      write(bytes) {
        text += decoder.decode(bytes);
        if (text.includes("~ # ")) resolvePrompt();
      },
    },
  };
  const vm = await createVM(options);
  const t0 = performance.now();
  const ended = vm.start();
  const first = await Promise.race([prompt.then(() => null), ended]);
  const seconds = (performance.now() - t0) / 1000;
  const stats = vm.stats();
  await vm.destroy();
  if (first) throw new Error(`the guest stopped before its prompt: ${first.message}\n${text.slice(-2000)}`);
  const exits = Object.values(stats.exitsByReason).reduce((a, b) => a + b, 0);
  return {
    secondsToPrompt: seconds,
    instructions: stats.instructions,
    instructionsPerSecond: stats.instructions / seconds,
    exits,
    interrupts: stats.interrupts,
  };
}
