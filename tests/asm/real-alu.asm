; real-alu.asm - real-mode ALU test: ADD OR ADC SBB AND SUB XOR CMP in every encoding
; (00-05 style r/m,reg / reg,r/m / acc,imm, 80/81/82/83 immediate groups), INC/DEC (40-4F, FE, FF),
; NEG/NOT, TEST (84/85/A8/A9/F6/F7), on 8-, 16- and 32-bit (66 prefix) operands, checking the
; result, that the untouched upper part of the register/dword is preserved, and the status flags.
; Every case first loads the complement of the expected flags (ADC/SBB: and the carry-in), so
; each flag must actually be written. AF is not checked after logic ops (SDM: undefined).
; Also: high-byte registers (AH..BH), all GPRs in ModRM reg/rm, 16- and 32-bit (67 prefix)
; addressing modes incl. SIB, default SS for BP/ESP bases, segment overrides, LEA, carry chains.
%define TEST_NAME "real-alu"
%include "harness.inc"

; per-size register names, size keyword, and a pattern for the bits above the operand
%macro SIZEDEFS 1
  %if %1 == 8
    %define _A al
    %define _B bl
    %define _C cl
    %define _SZ byte
    %assign _PAT 0x5A5A5A00
  %elif %1 == 16
    %define _A ax
    %define _B bx
    %define _C cx
    %define _SZ word
    %assign _PAT 0xA5A50000
  %else
    %define _A eax
    %define _B ebx
    %define _C ecx
    %define _SZ dword
    %assign _PAT 0
  %endif
%endmacro

; ALU op, form, size, a, b, flags_in, result, flags_out, mask   (2 checks)
; forms: rr  op acc,reg        (00/01 with mod=11)
;        rm  op acc,[mem]      (02/03)
;        mr  op [mem],reg      (00/01)
;        ai  op acc,imm        (04/05, A8/A9 for test)
;        ri  op reg,imm        (80/81, F6/F7 for test)
;        mi  op [mem],imm      (80/81)
;        r8  op reg,imm8       (83, sign-extended)
;        m8  op [mem],imm8     (83)
%macro ALU 9
        SIZEDEFS %3
  %ifidn %2, rr
        mov eax, _PAT | (%4)
        mov ecx, (%5) & 0xFFFFFFFF
        SETF %6
        %1 _A, _C
        CHECK eax, _PAT | (%7)
  %elifidn %2, rm
        mov eax, _PAT | (%4)
        mov dword [DATA], (%5) & 0xFFFFFFFF
        SETF %6
        %1 _A, _SZ [DATA]
        CHECK eax, _PAT | (%7)
  %elifidn %2, mr
        mov dword [DATA], _PAT | (%4)
        mov ecx, (%5) & 0xFFFFFFFF
        SETF %6
        %1 _SZ [DATA], _C
        CHECK dword [DATA], _PAT | (%7)
  %elifidn %2, ai
        mov eax, _PAT | (%4)
        SETF %6
        %1 _A, strict _SZ (%5)
        CHECK eax, _PAT | (%7)
  %elifidn %2, ri
        mov ebx, _PAT | (%4)
        SETF %6
        %1 _B, strict _SZ (%5)
        CHECK ebx, _PAT | (%7)
  %elifidn %2, mi
        mov dword [DATA], _PAT | (%4)
        SETF %6
        %1 _SZ [DATA], strict _SZ (%5)
        CHECK dword [DATA], _PAT | (%7)
  %elifidn %2, r8
        mov ebx, _PAT | (%4)
        SETF %6
        %1 _B, strict byte (%5)
        CHECK ebx, _PAT | (%7)
  %elifidn %2, m8
        mov dword [DATA], _PAT | (%4)
        SETF %6
        %1 _SZ [DATA], strict byte (%5)
        CHECK dword [DATA], _PAT | (%7)
  %else
    %error unknown ALU form %2
  %endif
        CHECKF %8, %9
%endmacro

; ALU82 opnum, a, b, flags_in, result, flags_out, mask : opcode 82 /opnum ib on BL (alias of 80)
%macro ALU82 7
        mov ebx, 0x5A5A5A00 | (%2)
        SETF %4
        db 0x82, 0xC3 | ((%1) << 3), (%3) & 0xFF
        CHECK ebx, 0x5A5A5A00 | (%5)
        CHECKF %6, %7
%endmacro

; UN op, form, size, a, flags_in, result, flags_out, mask
; forms: r  op reg (INC/DEC 16/32: 40-4F; 8-bit: FE), m  op [mem], rx  INC/DEC via FF /0 /1 mod=11
%macro UN 8
        SIZEDEFS %3
  %ifidn %2, r
        mov ebx, _PAT | (%4)
        SETF %5
        %1 _B
        CHECK ebx, _PAT | (%6)
  %elifidn %2, m
        mov dword [DATA], _PAT | (%4)
        SETF %5
        %1 _SZ [DATA]
        CHECK dword [DATA], _PAT | (%6)
  %elifidn %2, rx
        mov ebx, _PAT | (%4)
        SETF %5
    %if %3 == 8
        %1 _B
    %else
      %if %3 == 32
        db 0x66
      %endif
      %ifidn %1, inc
        db 0xFF, 0xC3                   ; inc (e)bx, FF /0
      %else
        db 0xFF, 0xCB                   ; dec (e)bx, FF /1
      %endif
    %endif
        CHECK ebx, _PAT | (%6)
  %else
    %error unknown UN form %2
  %endif
        CHECKF %7, %8
%endmacro

start:
        HARNESS_INIT

