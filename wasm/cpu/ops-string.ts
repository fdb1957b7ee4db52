// String instructions MOVS CMPS STOS LODS SCAS (A4-AF) with REP / REPE / REPNE, in both address
// sizes. Registers are committed after every element, so a fault mid-way leaves a consistent
// SI/DI/CX and restarting the instruction continues where it stopped (as on hardware).
// A REP runs at most REP_CHUNK elements per step, then re-executes, so long copies do not stall
// exits or interrupts.

import {
  opSize, repPrefix, REP_NONE, REP_E, strIndex, setStrIndex, strCount, setStrCount,
  strSrcLinear, strDstLinear,
} from "./decode";
import { regN, setRegN, setEip, instrStartEip, REG_EAX, REG_ESI, REG_EDI } from "./state";
import { flagBit, FLAG_DF, getZF } from "./flags";
import { readLinN, writeLinN } from "../mmu/memory";
import { alu, ALU_CMP } from "./ops-alu";

const REP_CHUNK: u32 = 4096;

export const STR_MOVS = 0;
export const STR_CMPS = 1;
export const STR_STOS = 2;
export const STR_LODS = 3;
export const STR_SCAS = 4;

@inline function step(size: i32): u32 { return flagBit(FLAG_DF) ? 0 - <u32>size : <u32>size; }

/** One element of string op `kind` with element size `size`. */
function element(kind: i32, size: i32): void {
  const d = step(size);
  switch (kind) {
    case STR_MOVS: {
      const v = readLinN(strSrcLinear(), size);
      writeLinN(strDstLinear(), size, v);
      setStrIndex(REG_ESI, strIndex(REG_ESI) + d);
      setStrIndex(REG_EDI, strIndex(REG_EDI) + d);
      break;
    }
    case STR_CMPS: {
      const a = readLinN(strSrcLinear(), size);
      const b = readLinN(strDstLinear(), size);
      alu(ALU_CMP, a, b, size);
      setStrIndex(REG_ESI, strIndex(REG_ESI) + d);
      setStrIndex(REG_EDI, strIndex(REG_EDI) + d);
      break;
    }
    case STR_STOS: {
      writeLinN(strDstLinear(), size, regN(REG_EAX, size));
      setStrIndex(REG_EDI, strIndex(REG_EDI) + d);
      break;
    }
    case STR_LODS: {
      const v = readLinN(strSrcLinear(), size);
      setRegN(REG_EAX, size, v);
      setStrIndex(REG_ESI, strIndex(REG_ESI) + d);
      break;
    }
    default: { // SCAS
      const b = readLinN(strDstLinear(), size);
      alu(ALU_CMP, regN(REG_EAX, size), b, size);
      setStrIndex(REG_EDI, strIndex(REG_EDI) + d);
      break;
    }
  }
}

/** A4-AF: string op `kind`; `byteOp` selects the 8-bit form. */
export function opString(kind: i32, byteOp: bool): void {
  const size = byteOp ? 1 : opSize;
  if (repPrefix == REP_NONE) { element(kind, size); return; }
  const compares = kind == STR_CMPS || kind == STR_SCAS;
  let n: u32 = 0;
  while (strCount() != 0) {
    element(kind, size);
    setStrCount(strCount() - 1);
    if (compares && (repPrefix == REP_E) != getZF()) return; // REPE stops on ZF=0, REPNE on ZF=1
    if (++n == REP_CHUNK && strCount() != 0) { setEip(instrStartEip); return; }
  }
}
