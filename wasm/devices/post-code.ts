// The POST code latch (port 0x80, and a second port the host may configure such as 0x190), in
// the worker: firmware writes progress codes, and Linux writes port 0x80 as an I/O delay
// thousands of times a second (outb_p). Nothing needs an answer, so no exit: the code and a
// count go to shared memory (MACHINE_POST_*), where the exit panel and the CLI read them.
// Reads return the last code written (0xFF before any), as on boards with a POST display latch.

import { MACHINE_POST_LAST, MACHINE_POST_COUNT, MACHINE_POST_PORT2 } from "../layout";

export const POST_PORT: u32 = 0x80;

/** Is `port` a POST code port? */
@inline export function isPostPort(port: u32): bool {
  return port == POST_PORT || (port != 0 && port == <u32>load<i32>(MACHINE_POST_PORT2));
}
export function postRead(): u32 {
  return load<i32>(MACHINE_POST_COUNT) == 0 ? 0xff : <u32>load<i32>(MACHINE_POST_LAST);
}
export function postWrite(v: u32): void {
  atomic.store<i32>(MACHINE_POST_LAST, <i32>v);
  atomic.add<i32>(MACHINE_POST_COUNT, 1);
}