; ---------------------------------------------------------------------------------------------
; table-driven cases (values derived from the SDM definitions, confirmed on QEMU)
; ---------------------------------------------------------------------------------------------
        GROUP "add8"
        ALU add, rr, 8, 0x00, 0x00, OF|SF|AF|CF, 0x00, ZF|PF, ARITH
        ALU add, rm, 8, 0xFF, 0x01, OF|SF, 0x00, ZF|AF|PF|CF, ARITH
        ALU add, mr, 8, 0x7F, 0x01, ZF|PF|CF, 0x80, OF|SF|AF, ARITH
        ALU add, ai, 8, 0x80, 0x80, SF|AF, 0x00, OF|ZF|PF|CF, ARITH
        ALU add, ri, 8, 0x0F, 0x01, OF|SF|ZF|PF|CF, 0x10, AF, ARITH
        ALU add, mi, 8, 0x55, 0xAA, OF|ZF|AF|CF, 0xFF, SF|PF, ARITH
        ALU82 0, 0x80, 0x01, OF|ZF|AF|CF, 0x81, SF|PF, ARITH
        ALU add, rr, 8, 0x12, 0x34, OF|SF|ZF|AF|PF|CF, 0x46, 0, ARITH
        GROUP "add16"
        ALU add, rr, 16, 0x0000, 0x0000, OF|SF|AF|CF, 0x0000, ZF|PF, ARITH
        ALU add, rm, 16, 0xFFFF, 0x0001, OF|SF, 0x0000, ZF|AF|PF|CF, ARITH
        ALU add, mr, 16, 0x7FFF, 0x0001, ZF|CF, 0x8000, OF|SF|AF|PF, ARITH
        ALU add, ai, 16, 0x8000, 0x8000, SF|AF, 0x0000, OF|ZF|PF|CF, ARITH
        ALU add, ri, 16, 0x00FF, 0x0001, OF|SF|ZF|CF, 0x0100, AF|PF, ARITH
        ALU add, mi, 16, 0x5555, 0xAAAA, OF|ZF|AF|CF, 0xFFFF, SF|PF, ARITH
        ALU add, r8, 16, 0x8000, -1, SF|ZF|AF, 0x7FFF, OF|PF|CF, ARITH
        ALU add, m8, 16, 0x1234, 1, OF|SF|ZF|AF|CF, 0x1235, PF, ARITH
        GROUP "add32"
        ALU add, rr, 32, 0x00000000, 0x00000000, OF|SF|AF|CF, 0x00000000, ZF|PF, ARITH
        ALU add, rm, 32, 0xFFFFFFFF, 0x00000001, OF|SF, 0x00000000, ZF|AF|PF|CF, ARITH
        ALU add, mr, 32, 0x7FFFFFFF, 0x00000001, ZF|CF, 0x80000000, OF|SF|AF|PF, ARITH
        ALU add, ai, 32, 0x80000000, 0x80000000, SF|AF, 0x00000000, OF|ZF|PF|CF, ARITH
        ALU add, ri, 32, 0x0000FFFF, 0x00000001, OF|SF|ZF|CF, 0x00010000, AF|PF, ARITH
        ALU add, mi, 32, 0x55555555, 0xAAAAAAAA, OF|ZF|AF|CF, 0xFFFFFFFF, SF|PF, ARITH
        ALU add, r8, 32, 0x80000000, -1, SF|ZF|AF, 0x7FFFFFFF, OF|PF|CF, ARITH
        ALU add, m8, 32, 0x12345678, 1, OF|SF|ZF|AF|PF|CF, 0x12345679, 0, ARITH
        GROUP "or8"
        ALU or, rm, 8, 0x00, 0x00, OF|SF|AF|CF, 0x00, ZF|PF, LOGIC
        ALU or, mr, 8, 0xFF, 0x01, OF|ZF|AF|CF, 0xFF, SF|PF, LOGIC
        ALU or, ai, 8, 0x7F, 0x01, OF|SF|ZF|AF|PF|CF, 0x7F, 0, LOGIC
        ALU or, ri, 8, 0x80, 0x80, OF|ZF|AF|PF|CF, 0x80, SF, LOGIC
        ALU or, mi, 8, 0x0F, 0x01, OF|SF|ZF|AF|CF, 0x0F, PF, LOGIC
        ALU82 1, 0x55, 0xAA, OF|ZF|AF|CF, 0xFF, SF|PF, LOGIC
        ALU or, rr, 8, 0x80, 0x01, OF|ZF|AF|CF, 0x81, SF|PF, LOGIC
        ALU or, rr, 8, 0x12, 0x34, OF|SF|ZF|AF|CF, 0x36, PF, LOGIC
        GROUP "or16"
        ALU or, rm, 16, 0x0000, 0x0000, OF|SF|AF|CF, 0x0000, ZF|PF, LOGIC
        ALU or, mr, 16, 0xFFFF, 0x0001, OF|ZF|AF|CF, 0xFFFF, SF|PF, LOGIC
        ALU or, ai, 16, 0x7FFF, 0x0001, OF|SF|ZF|AF|CF, 0x7FFF, PF, LOGIC
        ALU or, ri, 16, 0x8000, 0x8000, OF|ZF|AF|CF, 0x8000, SF|PF, LOGIC
        ALU or, mi, 16, 0x00FF, 0x0001, OF|SF|ZF|AF|CF, 0x00FF, PF, LOGIC
        ALU or, r8, 16, 0x5555, -1, OF|ZF|AF|CF, 0xFFFF, SF|PF, LOGIC
        ALU or, m8, 16, 0x8000, 1, OF|ZF|AF|PF|CF, 0x8001, SF, LOGIC
        ALU or, rr, 16, 0x1234, 0x4321, OF|SF|ZF|AF|CF, 0x5335, PF, LOGIC
        GROUP "or32"
        ALU or, rm, 32, 0x00000000, 0x00000000, OF|SF|AF|CF, 0x00000000, ZF|PF, LOGIC
        ALU or, mr, 32, 0xFFFFFFFF, 0x00000001, OF|ZF|AF|CF, 0xFFFFFFFF, SF|PF, LOGIC
        ALU or, ai, 32, 0x7FFFFFFF, 0x00000001, OF|SF|ZF|AF|CF, 0x7FFFFFFF, PF, LOGIC
        ALU or, ri, 32, 0x80000000, 0x80000000, OF|ZF|AF|CF, 0x80000000, SF|PF, LOGIC
        ALU or, mi, 32, 0x0000FFFF, 0x00000001, OF|SF|ZF|AF|CF, 0x0000FFFF, PF, LOGIC
        ALU or, r8, 32, 0x55555555, -1, OF|ZF|AF|CF, 0xFFFFFFFF, SF|PF, LOGIC
        ALU or, m8, 32, 0x80000000, 1, OF|ZF|AF|PF|CF, 0x80000001, SF, LOGIC
        ALU or, rr, 32, 0x12345678, 0x87654321, OF|ZF|AF|PF|CF, 0x97755779, SF, LOGIC
        GROUP "adc8"
        ALU adc, mr, 8, 0x00, 0x00, OF|SF|AF, 0x00, ZF|PF, ARITH
        ALU adc, ai, 8, 0xFF, 0x01, OF|SF|ZF|PF|CF, 0x01, AF|CF, ARITH
        ALU adc, ri, 8, 0x7F, 0x01, ZF|PF, 0x80, OF|SF|AF, ARITH
        ALU adc, mi, 8, 0x80, 0x80, SF|ZF|AF|PF|CF, 0x01, OF|CF, ARITH
        ALU82 2, 0x0F, 0x01, OF|SF|ZF|PF, 0x10, AF, ARITH
        ALU adc, rr, 8, 0x55, 0xAA, OF|SF|CF, 0x00, ZF|AF|PF|CF, ARITH
        ALU adc, rr, 8, 0x80, 0x01, OF|ZF|AF, 0x81, SF|PF, ARITH
        ALU adc, rm, 8, 0x12, 0x34, OF|SF|ZF|AF|CF, 0x47, PF, ARITH
        GROUP "adc16"
        ALU adc, mr, 16, 0x0000, 0x0000, OF|SF|AF, 0x0000, ZF|PF, ARITH
        ALU adc, ai, 16, 0xFFFF, 0x0001, OF|SF|ZF|PF|CF, 0x0001, AF|CF, ARITH
        ALU adc, ri, 16, 0x7FFF, 0x0001, ZF, 0x8000, OF|SF|AF|PF, ARITH
        ALU adc, mi, 16, 0x8000, 0x8000, SF|ZF|AF|PF|CF, 0x0001, OF|CF, ARITH
        ALU adc, r8, 16, 0x00FF, -1, OF|SF|ZF|PF, 0x00FE, AF|CF, ARITH
        ALU adc, m8, 16, 0x5555, 1, OF|SF|ZF|AF|PF|CF, 0x5557, 0, ARITH
        ALU adc, rr, 16, 0x8000, 0x0001, OF|ZF|AF|PF, 0x8001, SF, ARITH
        ALU adc, rm, 16, 0x1234, 0x4321, OF|SF|ZF|AF|CF, 0x5556, PF, ARITH
        GROUP "adc32"
        ALU adc, mr, 32, 0x00000000, 0x00000000, OF|SF|AF, 0x00000000, ZF|PF, ARITH
        ALU adc, ai, 32, 0xFFFFFFFF, 0x00000001, OF|SF|ZF|PF|CF, 0x00000001, AF|CF, ARITH
        ALU adc, ri, 32, 0x7FFFFFFF, 0x00000001, ZF, 0x80000000, OF|SF|AF|PF, ARITH
        ALU adc, mi, 32, 0x80000000, 0x80000000, SF|ZF|AF|PF|CF, 0x00000001, OF|CF, ARITH
        ALU adc, r8, 32, 0x0000FFFF, -1, OF|SF|ZF|PF, 0x0000FFFE, AF|CF, ARITH
        ALU adc, m8, 32, 0x55555555, 1, OF|SF|ZF|AF|PF|CF, 0x55555557, 0, ARITH
        ALU adc, rr, 32, 0x80000000, 0x00000001, OF|ZF|AF|PF, 0x80000001, SF, ARITH
        ALU adc, rm, 32, 0x12345678, 0x87654321, OF|ZF|AF|CF, 0x9999999A, SF|PF, ARITH
        GROUP "sbb8"
        ALU sbb, ai, 8, 0x00, 0x00, OF|SF|AF, 0x00, ZF|PF, ARITH
        ALU sbb, ri, 8, 0xFF, 0x01, OF|ZF|AF|PF|CF, 0xFD, SF, ARITH
        ALU sbb, mi, 8, 0x7F, 0x01, OF|SF|ZF|AF, 0x7E, PF, ARITH
        ALU82 3, 0x80, 0x80, OF|ZF|CF, 0xFF, SF|AF|PF|CF, ARITH
        ALU sbb, rr, 8, 0x0F, 0x01, OF|SF|ZF|AF|PF, 0x0E, 0, ARITH
        ALU sbb, rr, 8, 0x55, 0xAA, ZF|CF, 0xAA, OF|SF|AF|PF|CF, ARITH
        ALU sbb, rm, 8, 0x80, 0x01, SF|ZF|PF, 0x7F, OF|AF, ARITH
        ALU sbb, mr, 8, 0x12, 0x34, OF|ZF|CF, 0xDD, SF|AF|PF|CF, ARITH
        GROUP "sbb16"
        ALU sbb, ai, 16, 0x0000, 0x0000, OF|SF|AF, 0x0000, ZF|PF, ARITH
        ALU sbb, ri, 16, 0xFFFF, 0x0001, OF|ZF|AF|PF|CF, 0xFFFD, SF, ARITH
        ALU sbb, mi, 16, 0x7FFF, 0x0001, OF|SF|ZF|AF|PF, 0x7FFE, 0, ARITH
        ALU sbb, r8, 16, 0x8000, -1, OF|ZF|CF, 0x8000, SF|AF|PF|CF, ARITH
        ALU sbb, m8, 16, 0x00FF, 1, OF|SF|ZF|AF|PF, 0x00FE, 0, ARITH
        ALU sbb, rr, 16, 0x5555, 0xAAAA, ZF|CF, 0xAAAA, OF|SF|AF|PF|CF, ARITH
        ALU sbb, rm, 16, 0x8000, 0x0001, SF|ZF, 0x7FFF, OF|AF|PF, ARITH
        ALU sbb, mr, 16, 0x1234, 0x4321, OF|ZF|AF|CF, 0xCF12, SF|PF|CF, ARITH
        GROUP "sbb32"
        ALU sbb, ai, 32, 0x00000000, 0x00000000, OF|SF|AF, 0x00000000, ZF|PF, ARITH
        ALU sbb, ri, 32, 0xFFFFFFFF, 0x00000001, OF|ZF|AF|PF|CF, 0xFFFFFFFD, SF, ARITH
        ALU sbb, mi, 32, 0x7FFFFFFF, 0x00000001, OF|SF|ZF|AF|PF, 0x7FFFFFFE, 0, ARITH
        ALU sbb, r8, 32, 0x80000000, -1, OF|ZF|CF, 0x80000000, SF|AF|PF|CF, ARITH
        ALU sbb, m8, 32, 0x0000FFFF, 1, OF|SF|ZF|AF|PF, 0x0000FFFE, 0, ARITH
        ALU sbb, rr, 32, 0x55555555, 0xAAAAAAAA, ZF|CF, 0xAAAAAAAA, OF|SF|AF|PF|CF, ARITH
        ALU sbb, rm, 32, 0x80000000, 0x00000001, SF|ZF, 0x7FFFFFFF, OF|AF|PF, ARITH
        ALU sbb, mr, 32, 0x12345678, 0x87654321, ZF|AF|CF, 0x8ACF1356, OF|SF|PF|CF, ARITH
        GROUP "and8"
        ALU and, ri, 8, 0x00, 0x00, OF|SF|AF|CF, 0x00, ZF|PF, LOGIC
        ALU and, mi, 8, 0xFF, 0x01, OF|SF|ZF|AF|PF|CF, 0x01, 0, LOGIC
        ALU82 4, 0x7F, 0x01, OF|SF|ZF|AF|PF|CF, 0x01, 0, LOGIC
        ALU and, rr, 8, 0x80, 0x80, OF|ZF|AF|PF|CF, 0x80, SF, LOGIC
        ALU and, rr, 8, 0x0F, 0x01, OF|SF|ZF|AF|PF|CF, 0x01, 0, LOGIC
        ALU and, rm, 8, 0x55, 0xAA, OF|SF|AF|CF, 0x00, ZF|PF, LOGIC
        ALU and, mr, 8, 0x80, 0x01, OF|SF|AF|CF, 0x00, ZF|PF, LOGIC
        ALU and, ai, 8, 0x12, 0x34, OF|SF|ZF|AF|PF|CF, 0x10, 0, LOGIC
        GROUP "and16"
        ALU and, ri, 16, 0x0000, 0x0000, OF|SF|AF|CF, 0x0000, ZF|PF, LOGIC
        ALU and, mi, 16, 0xFFFF, 0x0001, OF|SF|ZF|AF|PF|CF, 0x0001, 0, LOGIC
        ALU and, r8, 16, 0x7FFF, -1, OF|SF|ZF|AF|CF, 0x7FFF, PF, LOGIC
        ALU and, m8, 16, 0x8000, 1, OF|SF|AF|CF, 0x0000, ZF|PF, LOGIC
        ALU and, rr, 16, 0x00FF, 0x0001, OF|SF|ZF|AF|PF|CF, 0x0001, 0, LOGIC
        ALU and, rm, 16, 0x5555, 0xAAAA, OF|SF|AF|CF, 0x0000, ZF|PF, LOGIC
        ALU and, mr, 16, 0x8000, 0x0001, OF|SF|AF|CF, 0x0000, ZF|PF, LOGIC
        ALU and, ai, 16, 0x1234, 0x4321, OF|SF|ZF|AF|PF|CF, 0x0220, 0, LOGIC
        GROUP "and32"
        ALU and, ri, 32, 0x00000000, 0x00000000, OF|SF|AF|CF, 0x00000000, ZF|PF, LOGIC
        ALU and, mi, 32, 0xFFFFFFFF, 0x00000001, OF|SF|ZF|AF|PF|CF, 0x00000001, 0, LOGIC
        ALU and, r8, 32, 0x7FFFFFFF, -1, OF|SF|ZF|AF|CF, 0x7FFFFFFF, PF, LOGIC
        ALU and, m8, 32, 0x80000000, 1, OF|SF|AF|CF, 0x00000000, ZF|PF, LOGIC
        ALU and, rr, 32, 0x0000FFFF, 0x00000001, OF|SF|ZF|AF|PF|CF, 0x00000001, 0, LOGIC
        ALU and, rm, 32, 0x55555555, 0xAAAAAAAA, OF|SF|AF|CF, 0x00000000, ZF|PF, LOGIC
        ALU and, mr, 32, 0x80000000, 0x00000001, OF|SF|AF|CF, 0x00000000, ZF|PF, LOGIC
        ALU and, ai, 32, 0x12345678, 0x87654321, OF|SF|ZF|AF|PF|CF, 0x02244220, 0, LOGIC
        GROUP "sub8"
        ALU sub, mi, 8, 0x00, 0x00, OF|SF|AF|CF, 0x00, ZF|PF, ARITH
        ALU82 5, 0xFF, 0x01, OF|ZF|AF|PF|CF, 0xFE, SF, ARITH
        ALU sub, rr, 8, 0x7F, 0x01, OF|SF|ZF|AF|CF, 0x7E, PF, ARITH
        ALU sub, rr, 8, 0x80, 0x80, OF|SF|AF|CF, 0x00, ZF|PF, ARITH
        ALU sub, rm, 8, 0x0F, 0x01, OF|SF|ZF|AF|PF|CF, 0x0E, 0, ARITH
        ALU sub, mr, 8, 0x55, 0xAA, ZF|PF, 0xAB, OF|SF|AF|CF, ARITH
        ALU sub, ai, 8, 0x80, 0x01, SF|ZF|PF|CF, 0x7F, OF|AF, ARITH
        ALU sub, ri, 8, 0x12, 0x34, OF|ZF, 0xDE, SF|AF|PF|CF, ARITH
        GROUP "sub16"
        ALU sub, mi, 16, 0x0000, 0x0000, OF|SF|AF|CF, 0x0000, ZF|PF, ARITH
        ALU sub, r8, 16, 0xFFFF, -1, OF|SF|AF|CF, 0x0000, ZF|PF, ARITH
        ALU sub, m8, 16, 0x7FFF, 1, OF|SF|ZF|AF|PF|CF, 0x7FFE, 0, ARITH
        ALU sub, rr, 16, 0x8000, 0x8000, OF|SF|AF|CF, 0x0000, ZF|PF, ARITH
        ALU sub, rm, 16, 0x00FF, 0x0001, OF|SF|ZF|AF|PF|CF, 0x00FE, 0, ARITH
        ALU sub, mr, 16, 0x5555, 0xAAAA, ZF|PF, 0xAAAB, OF|SF|AF|CF, ARITH
        ALU sub, ai, 16, 0x8000, 0x0001, SF|ZF|CF, 0x7FFF, OF|AF|PF, ARITH
        ALU sub, ri, 16, 0x1234, 0x4321, OF|ZF|AF|PF, 0xCF13, SF|CF, ARITH
        GROUP "sub32"
        ALU sub, mi, 32, 0x00000000, 0x00000000, OF|SF|AF|CF, 0x00000000, ZF|PF, ARITH
        ALU sub, r8, 32, 0xFFFFFFFF, -1, OF|SF|AF|CF, 0x00000000, ZF|PF, ARITH
        ALU sub, m8, 32, 0x7FFFFFFF, 1, OF|SF|ZF|AF|PF|CF, 0x7FFFFFFE, 0, ARITH
        ALU sub, rr, 32, 0x80000000, 0x80000000, OF|SF|AF|CF, 0x00000000, ZF|PF, ARITH
        ALU sub, rm, 32, 0x0000FFFF, 0x00000001, OF|SF|ZF|AF|PF|CF, 0x0000FFFE, 0, ARITH
        ALU sub, mr, 32, 0x55555555, 0xAAAAAAAA, ZF|PF, 0xAAAAAAAB, OF|SF|AF|CF, ARITH
        ALU sub, ai, 32, 0x80000000, 0x00000001, SF|ZF|CF, 0x7FFFFFFF, OF|AF|PF, ARITH
        ALU sub, ri, 32, 0x12345678, 0x87654321, ZF|AF|PF, 0x8ACF1357, OF|SF|CF, ARITH
        GROUP "xor8"
        ALU82 6, 0x00, 0x00, OF|SF|AF|CF, 0x00, ZF|PF, LOGIC
        ALU xor, rr, 8, 0xFF, 0x01, OF|ZF|AF|PF|CF, 0xFE, SF, LOGIC
        ALU xor, rr, 8, 0x7F, 0x01, OF|SF|ZF|AF|CF, 0x7E, PF, LOGIC
        ALU xor, rm, 8, 0x80, 0x80, OF|SF|AF|CF, 0x00, ZF|PF, LOGIC
        ALU xor, mr, 8, 0x0F, 0x01, OF|SF|ZF|AF|PF|CF, 0x0E, 0, LOGIC
        ALU xor, ai, 8, 0x55, 0xAA, OF|ZF|AF|CF, 0xFF, SF|PF, LOGIC
        ALU xor, ri, 8, 0x80, 0x01, OF|ZF|AF|CF, 0x81, SF|PF, LOGIC
        ALU xor, mi, 8, 0x12, 0x34, OF|SF|ZF|AF|PF|CF, 0x26, 0, LOGIC
        GROUP "xor16"
        ALU xor, r8, 16, 0x0000, -1, OF|ZF|AF|CF, 0xFFFF, SF|PF, LOGIC
        ALU xor, m8, 16, 0xFFFF, 1, OF|ZF|AF|PF|CF, 0xFFFE, SF, LOGIC
        ALU xor, rr, 16, 0x7FFF, 0x0001, OF|SF|ZF|AF|PF|CF, 0x7FFE, 0, LOGIC
        ALU xor, rm, 16, 0x8000, 0x8000, OF|SF|AF|CF, 0x0000, ZF|PF, LOGIC
        ALU xor, mr, 16, 0x00FF, 0x0001, OF|SF|ZF|AF|PF|CF, 0x00FE, 0, LOGIC
        ALU xor, ai, 16, 0x5555, 0xAAAA, OF|ZF|AF|CF, 0xFFFF, SF|PF, LOGIC
        ALU xor, ri, 16, 0x8000, 0x0001, OF|ZF|AF|PF|CF, 0x8001, SF, LOGIC
        ALU xor, mi, 16, 0x1234, 0x4321, OF|SF|ZF|AF|PF|CF, 0x5115, 0, LOGIC
        GROUP "xor32"
        ALU xor, r8, 32, 0x00000000, -1, OF|ZF|AF|CF, 0xFFFFFFFF, SF|PF, LOGIC
        ALU xor, m8, 32, 0xFFFFFFFF, 1, OF|ZF|AF|PF|CF, 0xFFFFFFFE, SF, LOGIC
        ALU xor, rr, 32, 0x7FFFFFFF, 0x00000001, OF|SF|ZF|AF|PF|CF, 0x7FFFFFFE, 0, LOGIC
        ALU xor, rm, 32, 0x80000000, 0x80000000, OF|SF|AF|CF, 0x00000000, ZF|PF, LOGIC
        ALU xor, mr, 32, 0x0000FFFF, 0x00000001, OF|SF|ZF|AF|PF|CF, 0x0000FFFE, 0, LOGIC
        ALU xor, ai, 32, 0x55555555, 0xAAAAAAAA, OF|ZF|AF|CF, 0xFFFFFFFF, SF|PF, LOGIC
        ALU xor, ri, 32, 0x80000000, 0x00000001, OF|ZF|AF|PF|CF, 0x80000001, SF, LOGIC
        ALU xor, mi, 32, 0x12345678, 0x87654321, OF|ZF|AF|CF, 0x95511559, SF|PF, LOGIC
        GROUP "cmp8"
        ALU cmp, rr, 8, 0x00, 0x00, OF|SF|AF|CF, 0x00, ZF|PF, ARITH
        ALU cmp, rr, 8, 0xFF, 0x01, OF|ZF|AF|PF|CF, 0xFF, SF, ARITH
        ALU cmp, rm, 8, 0x7F, 0x01, OF|SF|ZF|AF|CF, 0x7F, PF, ARITH
        ALU cmp, mr, 8, 0x80, 0x80, OF|SF|AF|CF, 0x80, ZF|PF, ARITH
        ALU cmp, ai, 8, 0x0F, 0x01, OF|SF|ZF|AF|PF|CF, 0x0F, 0, ARITH
        ALU cmp, ri, 8, 0x55, 0xAA, ZF|PF, 0x55, OF|SF|AF|CF, ARITH
        ALU cmp, mi, 8, 0x80, 0x01, SF|ZF|PF|CF, 0x80, OF|AF, ARITH
        ALU82 7, 0x12, 0x34, OF|ZF, 0x12, SF|AF|PF|CF, ARITH
        GROUP "cmp16"
        ALU cmp, m8, 16, 0x0000, 1, OF|ZF, 0x0000, SF|AF|PF|CF, ARITH
        ALU cmp, rr, 16, 0xFFFF, 0x0001, OF|ZF|AF|PF|CF, 0xFFFF, SF, ARITH
        ALU cmp, rm, 16, 0x7FFF, 0x0001, OF|SF|ZF|AF|PF|CF, 0x7FFF, 0, ARITH
        ALU cmp, mr, 16, 0x8000, 0x8000, OF|SF|AF|CF, 0x8000, ZF|PF, ARITH
        ALU cmp, ai, 16, 0x00FF, 0x0001, OF|SF|ZF|AF|PF|CF, 0x00FF, 0, ARITH
        ALU cmp, ri, 16, 0x5555, 0xAAAA, ZF|PF, 0x5555, OF|SF|AF|CF, ARITH
        ALU cmp, mi, 16, 0x8000, 0x0001, SF|ZF|CF, 0x8000, OF|AF|PF, ARITH
        ALU cmp, r8, 16, 0x1234, 127, OF|SF|ZF|PF|CF, 0x1234, AF, ARITH
        GROUP "cmp32"
        ALU cmp, m8, 32, 0x00000000, 1, OF|ZF, 0x00000000, SF|AF|PF|CF, ARITH
        ALU cmp, rr, 32, 0xFFFFFFFF, 0x00000001, OF|ZF|AF|PF|CF, 0xFFFFFFFF, SF, ARITH
        ALU cmp, rm, 32, 0x7FFFFFFF, 0x00000001, OF|SF|ZF|AF|PF|CF, 0x7FFFFFFF, 0, ARITH
        ALU cmp, mr, 32, 0x80000000, 0x80000000, OF|SF|AF|CF, 0x80000000, ZF|PF, ARITH
        ALU cmp, ai, 32, 0x0000FFFF, 0x00000001, OF|SF|ZF|AF|PF|CF, 0x0000FFFF, 0, ARITH
        ALU cmp, ri, 32, 0x55555555, 0xAAAAAAAA, ZF|PF, 0x55555555, OF|SF|AF|CF, ARITH
        ALU cmp, mi, 32, 0x80000000, 0x00000001, SF|ZF|CF, 0x80000000, OF|AF|PF, ARITH
        ALU cmp, r8, 32, 0x12345678, 127, OF|SF|ZF|CF, 0x12345678, AF|PF, ARITH
        GROUP "test8"
        ALU test, rr, 8, 0xFF, 0x80, OF|ZF|AF|PF|CF, 0xFF, SF, LOGIC
        ALU test, mr, 8, 0x55, 0xAA, OF|SF|AF|CF, 0x55, ZF|PF, LOGIC
        ALU test, ai, 8, 0xF0, 0x3C, OF|SF|ZF|AF|CF, 0xF0, PF, LOGIC
        ALU test, ri, 8, 0x01, 0x01, OF|SF|ZF|AF|PF|CF, 0x01, 0, LOGIC
        GROUP "test16"
        ALU test, mi, 16, 0xFFFF, 0x8000, OF|ZF|AF|CF, 0xFFFF, SF|PF, LOGIC
        ALU test, rm, 16, 0x5555, 0xAAAA, OF|SF|AF|CF, 0x5555, ZF|PF, LOGIC
        ALU test, rr, 16, 0xF00F, 0x3C3C, OF|SF|ZF|AF|CF, 0xF00F, PF, LOGIC
        ALU test, mr, 16, 0x0100, 0x0300, OF|SF|ZF|AF|CF, 0x0100, PF, LOGIC
        GROUP "test32"
        ALU test, ai, 32, 0xFFFFFFFF, 0x80000000, OF|ZF|AF|CF, 0xFFFFFFFF, SF|PF, LOGIC
        ALU test, ri, 32, 0x55555555, 0xAAAAAAAA, OF|SF|AF|CF, 0x55555555, ZF|PF, LOGIC
        ALU test, mi, 32, 0xF000000F, 0x3C3C3C3C, OF|SF|ZF|AF|CF, 0xF000000F, PF, LOGIC
        ALU test, rm, 32, 0x00010000, 0x00030000, OF|SF|ZF|AF|CF, 0x00010000, PF, LOGIC
        GROUP "inc8"
        UN inc, r, 8, 0x7F, ZF|PF, 0x80, OF|SF|AF, ARITH
        UN inc, m, 8, 0xFF, OF|SF|CF, 0x00, ZF|AF|PF|CF, ARITH
        UN inc, rx, 8, 0x80, OF|ZF|AF, 0x81, SF|PF, ARITH
        UN inc, r, 8, 0x0F, OF|SF|ZF|PF|CF, 0x10, AF|CF, ARITH
        UN inc, m, 8, 0x00, OF|SF|ZF|AF|PF, 0x01, 0, ARITH
        GROUP "inc16"
        UN inc, rx, 16, 0x7FFF, ZF, 0x8000, OF|SF|AF|PF, ARITH
        UN inc, r, 16, 0xFFFF, OF|SF|CF, 0x0000, ZF|AF|PF|CF, ARITH
        UN inc, m, 16, 0x8000, OF|ZF|AF|PF, 0x8001, SF, ARITH
        UN inc, rx, 16, 0x000F, OF|SF|ZF|PF|CF, 0x0010, AF|CF, ARITH
        UN inc, r, 16, 0x0000, OF|SF|ZF|AF|PF, 0x0001, 0, ARITH
        GROUP "inc32"
        UN inc, m, 32, 0x7FFFFFFF, ZF, 0x80000000, OF|SF|AF|PF, ARITH
        UN inc, rx, 32, 0xFFFFFFFF, OF|SF|CF, 0x00000000, ZF|AF|PF|CF, ARITH
        UN inc, r, 32, 0x80000000, OF|ZF|AF|PF, 0x80000001, SF, ARITH
        UN inc, m, 32, 0x0000000F, OF|SF|ZF|PF|CF, 0x00000010, AF|CF, ARITH
        UN inc, rx, 32, 0x00000000, OF|SF|ZF|AF|PF, 0x00000001, 0, ARITH
        GROUP "dec8"
        UN dec, r, 8, 0x7F, OF|SF|ZF|AF, 0x7E, PF, ARITH
        UN dec, m, 8, 0xFF, OF|ZF|AF|PF|CF, 0xFE, SF|CF, ARITH
        UN dec, rx, 8, 0x80, SF|ZF|PF, 0x7F, OF|AF, ARITH
        UN dec, r, 8, 0x0F, OF|SF|ZF|AF|PF|CF, 0x0E, CF, ARITH
        UN dec, m, 8, 0x00, OF|ZF, 0xFF, SF|AF|PF, ARITH
        GROUP "dec16"
        UN dec, rx, 16, 0x7FFF, OF|SF|ZF|AF|PF, 0x7FFE, 0, ARITH
        UN dec, r, 16, 0xFFFF, OF|ZF|AF|PF|CF, 0xFFFE, SF|CF, ARITH
        UN dec, m, 16, 0x8000, SF|ZF, 0x7FFF, OF|AF|PF, ARITH
        UN dec, rx, 16, 0x000F, OF|SF|ZF|AF|PF|CF, 0x000E, CF, ARITH
        UN dec, r, 16, 0x0000, OF|ZF, 0xFFFF, SF|AF|PF, ARITH
        GROUP "dec32"
        UN dec, m, 32, 0x7FFFFFFF, OF|SF|ZF|AF|PF, 0x7FFFFFFE, 0, ARITH
        UN dec, rx, 32, 0xFFFFFFFF, OF|ZF|AF|PF|CF, 0xFFFFFFFE, SF|CF, ARITH
        UN dec, r, 32, 0x80000000, SF|ZF, 0x7FFFFFFF, OF|AF|PF, ARITH
        UN dec, m, 32, 0x0000000F, OF|SF|ZF|AF|PF|CF, 0x0000000E, CF, ARITH
        UN dec, rx, 32, 0x00000000, OF|ZF, 0xFFFFFFFF, SF|AF|PF, ARITH
        GROUP "neg8"
        UN neg, r, 8, 0x00, OF|SF|AF|CF, 0x00, ZF|PF, ARITH
        UN neg, m, 8, 0x01, OF|ZF, 0xFF, SF|AF|PF|CF, ARITH
        UN neg, r, 8, 0x80, ZF|AF|PF, 0x80, OF|SF|CF, ARITH
        UN neg, m, 8, 0x7F, OF|ZF, 0x81, SF|AF|PF|CF, ARITH
        UN neg, r, 8, 0xFF, OF|SF|ZF|PF, 0x01, AF|CF, ARITH
        UN neg, m, 8, 0x10, OF|ZF|AF, 0xF0, SF|PF|CF, ARITH
        GROUP "neg16"
        UN neg, r, 16, 0x0000, OF|SF|AF|CF, 0x0000, ZF|PF, ARITH
        UN neg, m, 16, 0x0001, OF|ZF, 0xFFFF, SF|AF|PF|CF, ARITH
        UN neg, r, 16, 0x8000, ZF|AF, 0x8000, OF|SF|PF|CF, ARITH
        UN neg, m, 16, 0x7FFF, OF|ZF|PF, 0x8001, SF|AF|CF, ARITH
        UN neg, r, 16, 0xFFFF, OF|SF|ZF|PF, 0x0001, AF|CF, ARITH
        UN neg, m, 16, 0x0010, OF|ZF|AF, 0xFFF0, SF|PF|CF, ARITH
        GROUP "neg32"
        UN neg, r, 32, 0x00000000, OF|SF|AF|CF, 0x00000000, ZF|PF, ARITH
        UN neg, m, 32, 0x00000001, OF|ZF, 0xFFFFFFFF, SF|AF|PF|CF, ARITH
        UN neg, r, 32, 0x80000000, ZF|AF, 0x80000000, OF|SF|PF|CF, ARITH
        UN neg, m, 32, 0x7FFFFFFF, OF|ZF|PF, 0x80000001, SF|AF|CF, ARITH
        UN neg, r, 32, 0xFFFFFFFF, OF|SF|ZF|PF, 0x00000001, AF|CF, ARITH
        UN neg, m, 32, 0x00000010, OF|ZF|AF, 0xFFFFFFF0, SF|PF|CF, ARITH
        GROUP "not8"
        UN not, r, 8, 0x00, OF|SF|ZF|AF|PF|CF, 0xFF, OF|SF|ZF|AF|PF|CF, ARITH
        UN not, m, 8, 0x5A, 0, 0xA5, 0, ARITH
        UN not, r, 8, 0xFF, OF|ZF|CF, 0x00, OF|ZF|CF, ARITH
        GROUP "not16"
        UN not, r, 16, 0x0000, OF|SF|ZF|AF|PF|CF, 0xFFFF, OF|SF|ZF|AF|PF|CF, ARITH
        UN not, m, 16, 0x5A5A, 0, 0xA5A5, 0, ARITH
        UN not, r, 16, 0xFFFF, OF|ZF|CF, 0x0000, OF|ZF|CF, ARITH
        GROUP "not32"
        UN not, r, 32, 0x00000000, OF|SF|ZF|AF|PF|CF, 0xFFFFFFFF, OF|SF|ZF|AF|PF|CF, ARITH
        UN not, m, 32, 0x5A5A5A5A, 0, 0xA5A5A5A5, 0, ARITH
        UN not, r, 32, 0xFFFFFFFF, OF|ZF|CF, 0x00000000, OF|ZF|CF, ARITH
        GROUP "adc8 carry-in edges"
        ALU adc, rr, 8, 0x7F, 0x80, OF|SF|CF, 0x00, ZF|AF|PF|CF, ARITH
        ALU adc, mi, 8, 0x80, 0x7F, OF|SF|CF, 0x00, ZF|AF|PF|CF, ARITH
        ALU adc, rm, 8, 0xFF, 0xFF, OF|ZF|CF, 0xFF, SF|AF|PF|CF, ARITH
        ALU adc, rr, 8, 0x00, 0xFF, OF|SF|CF, 0x00, ZF|AF|PF|CF, ARITH
        ALU adc, mi, 8, 0x7F, 0x00, ZF|PF|CF, 0x80, OF|SF|AF, ARITH
        ALU adc, rm, 8, 0x80, 0x00, OF|ZF|AF|CF, 0x81, SF|PF, ARITH
        GROUP "adc16 carry-in edges"
        ALU adc, rr, 16, 0x7FFF, 0x8000, OF|SF|CF, 0x0000, ZF|AF|PF|CF, ARITH
        ALU adc, mi, 16, 0x8000, 0x7FFF, OF|SF|CF, 0x0000, ZF|AF|PF|CF, ARITH
        ALU adc, rm, 16, 0xFFFF, 0xFFFF, OF|ZF|CF, 0xFFFF, SF|AF|PF|CF, ARITH
        ALU adc, rr, 16, 0x0000, 0xFFFF, OF|SF|CF, 0x0000, ZF|AF|PF|CF, ARITH
        ALU adc, mi, 16, 0x7FFF, 0x0000, ZF|CF, 0x8000, OF|SF|AF|PF, ARITH
        ALU adc, rm, 16, 0x8000, 0x0000, OF|ZF|AF|PF|CF, 0x8001, SF, ARITH
        GROUP "adc32 carry-in edges"
        ALU adc, rr, 32, 0x7FFFFFFF, 0x80000000, OF|SF|CF, 0x00000000, ZF|AF|PF|CF, ARITH
        ALU adc, mi, 32, 0x80000000, 0x7FFFFFFF, OF|SF|CF, 0x00000000, ZF|AF|PF|CF, ARITH
        ALU adc, rm, 32, 0xFFFFFFFF, 0xFFFFFFFF, OF|ZF|CF, 0xFFFFFFFF, SF|AF|PF|CF, ARITH
        ALU adc, rr, 32, 0x00000000, 0xFFFFFFFF, OF|SF|CF, 0x00000000, ZF|AF|PF|CF, ARITH
        ALU adc, mi, 32, 0x7FFFFFFF, 0x00000000, ZF|CF, 0x80000000, OF|SF|AF|PF, ARITH
        ALU adc, rm, 32, 0x80000000, 0x00000000, OF|ZF|AF|PF|CF, 0x80000001, SF, ARITH
        GROUP "sbb8 carry-in edges"
        ALU sbb, rr, 8, 0x7F, 0x80, ZF|AF|PF|CF, 0xFE, OF|SF|CF, ARITH
        ALU sbb, mi, 8, 0x80, 0x7F, SF|CF, 0x00, OF|ZF|AF|PF, ARITH
        ALU sbb, rm, 8, 0xFF, 0xFF, OF|ZF|CF, 0xFF, SF|AF|PF|CF, ARITH
        ALU sbb, rr, 8, 0x00, 0xFF, OF|SF|CF, 0x00, ZF|AF|PF|CF, ARITH
        ALU sbb, mi, 8, 0x7F, 0x00, OF|SF|ZF|AF|CF, 0x7E, PF, ARITH
        ALU sbb, rm, 8, 0x80, 0x00, SF|ZF|PF|CF, 0x7F, OF|AF, ARITH
        GROUP "sbb16 carry-in edges"
        ALU sbb, rr, 16, 0x7FFF, 0x8000, ZF|AF|PF|CF, 0xFFFE, OF|SF|CF, ARITH
        ALU sbb, mi, 16, 0x8000, 0x7FFF, SF|CF, 0x0000, OF|ZF|AF|PF, ARITH
        ALU sbb, rm, 16, 0xFFFF, 0xFFFF, OF|ZF|CF, 0xFFFF, SF|AF|PF|CF, ARITH
        ALU sbb, rr, 16, 0x0000, 0xFFFF, OF|SF|CF, 0x0000, ZF|AF|PF|CF, ARITH
        ALU sbb, mi, 16, 0x7FFF, 0x0000, OF|SF|ZF|AF|PF|CF, 0x7FFE, 0, ARITH
        ALU sbb, rm, 16, 0x8000, 0x0000, SF|ZF|CF, 0x7FFF, OF|AF|PF, ARITH
        GROUP "sbb32 carry-in edges"
        ALU sbb, rr, 32, 0x7FFFFFFF, 0x80000000, ZF|AF|PF|CF, 0xFFFFFFFE, OF|SF|CF, ARITH
        ALU sbb, mi, 32, 0x80000000, 0x7FFFFFFF, SF|CF, 0x00000000, OF|ZF|AF|PF, ARITH
        ALU sbb, rm, 32, 0xFFFFFFFF, 0xFFFFFFFF, OF|ZF|CF, 0xFFFFFFFF, SF|AF|PF|CF, ARITH
        ALU sbb, rr, 32, 0x00000000, 0xFFFFFFFF, OF|SF|CF, 0x00000000, ZF|AF|PF|CF, ARITH
        ALU sbb, mi, 32, 0x7FFFFFFF, 0x00000000, OF|SF|ZF|AF|PF|CF, 0x7FFFFFFE, 0, ARITH
        ALU sbb, rm, 32, 0x80000000, 0x00000000, SF|ZF|CF, 0x7FFFFFFF, OF|AF|PF, ARITH

