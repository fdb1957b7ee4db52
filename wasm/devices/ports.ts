// Port dispatch for in-worker ("in-kernel") devices: ports claimed here never exit to the host.
// None are claimed yet; the PIC and PIT move here with the Linux-boot issue.

/** workerPortRead's answer for a port no in-worker device owns. */
export const WORKER_PORT_UNCLAIMED: i64 = -1;

/** Value read from an in-worker device, or WORKER_PORT_UNCLAIMED. */
export function workerPortRead(port: u32, size: i32): i64 {
  return WORKER_PORT_UNCLAIMED;
}
/** True if an in-worker device took the write. */
export function workerPortWrite(port: u32, size: i32, v: u32): bool {
  return false;
}
