// The opcode table: one row per opcode, hex-indexed, each naming its handler after the mnemonic
// and its SDM operand codes (E = ModR/M operand, G = ModR/M reg, I = immediate, b/w/d/v/z sizes,
// Z = register in the opcode's low bits, J = relative offset, A = far pointer, O = offset).
// Anything without a row stops the VM with INTERNAL_ERROR_EMULATION: the core never guesses.
// Compiled as switches (Wasm br_table), so the table costs one indirect branch per instruction.

import { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS } from "../abi/run-page";
import {
  beginInstruction, fetch8, decodeModrm, modrmReg, opSize, prefixOpSize, prefixAddrSize,
  prefixSegment, prefixRep, prefixLock, REP_E, REP_NE,
} from "./decode";
import { unimplemented, raiseFault, EXC_UD } from "./fault";
import { setInterruptShadow } from "./shadow";
import {
  ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP,
  opAluEbGb, opAluEvGv, opAluGbEb, opAluGvEv, opAluAlIb, opAluEaxIz, opGroup1EbIb, opGroup1EvIz,
  opGroup1EvIb, opTestEbGb, opTestEvGv, opTestAlIb, opTestEaxIz, opIncZv, opDecZv, incDecE,
  testEImm, notE, negE, opDaa, opDas, opAaa, opAas, opAamIb, opAadIb,
} from "./ops-alu";
import {
  opGroup2EbIb, opGroup2EvIb, opGroup2Eb1, opGroup2Ev1, opGroup2EbCl, opGroup2EvCl,
  opShldEvGvIb, opShldEvGvCl, opShrdEvGvIb, opShrdEvGvCl,
} from "./ops-shift";
import { mulE, imulE, divE, idivE, opImulGvEv, opImulGvEvIz, opImulGvEvIb } from "./ops-muldiv";
import {
  opMovEbGb, opMovEvGv, opMovGbEb, opMovGvEv, opMovZbIb, opMovZvIv, opMovEbIb, opMovEvIz,
  opMovAlOb, opMovEaxOv, opMovObAl, opMovOvEax, opMovEwSw, opMovSwEw, opMovzxGvEb, opMovzxGvEw,
  opMovsxGvEb, opMovsxGvEw, opLeaGvM, opXchgEbGb, opXchgEvGv, opXchgZvEax, opCbw, opCwd,
  opPushZv, opPopZv, opPushIz, opPushIb, opPopEv, pushE, opPushSreg, opPopSreg, opPusha, opPopa,
  opPushf, opPopf, opSahf, opLahf, opXlat, opLoadFarPointer, opSetccEb, opCmovccGvEv, opBswapZd,
  opXaddEbGb, opXaddEvGv, opCmpxchgEbGb, opCmpxchgEvGv,
} from "./ops-mov";
import {
  opJccJb, opJccJz, opJmpJb, opJmpJz, opCallJz, opRet, opRetIw, callE, jmpE, opLoopJb,
  opJmpAp, opCallAp, jmpFarE, callFarE, opRetf, opRetfIw, opEnterIwIb, opLeave,
} from "./ops-flow";
import { opString, STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS } from "./ops-string";
import {
  opInAlIb, opInEaxIb, opInAlDx, opInEaxDx, opOutIbAl, opOutIbEax, opOutDxAl, opOutDxEax, opIns, opOuts,
} from "./ops-io";
import {
  opHlt, opClc, opStc, opCmc, opCli, opSti, opCld, opStd, opIntIb, opInt3, opInto, opIret,
  opGroup7, opMovRdCd, opMovCdRd, opClts, opWbinvd,
} from "./ops-system";
import { opFpu, opFwait, opGroup15 } from "./fpu/fpu";
import { opCpuid } from "./cpuid";
import { opGroup6, opLarGvEw, opLslGvEw, opArplEwGw, opBoundGvMa, opMovRdDd, opMovDdRd } from "./ops-protection";
import { opRdtsc, opRdmsr, opWrmsr, opSysenter, opSysexit, opGroup9 } from "./ops-msr";
import { opBtEvGv, opGroup8EvIb, opBsfGvEv, opBsrGvEv, BIT_BT, BIT_BTS, BIT_BTR, BIT_BTC } from "./ops-bit";