; ---------------------------------------------------------------------------------------------
; register encodings
; ---------------------------------------------------------------------------------------------
        GROUP "high-byte regs"
        mov eax, 0x11223344
        mov ebx, 0x55667788
        mov ecx, 0x99AABBCC
        mov edx, 0xDDEEFF00
        SETF 0
        add ah, bh                      ; 33+77 = AA
        CHECKF SF|PF|OF
        SETF 0
        sub ch, dh                      ; BB-FF = BC, borrow
        CHECKF CF|AF|SF
        xor dh, al                      ; FF^44 = BB
        or bl, ch                       ; 88|BC = BC
        and bh, ah                      ; 77&AA = 22
        SETF CF
        adc dl, ah                      ; 00+AA+1 = AB
        SETF 0
        cmp bh, ch                      ; 22-BC = 66: CF, no store
        CHECKF CF|AF|PF
        CHECK eax, 0x1122AA44
        CHECK ebx, 0x556622BC
        CHECK ecx, 0x99AABCCC
        CHECK edx, 0xDDEEBBAB

        GROUP "reg,r/m direction bit"
        mov eax, 0x12345610
        mov ecx, 0x00000020
        db 0x02, 0xC1                   ; add al, cl  (02 /r, mod=11)
        CHECK eax, 0x12345630
        mov eax, 0x00010000
        mov ecx, 0x00000001
        db 0x66, 0x2B, 0xC1             ; sub eax, ecx (2B /r, mod=11)
        CHECK eax, 0x0000FFFF
        mov ebx, 0xFFFF0F0F
        mov edx, 0x0000F0F0
        db 0x0B, 0xDA                   ; or bx, dx (0B /r)
        CHECK ebx, 0xFFFFFFFF

        GROUP "all GPRs as operands"
        mov eax, 1
        mov ecx, 2
        mov edx, 4
        mov ebx, 8
        mov ebp, 0x10
        mov esi, 0x20
        mov edi, 0x40
        add edi, esi                    ; 60
        add esi, ebp                    ; 30
        add ebp, ebx                    ; 18
        add ebx, edx                    ; 0C
        add edx, ecx                    ; 06
        add ecx, eax                    ; 03
        add eax, edi                    ; 61
        sub di, bp                      ; 60-18 = 48
        xor si, di                      ; 30^48 = 78
        or bp, si                       ; 18|78 = 78
        and bx, bp                      ; 0C&78 = 08
        adc dx, bx                      ; (CF=0 from AND) 06+08 = 0E
        sbb cx, dx                      ; 03-0E = FFF5, CF=1
        sbb ax, ax                      ; 61-61-1 = FFFF
        CHECK eax, 0x0000FFFF
        CHECK ecx, 0x0000FFF5
        CHECK edx, 0x0000000E
        CHECK ebx, 0x00000008
        CHECK ebp, 0x00000078
        CHECK esi, 0x00000078
        CHECK edi, 0x00000048
        mov edx, esp                    ; ESP as an ALU operand
        sub esp, 0x20
        mov eax, esp
        add esp, edx
        mov ecx, esp
        mov esp, edx
        CHECK eax, STACK_TOP - 0x20
        CHECK ecx, 2 * STACK_TOP - 0x20

        GROUP "inc/dec 40-4F on every register"
        mov eax, 0x0001FFFF
        mov ecx, 0x00010000
        mov edx, 0x7FFFFFFF
        mov ebx, 0x80000000
        mov ebp, 0x00000100
        mov esi, 0x0000FFFF
        mov edi, 0xFFFFFFFF
        mov dword [DATA], 0
        inc ax                          ; 40
        dec cx                          ; 49
        inc edx                         ; 66 42
        dec ebx                         ; 66 4B
        inc sp                          ; 44
        inc sp
        mov [DATA], sp
        dec sp                          ; 4C
        dec sp
        dec bp                          ; 4D
        inc esi                         ; 66 46
        inc di                          ; 47
        dec si                          ; 4E
        dec edi                         ; 66 4F
        inc cx                          ; 41
        dec dx                          ; 4A
        inc bx                          ; 43
        inc bp                          ; 45
        dec ax                          ; 48
        CHECK eax, 0x0001FFFF
        CHECK ecx, 0x00010000
        CHECK edx, 0x8000FFFF
        CHECK ebx, 0x7FFF0000
        CHECK ebp, 0x00000100
        CHECK esi, 0x0001FFFF
        CHECK edi, 0xFFFEFFFF
        CHECK dword [DATA], STACK_TOP + 2

