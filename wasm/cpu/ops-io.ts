// Port I/O: IN, OUT, INS, OUTS (E4-E7, EC-EF, 6C-6F).
// A port owned by an in-worker device is handled here without an exit (devices/ports.ts).
// Any other OUT completes and then exits with EXIT_IO (data in the run page). An IN to a host
// port cannot complete yet: it exits with EIP still at the instruction; the host writes the
// value, completeIoIn() arms a one-shot replay, and the re-executed IN takes it.
// Protected mode: with CPL > IOPL the TSS I/O permission bitmap decides (checkIoPermission).

import {
  EXIT_IO, RP_IO_DIRECTION, RP_IO_SIZE, RP_IO_PORT, RP_IO_COUNT, RP_IO_DATA_OFFSET, RP_IO_DATA,
  IO_DIRECTION_IN, IO_DIRECTION_OUT,
} from "../abi/run-page";
import { opSize, repPrefix, REP_NONE, fetch8, strIndex, setStrIndex, strCount, setStrCount, strSrcLinear, strDstLinear } from "./decode";
import {
  vcpu, regN, setRegN, reg16, setEip, instrStartEip, REG_EAX, REG_EDX, REG_ESI, REG_EDI,
  protectedMode, cpl, vm86, segAccess, segBase, segLimit, AR_PRESENT,
} from "./state";
import { flagBit, getFlags, FLAG_DF, FLAG_IOPL } from "./flags";
import { exitReason, setExitReason, raiseFault, EXC_GP } from "./fault";
import { readLinN, writeLinN, readLin16 } from "../mmu/memory";
import { beginSystemAccess, endSystemAccess } from "../mmu/tlb";
import { workerPortRead, workerPortWrite, WORKER_PORT_UNCLAIMED } from "../devices/ports";
import { EXIT_NONE, SEG_TR } from "../abi/run-page";
import { uncountRetired } from "./counters";

let ioReplayValid: bool = false;
let ioReplayPort: u32 = 0;
let ioReplaySize: i32 = 0;

/**
 * The current instruction exited before completing (an IN waiting for the host): it runs again.
 * Such an exit always ends run(), which clears this at its next entry.
 */
let incomplete: bool = false;
export function instructionIncomplete(): bool { return incomplete; }
export function clearInstructionIncomplete(): void { incomplete = false; }

/** An IN's answer is waiting for the re-executed IN. */
export function ioReplayPending(): bool { return ioReplayValid; }

/** The host answered an IN exit: the re-executed IN reads RP_IO_DATA. */
export function completeIoIn(): void {
  ioReplayValid = true;
  ioReplayPort = load<u16>(vcpu, RP_IO_PORT);
  ioReplaySize = load<u8>(vcpu, RP_IO_SIZE);
}

function fillIoExit(direction: i32, port: u32, size: i32): void {
  store<u8>(vcpu, <u8>direction, RP_IO_DIRECTION);
  store<u8>(vcpu, <u8>size, RP_IO_SIZE);
  store<u16>(vcpu, <u16>port, RP_IO_PORT);
  store<u32>(vcpu, 1, RP_IO_COUNT);
  store<u32>(vcpu, RP_IO_DATA, RP_IO_DATA_OFFSET);
}

/** Read a port. If the host must answer, sets exitReason = EXIT_IO and returns 0: the caller must then not commit anything. */
function portRead(port: u32, size: i32): u32 {
  const w = workerPortRead(port, size);
  if (w != WORKER_PORT_UNCLAIMED) return <u32>w;
  if (ioReplayValid && ioReplayPort == port && ioReplaySize == size) {
    ioReplayValid = false;
    const v = load<u32>(vcpu, RP_IO_DATA);
    return size == 4 ? v : size == 2 ? v & 0xffff : v & 0xff;
  }
  fillIoExit(IO_DIRECTION_IN, port, size);
  store<u32>(vcpu, 0, RP_IO_DATA);
  setExitReason(EXIT_IO);
  setEip(instrStartEip);
  uncountRetired(); // the IN runs again after the exit; it retires then
  incomplete = true;
  return 0;
}
function portWrite(port: u32, size: i32, v: u32): void {
  if (workerPortWrite(port, size, v)) return;
  fillIoExit(IO_DIRECTION_OUT, port, size);
  store<u32>(vcpu, v, RP_IO_DATA);
  setExitReason(EXIT_IO);
}