/** Decode and execute one instruction at CS:EIP. */
export function executeOne(): void {
  beginInstruction();
  let op = fetch8();
  // Prefixes. An instruction longer than 15 bytes is #GP(0) on hardware.
  for (let n = 0; n < 14; n++) {
    switch (op) {
      case 0x26: prefixSegment(SEG_ES); break;
      case 0x2e: prefixSegment(SEG_CS); break;
      case 0x36: prefixSegment(SEG_SS); break;
      case 0x3e: prefixSegment(SEG_DS); break;
      case 0x64: prefixSegment(SEG_FS); break;
      case 0x65: prefixSegment(SEG_GS); break;
      case 0x66: prefixOpSize(); break;
      case 0x67: prefixAddrSize(); break;
      case 0xf0: prefixLock(); break;
      case 0xf2: prefixRep(REP_NE); break;
      case 0xf3: prefixRep(REP_E); break;
      default: execute(op); return;
    }
    op = fetch8();
  }
  unimplemented();
}

function execute(op: u32): void {
  switch (op) {
    case 0x00: opAluEbGb(ALU_ADD); return; // ADD Eb,Gb
    case 0x01: opAluEvGv(ALU_ADD); return; // ADD Ev,Gv
    case 0x02: opAluGbEb(ALU_ADD); return; // ADD Gb,Eb
    case 0x03: opAluGvEv(ALU_ADD); return; // ADD Gv,Ev
    case 0x04: opAluAlIb(ALU_ADD); return; // ADD AL,Ib
    case 0x05: opAluEaxIz(ALU_ADD); return; // ADD eAX,Iz
    case 0x06: opPushSreg(SEG_ES); return; // PUSH ES
    case 0x07: opPopSreg(SEG_ES); return; // POP ES
    case 0x08: opAluEbGb(ALU_OR); return; // OR Eb,Gb
    case 0x09: opAluEvGv(ALU_OR); return; // OR Ev,Gv
    case 0x0a: opAluGbEb(ALU_OR); return; // OR Gb,Eb
    case 0x0b: opAluGvEv(ALU_OR); return; // OR Gv,Ev
    case 0x0c: opAluAlIb(ALU_OR); return; // OR AL,Ib
    case 0x0d: opAluEaxIz(ALU_OR); return; // OR eAX,Iz
    case 0x0e: opPushSreg(SEG_CS); return; // PUSH CS
    case 0x0f: execute0F(fetch8()); return; // two-byte opcodes
    case 0x10: opAluEbGb(ALU_ADC); return; // ADC Eb,Gb
    case 0x11: opAluEvGv(ALU_ADC); return; // ADC Ev,Gv
    case 0x12: opAluGbEb(ALU_ADC); return; // ADC Gb,Eb
    case 0x13: opAluGvEv(ALU_ADC); return; // ADC Gv,Ev
    case 0x14: opAluAlIb(ALU_ADC); return; // ADC AL,Ib
    case 0x15: opAluEaxIz(ALU_ADC); return; // ADC eAX,Iz
    case 0x16: opPushSreg(SEG_SS); return; // PUSH SS
    case 0x17: opPopSreg(SEG_SS); setInterruptShadow(); return; // POP SS
    case 0x18: opAluEbGb(ALU_SBB); return; // SBB Eb,Gb
    case 0x19: opAluEvGv(ALU_SBB); return; // SBB Ev,Gv
    case 0x1a: opAluGbEb(ALU_SBB); return; // SBB Gb,Eb
    case 0x1b: opAluGvEv(ALU_SBB); return; // SBB Gv,Ev
    case 0x1c: opAluAlIb(ALU_SBB); return; // SBB AL,Ib
    case 0x1d: opAluEaxIz(ALU_SBB); return; // SBB eAX,Iz
    case 0x1e: opPushSreg(SEG_DS); return; // PUSH DS
    case 0x1f: opPopSreg(SEG_DS); return; // POP DS
    case 0x20: opAluEbGb(ALU_AND); return; // AND Eb,Gb
    case 0x21: opAluEvGv(ALU_AND); return; // AND Ev,Gv
    case 0x22: opAluGbEb(ALU_AND); return; // AND Gb,Eb
    case 0x23: opAluGvEv(ALU_AND); return; // AND Gv,Ev
    case 0x24: opAluAlIb(ALU_AND); return; // AND AL,Ib
    case 0x25: opAluEaxIz(ALU_AND); return; // AND eAX,Iz
    case 0x27: opDaa(); return; // DAA
    case 0x28: opAluEbGb(ALU_SUB); return; // SUB Eb,Gb
    case 0x29: opAluEvGv(ALU_SUB); return; // SUB Ev,Gv
    case 0x2a: opAluGbEb(ALU_SUB); return; // SUB Gb,Eb
    case 0x2b: opAluGvEv(ALU_SUB); return; // SUB Gv,Ev
    case 0x2c: opAluAlIb(ALU_SUB); return; // SUB AL,Ib
    case 0x2d: opAluEaxIz(ALU_SUB); return; // SUB eAX,Iz
    case 0x2f: opDas(); return; // DAS
    case 0x30: opAluEbGb(ALU_XOR); return; // XOR Eb,Gb
    case 0x31: opAluEvGv(ALU_XOR); return; // XOR Ev,Gv
    case 0x32: opAluGbEb(ALU_XOR); return; // XOR Gb,Eb
    case 0x33: opAluGvEv(ALU_XOR); return; // XOR Gv,Ev
    case 0x34: opAluAlIb(ALU_XOR); return; // XOR AL,Ib
    case 0x35: opAluEaxIz(ALU_XOR); return; // XOR eAX,Iz
    case 0x37: opAaa(); return; // AAA
    case 0x38: opAluEbGb(ALU_CMP); return; // CMP Eb,Gb
    case 0x39: opAluEvGv(ALU_CMP); return; // CMP Ev,Gv
    case 0x3a: opAluGbEb(ALU_CMP); return; // CMP Gb,Eb
    case 0x3b: opAluGvEv(ALU_CMP); return; // CMP Gv,Ev
    case 0x3c: opAluAlIb(ALU_CMP); return; // CMP AL,Ib
    case 0x3d: opAluEaxIz(ALU_CMP); return; // CMP eAX,Iz
    case 0x3f: opAas(); return; // AAS
    case 0x40: case 0x41: case 0x42: case 0x43:
    case 0x44: case 0x45: case 0x46: case 0x47: opIncZv(op & 7); return; // INC Zv
    case 0x48: case 0x49: case 0x4a: case 0x4b:
    case 0x4c: case 0x4d: case 0x4e: case 0x4f: opDecZv(op & 7); return; // DEC Zv
    case 0x50: case 0x51: case 0x52: case 0x53:
    case 0x54: case 0x55: case 0x56: case 0x57: opPushZv(op & 7); return; // PUSH Zv
    case 0x58: case 0x59: case 0x5a: case 0x5b:
    case 0x5c: case 0x5d: case 0x5e: case 0x5f: opPopZv(op & 7); return; // POP Zv
    case 0x60: opPusha(); return; // PUSHA/PUSHAD
    case 0x61: opPopa(); return; // POPA/POPAD
    case 0x62: opBoundGvMa(); return; // BOUND Gv,Ma
    case 0x63: opArplEwGw(); return; // ARPL Ew,Gw
    case 0x68: opPushIz(); return; // PUSH Iz
    case 0x69: opImulGvEvIz(); return; // IMUL Gv,Ev,Iz
    case 0x6a: opPushIb(); return; // PUSH Ib
    case 0x6b: opImulGvEvIb(); return; // IMUL Gv,Ev,Ib
    case 0x6c: opIns(true); return; // INSB
    case 0x6d: opIns(false); return; // INSW/INSD
    case 0x6e: opOuts(true); return; // OUTSB
    case 0x6f: opOuts(false); return; // OUTSW/OUTSD
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
      opJccJb(op & 15); return; // Jcc Jb
    case 0x80: opGroup1EbIb(); return; // group 1 Eb,Ib
    case 0x81: opGroup1EvIz(); return; // group 1 Ev,Iz
    case 0x82: opGroup1EbIb(); return; // group 1 Eb,Ib (alias of 80)
    case 0x83: opGroup1EvIb(); return; // group 1 Ev,Ib
    case 0x84: opTestEbGb(); return; // TEST Eb,Gb
    case 0x85: opTestEvGv(); return; // TEST Ev,Gv
    case 0x86: opXchgEbGb(); return; // XCHG Eb,Gb
    case 0x87: opXchgEvGv(); return; // XCHG Ev,Gv
    case 0x88: opMovEbGb(); return; // MOV Eb,Gb
    case 0x89: opMovEvGv(); return; // MOV Ev,Gv
    case 0x8a: opMovGbEb(); return; // MOV Gb,Eb
    case 0x8b: opMovGvEv(); return; // MOV Gv,Ev
    case 0x8c: opMovEwSw(); return; // MOV Ew,Sw
    case 0x8d: opLeaGvM(); return; // LEA Gv,M
    case 0x8e: opMovSwEw(); if (modrmReg == SEG_SS) setInterruptShadow(); return; // MOV Sw,Ew
    case 0x8f: opPopEv(); return; // POP Ev
    case 0x90: return; // NOP (XCHG eAX,eAX); F3 90 is PAUSE
    case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
      opXchgZvEax(op & 7); return; // XCHG Zv,eAX
    case 0x98: opCbw(); return; // CBW/CWDE
    case 0x99: opCwd(); return; // CWD/CDQ
    case 0x9a: opCallAp(); return; // CALL Ap
    case 0x9b: opFwait(); return; // FWAIT
    case 0x9c: opPushf(); return; // PUSHF/PUSHFD
    case 0x9d: opPopf(); return; // POPF/POPFD
    case 0x9e: opSahf(); return; // SAHF
    case 0x9f: opLahf(); return; // LAHF
    case 0xa0: opMovAlOb(); return; // MOV AL,Ob
    case 0xa1: opMovEaxOv(); return; // MOV eAX,Ov
    case 0xa2: opMovObAl(); return; // MOV Ob,AL
    case 0xa3: opMovOvEax(); return; // MOV Ov,eAX
    case 0xa4: opString(STR_MOVS, true); return; // MOVSB
    case 0xa5: opString(STR_MOVS, false); return; // MOVSW/MOVSD
    case 0xa6: opString(STR_CMPS, true); return; // CMPSB
    case 0xa7: opString(STR_CMPS, false); return; // CMPSW/CMPSD
    case 0xa8: opTestAlIb(); return; // TEST AL,Ib
    case 0xa9: opTestEaxIz(); return; // TEST eAX,Iz
    case 0xaa: opString(STR_STOS, true); return; // STOSB
    case 0xab: opString(STR_STOS, false); return; // STOSW/STOSD
    case 0xac: opString(STR_LODS, true); return; // LODSB
    case 0xad: opString(STR_LODS, false); return; // LODSW/LODSD
    case 0xae: opString(STR_SCAS, true); return; // SCASB
    case 0xaf: opString(STR_SCAS, false); return; // SCASW/SCASD
    case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
      opMovZbIb(op & 7); return; // MOV Zb,Ib
    case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
      opMovZvIv(op & 7); return; // MOV Zv,Iv
    case 0xc0: opGroup2EbIb(); return; // group 2 Eb,Ib
    case 0xc1: opGroup2EvIb(); return; // group 2 Ev,Ib
    case 0xc2: opRetIw(); return; // RET Iw
    case 0xc3: opRet(); return; // RET
    case 0xc4: opLoadFarPointer(SEG_ES); return; // LES Gv,Mp
    case 0xc5: opLoadFarPointer(SEG_DS); return; // LDS Gv,Mp
    case 0xc6: opMovEbIb(); return; // MOV Eb,Ib
    case 0xc7: opMovEvIz(); return; // MOV Ev,Iz
    case 0xc8: opEnterIwIb(); return; // ENTER Iw,Ib
    case 0xc9: opLeave(); return; // LEAVE
    case 0xca: opRetfIw(); return; // RETF Iw
    case 0xcb: opRetf(); return; // RETF
    case 0xcc: opInt3(); return; // INT3
    case 0xcd: opIntIb(); return; // INT Ib
    case 0xce: opInto(); return; // INTO
    case 0xcf: opIret(); return; // IRET/IRETD
    case 0xd0: opGroup2Eb1(); return; // group 2 Eb,1
    case 0xd1: opGroup2Ev1(); return; // group 2 Ev,1
    case 0xd2: opGroup2EbCl(); return; // group 2 Eb,CL
    case 0xd3: opGroup2EvCl(); return; // group 2 Ev,CL
    case 0xd4: opAamIb(); return; // AAM Ib
    case 0xd5: opAadIb(); return; // AAD Ib
    case 0xd7: opXlat(); return; // XLAT
    case 0xd8: case 0xd9: case 0xda: case 0xdb: case 0xdc: case 0xdd: case 0xde: case 0xdf:
      opFpu(op); return; // x87 escape
    case 0xe0: opLoopJb(0); return; // LOOPNE Jb
    case 0xe1: opLoopJb(1); return; // LOOPE Jb
    case 0xe2: opLoopJb(2); return; // LOOP Jb
    case 0xe3: opLoopJb(3); return; // JCXZ/JECXZ Jb
    case 0xe4: opInAlIb(); return; // IN AL,Ib
    case 0xe5: opInEaxIb(); return; // IN eAX,Ib
    case 0xe6: opOutIbAl(); return; // OUT Ib,AL
    case 0xe7: opOutIbEax(); return; // OUT Ib,eAX
    case 0xe8: opCallJz(); return; // CALL Jz
    case 0xe9: opJmpJz(); return; // JMP Jz
    case 0xea: opJmpAp(); return; // JMP Ap
    case 0xeb: opJmpJb(); return; // JMP Jb
    case 0xec: opInAlDx(); return; // IN AL,DX
    case 0xed: opInEaxDx(); return; // IN eAX,DX
    case 0xee: opOutDxAl(); return; // OUT DX,AL
    case 0xef: opOutDxEax(); return; // OUT DX,eAX
    case 0xf4: opHlt(); return; // HLT
    case 0xf5: opCmc(); return; // CMC
    case 0xf6: group3(1); return; // group 3 Eb
    case 0xf7: group3(opSize); return; // group 3 Ev
    case 0xf8: opClc(); return; // CLC
    case 0xf9: opStc(); return; // STC
    case 0xfa: opCli(); return; // CLI
    case 0xfb: opSti(); return; // STI
    case 0xfc: opCld(); return; // CLD
    case 0xfd: opStd(); return; // STD
    case 0xfe: group4(); return; // group 4 Eb
    case 0xff: group5(); return; // group 5 Ev
    default: unimplemented(); // D6 SALC, F1 INT1: not implemented
  }
}