; ---------------------------------------------------------------------------------------------
; memory operands
; ---------------------------------------------------------------------------------------------
        GROUP "16-bit addressing modes"
        mov bx, DATA                    ; word at linear L (DATA <= L < DATA+0x400) holds L
.fill:  mov [bx], bx
        add bx, 2
        cmp bx, DATA + 0x400
        jne .fill
        mov ax, 0x0100                  ; SS base 0x1000: BP-based modes must use it
        mov ss, ax
        mov sp, STACK_TOP - 0x1000
        mov bx, DATA + 0x10
        mov si, 0x0020
        mov di, 0x0040
        mov bp, DATA - 0x1000 + 0x100
        xor eax, eax
        add ax, [bx+si]
        CHECK eax, DATA + 0x30
        xor eax, eax
        add ax, [bx+di]
        CHECK eax, DATA + 0x50
        xor eax, eax
        add ax, [bp+si]
        CHECK eax, DATA + 0x120
        xor eax, eax
        add ax, [bp+di]
        CHECK eax, DATA + 0x140
        xor eax, eax
        add ax, [si+DATA]
        CHECK eax, DATA + 0x20
        xor eax, eax
        add ax, [di+DATA]
        CHECK eax, DATA + 0x40
        xor eax, eax
        add ax, [DATA + 0x200]
        CHECK eax, DATA + 0x200
        xor eax, eax
        add ax, [bx]
        CHECK eax, DATA + 0x10
        xor eax, eax
        add ax, [bp+0x22]
        CHECK eax, DATA + 0x122
        xor eax, eax
        add ax, [bx+si+4]
        CHECK eax, DATA + 0x34
        xor eax, eax
        add ax, [bx+di-0x10]
        CHECK eax, DATA + 0x40
        xor eax, eax
        add ax, [bx+si+0x100]
        CHECK eax, DATA + 0x130
        xor eax, eax
        add ax, [bp+di+0x80]            ; disp16 with BP
        CHECK eax, DATA + 0x1C0
        mov bx, 0xFFF0                  ; offset arithmetic wraps at 64K
        mov si, DATA + 0x20
        xor eax, eax
        add ax, [bx+si]
        CHECK eax, DATA + 0x10

        GROUP "segment overrides"
        mov ax, 0x0010                  ; ES base 0x100
        mov es, ax
        mov ax, DATA >> 4               ; FS base DATA
        mov fs, ax
        mov ax, 0x0700                  ; GS base 0x7000
        mov gs, ax
        mov bx, DATA - 0x100 + 0x10
        xor eax, eax
        add ax, [es:bx]
        CHECK eax, DATA + 0x10
        mov bx, DATA - 0x1000 + 0x10
        xor eax, eax
        add ax, [ss:bx]
        CHECK eax, DATA + 0x10
        mov bp, DATA
        mov si, 0x20
        xor eax, eax
        add ax, [ds:bp+si]
        CHECK eax, DATA + 0x20
        mov di, 0x40
        xor eax, eax
        add ax, [fs:di]
        CHECK eax, DATA + 0x40
        xor eax, eax
        add ax, [gs:si+0x1000]
        CHECK eax, DATA + 0x20
        mov eax, 0x11111111
        add eax, [cs:rom_dword]
        CHECK eax, 0x11111111 + 0x0F0E0D0C
        mov dword [es:DATA - 0x100 + 0x300], 0x01020304    ; write through ES
        mov eax, [DATA + 0x300]
        CHECK eax, 0x01020304

        GROUP "32-bit addressing modes (67)"
        mov ebx, DATA + 0x10
        mov ecx, 8
        mov esi, 0x20
        mov edi, 0x40
        mov ebp, DATA - 0x1000 + 0x100  ; SS base is still 0x1000
        xor eax, eax
        add ax, [ebx+ecx*4+8]
        CHECK eax, DATA + 0x38
        xor eax, eax
        add ax, [ebx+esi]
        CHECK eax, DATA + 0x30
        xor eax, eax
        add ax, [esi*2+DATA]            ; SIB, no base, disp32
        CHECK eax, DATA + 0x40
        xor eax, eax
        add ax, [dword DATA + 0x200]    ; mod=00 rm=101: disp32
        CHECK eax, DATA + 0x200
        xor eax, eax
        add ax, [ebx]
        CHECK eax, DATA + 0x10
        xor eax, eax
        add ax, [ebx+ecx*8-0x10]
        CHECK eax, DATA + 0x40
        xor eax, eax
        add ax, [edi+ebx]
        CHECK eax, DATA + 0x50
        xor eax, eax
        add ax, [ebp+esi]               ; EBP base: SS
        CHECK eax, DATA + 0x120
        xor eax, eax
        add ax, [ebp+esi*2+4]
        CHECK eax, DATA + 0x144
        xor eax, eax
        add ax, [ebp+0x100]             ; EBP base, disp32
        CHECK eax, DATA + 0x200
        push dword 0xCAFEF00D
        mov eax, 0x01010101
        add eax, [esp]                  ; ESP base: SS, SIB
        add esp, 4
        CHECK eax, 0xCBFFF10E
        xor eax, eax
        mov ecx, 0x44
        add ax, [ds:ebp+ecx+0x1000]     ; override EBP's default (SS would give unfilled 0x9144)
        CHECK eax, DATA + 0x144
        xor ax, ax
        mov ss, ax
        mov esp, STACK_TOP

        GROUP "lea"
        mov eax, 0xFFFF0000
        mov bx, 0x1000
        mov si, 0x0234
        lea ax, [bx+si+5]
        CHECK eax, 0xFFFF1239
        mov bx, 0xFFFF
        mov si, 2
        lea eax, [bx+si]                ; 16-bit address, zero-extended
        CHECK eax, 0x00000001
        mov ebx, 0x12345678
        mov edx, 0x10
        lea ecx, [ebx+edx*8-3]
        CHECK ecx, 0x123456F5
        mov edx, 0xAAAA0000
        mov ecx, 0x11111111
        lea dx, [ebx+ecx]               ; 32-bit address truncated to 16
        CHECK edx, 0xAAAA6789
        mov edi, 0x01000001
        lea edi, [edi+edi*2]
        CHECK edi, 0x03000003
        mov bp, 0xFFFE
        mov di, 4
        lea si, [bp+di]
        CHECK esi, 0x0000002
        mov eax, 0x80000000
        lea eax, [eax*2+5]
        CHECK eax, 5

        GROUP "carry chains"
        mov eax, 0xFFFFFFFF
        mov edx, 0xFFFFFFFF
        add eax, 1
        adc edx, 0
        CHECKF CF|ZF|PF|AF
        CHECK eax, 0
        CHECK edx, 0
        sub eax, 1
        sbb edx, 0
        CHECKF CF|SF|PF|AF
        CHECK eax, 0xFFFFFFFF
        CHECK edx, 0xFFFFFFFF
        mov dword [DATA], 0x89ABCDEF    ; 64-bit add in memory
        mov dword [DATA+4], 0x01234567
        mov eax, 0x76543211
        mov edx, 0xFEDCBA98
        add [DATA], eax
        adc [DATA+4], edx
        CHECKF CF|ZF|PF|AF
        CHECK dword [DATA], 0
        CHECK dword [DATA+4], 0

        GROUP "lock prefix"
        mov dword [DATA], 0x7FFFFFFF
        mov ecx, 1
        SETF 0
        lock add [DATA], ecx
        CHECKF OF|SF|AF|PF
        CHECK dword [DATA], 0x80000000
        lock inc word [DATA]
        lock xor dword [DATA], 0x80000001
        lock sbb byte [DATA+1], 1
        CHECK dword [DATA], 0x0000FF00

        HARNESS_PASS

rom_dword: dd 0x0F0E0D0C

        HARNESS_END