/**
 * I/O permission (SDM vol. 1, 19.5): in protected mode with CPL > IOPL (and in virtual-8086 mode)
 * the `size` bits for ports port..port+size-1 in the I/O bitmap of the 32-bit TSS (its offset is
 * the word at TSS+0x66; two bytes are read, both inside the TSS limit) must all be 0, else #GP(0).
 */
function checkIoPermission(port: u32, size: i32): void {
  if (!protectedMode() || (!vm86 && cpl <= ((getFlags() & FLAG_IOPL) >> 12))) return;
  const ar = segAccess(SEG_TR);
  const limit = segLimit(SEG_TR);
  if ((ar & AR_PRESENT) == 0 || (ar & 0x1d) != 0x09 || limit < 0x67) raiseFault(EXC_GP, 0);
  const was = beginSystemAccess();
  const off = readLin16(segBase(SEG_TR) + 0x66) + (port >> 3);
  if (off + 1 > limit) raiseFault(EXC_GP, 0);
  const bits = readLin16(segBase(SEG_TR) + off) >> (port & 7);
  endSystemAccess(was);
  if ((bits & ((1 << <u32>size) - 1)) != 0) raiseFault(EXC_GP, 0);
}

// E4 E5 EC ED: IN; E6 E7 EE EF: OUT.
export function opInAlIb(): void { inAcc(fetch8(), 1); }
export function opInEaxIb(): void { inAcc(fetch8(), opSize); }
export function opInAlDx(): void { inAcc(reg16(REG_EDX), 1); }
export function opInEaxDx(): void { inAcc(reg16(REG_EDX), opSize); }
function inAcc(port: u32, size: i32): void {
  checkIoPermission(port, size);
  const v = portRead(port, size);
  if (exitReason != EXIT_NONE) return;
  setRegN(REG_EAX, size, v);
}
export function opOutIbAl(): void { outAcc(fetch8(), 1); }
export function opOutIbEax(): void { outAcc(fetch8(), opSize); }
export function opOutDxAl(): void { outAcc(reg16(REG_EDX), 1); }
export function opOutDxEax(): void { outAcc(reg16(REG_EDX), opSize); }
function outAcc(port: u32, size: i32): void {
  checkIoPermission(port, size);
  portWrite(port, size, regN(REG_EAX, size));
}

// 6C 6D: INS; 6E 6F: OUTS. One element per exit; a REP re-executes until CX is 0.
export function opIns(byteOp: bool): void {
  const size = byteOp ? 1 : opSize;
  const rep = repPrefix != REP_NONE;
  checkIoPermission(reg16(REG_EDX), size);
  while (!rep || strCount() != 0) {
    const v = portRead(reg16(REG_EDX), size);
    if (exitReason != EXIT_NONE) return;
    writeLinN(strDstLinear(), size, v);
    setStrIndex(REG_EDI, strIndex(REG_EDI) + (flagBit(FLAG_DF) ? 0 - <u32>size : <u32>size));
    if (!rep) return;
    setStrCount(strCount() - 1);
  }
}
export function opOuts(byteOp: bool): void {
  const size = byteOp ? 1 : opSize;
  const rep = repPrefix != REP_NONE;
  checkIoPermission(reg16(REG_EDX), size);
  while (!rep || strCount() != 0) {
    const v = readLinN(strSrcLinear(), size);
    setStrIndex(REG_ESI, strIndex(REG_ESI) + (flagBit(FLAG_DF) ? 0 - <u32>size : <u32>size));
    if (rep) setStrCount(strCount() - 1);
    portWrite(reg16(REG_EDX), size, v);
    if (!rep) return;
    if (exitReason != EXIT_NONE) {
      if (strCount() != 0) setEip(instrStartEip); // continue the REP after the exit
      return;
    }
  }
}