function execute0F(op: u32): void {
  switch (op) {
    case 0x00: opGroup6(); return; // group 6: SLDT STR LLDT LTR VERR VERW
    case 0x01: opGroup7(); return; // group 7: SGDT SIDT LGDT LIDT SMSW LMSW INVLPG
    case 0x02: opLarGvEw(); return; // LAR Gv,Ew
    case 0x03: opLslGvEw(); return; // LSL Gv,Ew
    case 0x06: opClts(); return; // CLTS
    case 0x08: opWbinvd(); return; // INVD
    case 0x09: opWbinvd(); return; // WBINVD
    case 0x0b: raiseFault(EXC_UD, -1); return; // UD2
    case 0x1f: decodeModrm(); return; // NOP Ev
    case 0x20: opMovRdCd(); return; // MOV Rd,Cd
    case 0x21: opMovRdDd(); return; // MOV Rd,Dd
    case 0x22: opMovCdRd(); return; // MOV Cd,Rd
    case 0x23: opMovDdRd(); return; // MOV Dd,Rd
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
      opCmovccGvEv(op & 15); return; // CMOVcc Gv,Ev
    case 0x30: opWrmsr(); return; // WRMSR
    case 0x31: opRdtsc(); return; // RDTSC
    case 0x32: opRdmsr(); return; // RDMSR
    case 0x34: opSysenter(); return; // SYSENTER
    case 0x35: opSysexit(); return; // SYSEXIT
    case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
    case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f:
      opJccJz(op & 15); return; // Jcc Jz
    case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
    case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f:
      opSetccEb(op & 15); return; // SETcc Eb
    case 0xa0: opPushSreg(SEG_FS); return; // PUSH FS
    case 0xa1: opPopSreg(SEG_FS); return; // POP FS
    case 0xa2: opCpuid(); return; // CPUID
    case 0xa3: opBtEvGv(BIT_BT); return; // BT Ev,Gv
    case 0xa4: opShldEvGvIb(); return; // SHLD Ev,Gv,Ib
    case 0xa5: opShldEvGvCl(); return; // SHLD Ev,Gv,CL
    case 0xa8: opPushSreg(SEG_GS); return; // PUSH GS
    case 0xa9: opPopSreg(SEG_GS); return; // POP GS
    case 0xab: opBtEvGv(BIT_BTS); return; // BTS Ev,Gv
    case 0xac: opShrdEvGvIb(); return; // SHRD Ev,Gv,Ib
    case 0xad: opShrdEvGvCl(); return; // SHRD Ev,Gv,CL
    case 0xae: opGroup15(); return; // group 15: FXSAVE FXRSTOR ...
    case 0xaf: opImulGvEv(); return; // IMUL Gv,Ev
    case 0xb0: opCmpxchgEbGb(); return; // CMPXCHG Eb,Gb
    case 0xb1: opCmpxchgEvGv(); return; // CMPXCHG Ev,Gv
    case 0xb2: opLoadFarPointer(SEG_SS); setInterruptShadow(); return; // LSS Gv,Mp
    case 0xb3: opBtEvGv(BIT_BTR); return; // BTR Ev,Gv
    case 0xb4: opLoadFarPointer(SEG_FS); return; // LFS Gv,Mp
    case 0xb5: opLoadFarPointer(SEG_GS); return; // LGS Gv,Mp
    case 0xb6: opMovzxGvEb(); return; // MOVZX Gv,Eb
    case 0xb7: opMovzxGvEw(); return; // MOVZX Gv,Ew
    case 0xba: opGroup8EvIb(); return; // group 8: BT BTS BTR BTC Ev,Ib
    case 0xbb: opBtEvGv(BIT_BTC); return; // BTC Ev,Gv
    case 0xbc: opBsfGvEv(); return; // BSF Gv,Ev
    case 0xbd: opBsrGvEv(); return; // BSR Gv,Ev
    case 0xbe: opMovsxGvEb(); return; // MOVSX Gv,Eb
    case 0xbf: opMovsxGvEw(); return; // MOVSX Gv,Ew
    case 0xc0: opXaddEbGb(); return; // XADD Eb,Gb
    case 0xc1: opXaddEvGv(); return; // XADD Ev,Gv
    case 0xc7: opGroup9(); return; // group 9: CMPXCHG8B Mq
    case 0xc8: case 0xc9: case 0xca: case 0xcb: case 0xcc: case 0xcd: case 0xce: case 0xcf:
      opBswapZd(op & 7); return; // BSWAP Zd
    default: unimplemented(); // SSE, MMX, RSM, ...: not implemented
  }
}

/** F6/F7: TEST NOT NEG MUL IMUL DIV IDIV. */
function group3(size: i32): void {
  decodeModrm();
  switch (modrmReg) {
    case 0: case 1: testEImm(size); return;
    case 2: notE(size); return;
    case 3: negE(size); return;
    case 4: mulE(size); return;
    case 5: imulE(size); return;
    case 6: divE(size); return;
    default: idivE(size); return;
  }
}
/** FE: INC/DEC Eb. */
function group4(): void {
  decodeModrm();
  if (modrmReg > 1) unimplemented();
  incDecE(1, modrmReg == 1);
}
/** FF: INC DEC CALL CALLF JMP JMPF PUSH. */
function group5(): void {
  decodeModrm();
  switch (modrmReg) {
    case 0: incDecE(opSize, false); return;
    case 1: incDecE(opSize, true); return;
    case 2: callE(); return;
    case 3: callFarE(); return;
    case 4: jmpE(); return;
    case 5: jmpFarE(); return;
    case 6: pushE(); return;
    default: unimplemented();
  }
}
