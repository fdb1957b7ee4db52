// Port dispatch for in-worker ("in-kernel") devices: ports claimed here never exit to the host.
// PIC 0x20-0x21, 0xA0-0xA1, ELCR 0x4D0-0x4D1 (pic.ts); PIT 0x40-0x43 and port 0x61 (pit.ts);
// the POST code latch at 0x80 and an optional second port (post-code.ts).
// Keep src/vmm/port-map.ts in step: it lists these ranges as "worker".
// The chips are 8-bit: a 16- or 32-bit access is split into byte accesses to consecutive ports.

import { picRead, picWrite } from "./pic";
import { pitRead, pitWrite } from "./pit";
import { isPostPort, postRead, postWrite } from "./post-code";

/** workerPortRead's answer for a port no in-worker device owns. */
export const WORKER_PORT_UNCLAIMED: i64 = -1;

@inline function claimed(port: u32): bool {
  return port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1 || port == 0x4d0 || port == 0x4d1 ||
    (port >= 0x40 && port <= 0x43) || port == 0x61;
}
function readByte(port: u32): u32 {
  if (port >= 0x40 && port <= 0x43 || port == 0x61) return pitRead(port);
  return picRead(port);
}
function writeByte(port: u32, v: u32): void {
  if (port >= 0x40 && port <= 0x43 || port == 0x61) pitWrite(port, v);
  else picWrite(port, v);
}

/** Value read from an in-worker device, or WORKER_PORT_UNCLAIMED. */
export function workerPortRead(port: u32, size: i32): i64 {
  if (isPostPort(port)) return <i64>(size == 1 ? postRead() : postRead() | (size == 2 ? 0xff00 : 0xffffff00));
  if (!claimed(port)) return WORKER_PORT_UNCLAIMED;
  let v: u32 = 0;
  for (let i = 0; i < size; i++) {
    const p = (port + <u32>i) & 0xffff;
    v |= (claimed(p) ? readByte(p) : 0xff) << (<u32>i << 3);
  }
  return <i64>v;
}
/** True if an in-worker device took the write. */
export function workerPortWrite(port: u32, size: i32, v: u32): bool {
  if (isPostPort(port)) { postWrite(size == 4 ? v : size == 2 ? v & 0xffff : v & 0xff); return true; }
  if (!claimed(port)) return false;
  for (let i = 0; i < size; i++) {
    const p = (port + <u32>i) & 0xffff;
    if (claimed(p)) writeByte(p, (v >> (<u32>i << 3)) & 0xff);
  }
  return true;
}
