; real-shift.asm - real-mode shifts and rotates: SHL SHR SAR ROL ROR RCL RCR in the D0/D1 (by 1),
; D2/D3 (by CL) and C0/C1 (imm8) forms on 8-, 16- and 32-bit register and memory operands, and
; SHLD/SHRD (imm8 and CL). Counts 0, 1, width-1, width, >width, and >=32 (masked to 5 bits; RCL/RCR
; 8/16-bit rotate by count mod 9/17).
; Checked: the result (and that bits above the operand are preserved), CF where defined, OF only
; for count 1, SF/ZF/PF after shifts with a nonzero count, and that a zero (masked) count leaves
; every flag alone and rotates leave SF/ZF/AF/PF alone.
; Not checked (SDM: undefined): AF after shifts, OF for counts > 1, CF of SHL/SHR when
; count >= width, SHLD/SHRD results for counts > width.
%define TEST_NAME "real-shift"
%include "harness.inc"

%macro SIZEDEFS 1
  %if %1 == 8
    %define _A al
    %define _B bl
    %define _SZ byte
    %assign _PAT 0x5A5A5A00
  %elif %1 == 16
    %define _A ax
    %define _B bx
    %define _SZ word
    %assign _PAT 0xA5A50000
  %else
    %define _A eax
    %define _B ebx
    %define _SZ dword
    %assign _PAT 0
  %endif
%endmacro

; SH op, form, size, value, count, flags_in, result, flags_out, mask   (2 checks)
; forms: 1 = D0/D1 on AL/AX/EAX     i = C0/C1 imm8 on AL/AX/EAX     c = D2/D3 by CL on BL/BX/EBX
;        m1 / mi / mc = the same on a memory operand
; CH and the rest of ECX hold garbage: only CL may count.
%macro SH 9
        SIZEDEFS %3
        mov ecx, 0x7F3C5A00 | (%5)
  %ifidn %2, 1
        mov eax, _PAT | (%4)
        SETF %6
        %1 _A, 1
        CHECK eax, _PAT | (%7)
  %elifidn %2, i
        mov eax, _PAT | (%4)
        SETF %6
        %1 _A, strict byte %5
        CHECK eax, _PAT | (%7)
  %elifidn %2, c
        mov ebx, _PAT | (%4)
        SETF %6
        %1 _B, cl
        CHECK ebx, _PAT | (%7)
  %elifidn %2, m1
        mov dword [DATA], _PAT | (%4)
        SETF %6
        %1 _SZ [DATA], 1
        CHECK dword [DATA], _PAT | (%7)
  %elifidn %2, mi
        mov dword [DATA], _PAT | (%4)
        SETF %6
        %1 _SZ [DATA], strict byte %5
        CHECK dword [DATA], _PAT | (%7)
  %elifidn %2, mc
        mov dword [DATA], _PAT | (%4)
        SETF %6
        %1 _SZ [DATA], cl
        CHECK dword [DATA], _PAT | (%7)
  %else
    %error unknown SH form %2
  %endif
        CHECKF %8, %9
%endmacro

; SHD op, form, size, dest, src, count, flags_in, result, flags_out, mask   (2 checks; + src kept)
; forms: i = imm8, c = CL, on AX/EAX;  mi / mc = on a memory destination.  Source is BX/EBX.
%macro SHD 10
        SIZEDEFS %3
        mov ecx, 0x11223300 | (%6)
        mov ebx, _PAT | (%5)
  %ifidn %2, i
        mov eax, _PAT | (%4)
        SETF %7
        %1 _A, _B, %6
        CHECK eax, _PAT | (%8)
  %elifidn %2, c
        mov eax, _PAT | (%4)
        SETF %7
        %1 _A, _B, cl
        CHECK eax, _PAT | (%8)
  %elifidn %2, mi
        mov dword [DATA], _PAT | (%4)
        SETF %7
        %1 _SZ [DATA], _B, %6
        CHECK dword [DATA], _PAT | (%8)
  %elifidn %2, mc
        mov dword [DATA], _PAT | (%4)
        SETF %7
        %1 _SZ [DATA], _B, cl
        CHECK dword [DATA], _PAT | (%8)
  %else
    %error unknown SHD form %2
  %endif
        CHECKF %9, %10
%endmacro

start:
        HARNESS_INIT

; table-driven cases (values derived from the SDM pseudo-code, confirmed on QEMU)
        GROUP "shl8"
        SH shl, 1, 8, 0x81, 1, SF|ZF|PF, 0x02, OF|CF, OF|SF|ZF|PF|CF
        SH shl, c, 8, 0x40, 0, SF|AF|PF|CF, 0x40, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH shl, mi, 8, 0x01, 7, ZF|PF|CF, 0x80, SF, SF|ZF|PF|CF
        SH shl, mc, 8, 0xFF, 3, ZF|PF, 0xF8, SF|CF, SF|ZF|PF|CF
        SH shl, 1, 8, 0x5A, 1, ZF|CF, 0xB4, OF|SF|PF, OF|SF|ZF|PF|CF
        SH shl, c, 8, 0xC3, 4, SF|ZF|CF, 0x30, PF, SF|ZF|PF|CF
        SH shl, mi, 8, 0x81, 8, SF, 0x00, ZF|PF, SF|ZF|PF
        SH shl, mc, 8, 0x40, 9, SF, 0x00, ZF|PF, SF|ZF|PF
        SH shl, i, 8, 0x01, 31, SF, 0x00, ZF|PF, SF|ZF|PF
        SH shl, c, 8, 0xFF, 32, SF|AF|PF|CF, 0xFF, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        GROUP "shl16"
        SH shl, i, 16, 0x4000, 1, ZF|CF, 0x8000, OF|SF|PF, OF|SF|ZF|PF|CF
        SH shl, mi, 16, 0x0001, 0, OF|SF|ZF|AF|PF, 0x0001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH shl, mc, 16, 0xFFFF, 15, ZF, 0x8000, SF|PF|CF, SF|ZF|PF|CF
        SH shl, i, 16, 0x5A5A, 5, SF|ZF|PF, 0x4B40, CF, SF|ZF|PF|CF
        SH shl, i, 16, 0xC003, 1, OF|ZF, 0x8006, SF|PF|CF, OF|SF|ZF|PF|CF
        SH shl, mi, 16, 0x8001, 8, SF|ZF|CF, 0x0100, PF, SF|ZF|PF|CF
        SH shl, mc, 16, 0x4000, 16, SF, 0x0000, ZF|PF, SF|ZF|PF
        SH shl, i, 16, 0x0001, 17, SF, 0x0000, ZF|PF, SF|ZF|PF
        SH shl, c, 16, 0xFFFF, 31, SF, 0x0000, ZF|PF, SF|ZF|PF
        SH shl, mi, 16, 0x5A5A, 33, ZF|CF, 0xB4B4, OF|SF|PF, OF|SF|ZF|PF|CF
        GROUP "shl32"
        SH shl, c, 32, 0x00000001, 1, OF|SF|ZF|PF|CF, 0x00000002, 0, OF|SF|ZF|PF|CF
        SH shl, mc, 32, 0xFFFFFFFF, 0, SF|AF|PF|CF, 0xFFFFFFFF, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH shl, i, 32, 0x5A5A5A5A, 31, SF, 0x00000000, ZF|PF|CF, SF|ZF|PF|CF
        SH shl, c, 32, 0xC0000003, 13, SF|ZF|CF, 0x00006000, PF, SF|ZF|PF|CF
        SH shl, c, 32, 0x80000001, 1, SF|ZF|PF, 0x00000002, OF|CF, OF|SF|ZF|PF|CF
        SH shl, mc, 32, 0x40000000, 16, SF|CF, 0x00000000, ZF|PF, SF|ZF|PF|CF
        SH shl, i, 32, 0x00000001, 32, OF|SF|ZF|AF|PF, 0x00000001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH shl, c, 32, 0xFFFFFFFF, 33, OF|ZF|PF, 0xFFFFFFFE, SF|CF, OF|SF|ZF|PF|CF
        SH shl, mi, 32, 0x5A5A5A5A, 8, SF|ZF|CF, 0x5A5A5A00, PF, SF|ZF|PF|CF
        SH shl, m1, 32, 0xC0000003, 1, OF|ZF, 0x80000006, SF|PF|CF, OF|SF|ZF|PF|CF
        GROUP "shr8"
        SH shr, m1, 8, 0xFF, 1, SF|ZF|PF, 0x7F, OF|CF, OF|SF|ZF|PF|CF
        SH shr, i, 8, 0x5A, 0, OF|SF|ZF|AF|PF, 0x5A, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH shr, c, 8, 0xC3, 7, SF|ZF|PF, 0x01, CF, SF|ZF|PF|CF
        SH shr, mi, 8, 0x81, 3, SF|ZF|PF|CF, 0x10, 0, SF|ZF|PF|CF
        SH shr, m1, 8, 0x40, 1, OF|SF|ZF|PF|CF, 0x20, 0, OF|SF|ZF|PF|CF
        SH shr, i, 8, 0x01, 4, SF|CF, 0x00, ZF|PF, SF|ZF|PF|CF
        SH shr, c, 8, 0xFF, 8, SF, 0x00, ZF|PF, SF|ZF|PF
        SH shr, mi, 8, 0x5A, 9, SF, 0x00, ZF|PF, SF|ZF|PF
        SH shr, mc, 8, 0xC3, 31, SF, 0x00, ZF|PF, SF|ZF|PF
        SH shr, i, 8, 0x81, 32, OF|SF|ZF|AF|PF, 0x81, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        GROUP "shr16"
        SH shr, 1, 16, 0x5A5A, 1, OF|SF|ZF|CF, 0x2D2D, PF, OF|SF|ZF|PF|CF
        SH shr, c, 16, 0xC003, 0, SF|AF|PF|CF, 0xC003, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH shr, mi, 16, 0x8001, 15, SF|ZF|PF|CF, 0x0001, 0, SF|ZF|PF|CF
        SH shr, mc, 16, 0x4000, 5, SF|ZF|CF, 0x0200, PF, SF|ZF|PF|CF
        SH shr, 1, 16, 0x0001, 1, OF|SF, 0x0000, ZF|PF|CF, OF|SF|ZF|PF|CF
        SH shr, c, 16, 0xFFFF, 8, SF|ZF, 0x00FF, PF|CF, SF|ZF|PF|CF
        SH shr, mi, 16, 0x5A5A, 16, SF, 0x0000, ZF|PF, SF|ZF|PF
        SH shr, mc, 16, 0xC003, 17, SF, 0x0000, ZF|PF, SF|ZF|PF
        SH shr, i, 16, 0x8001, 31, SF, 0x0000, ZF|PF, SF|ZF|PF
        SH shr, c, 16, 0x4000, 33, OF|SF|ZF|CF, 0x2000, PF, OF|SF|ZF|PF|CF
        GROUP "shr32"
        SH shr, i, 32, 0xC0000003, 1, SF|ZF|PF, 0x60000001, OF|CF, OF|SF|ZF|PF|CF
        SH shr, mi, 32, 0x80000001, 0, OF|SF|ZF|AF|PF, 0x80000001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH shr, mc, 32, 0x40000000, 31, SF, 0x00000000, ZF|PF|CF, SF|ZF|PF|CF
        SH shr, i, 32, 0x00000001, 13, SF|CF, 0x00000000, ZF|PF, SF|ZF|PF|CF
        SH shr, i, 32, 0xFFFFFFFF, 1, SF|ZF, 0x7FFFFFFF, OF|PF|CF, OF|SF|ZF|PF|CF
        SH shr, mi, 32, 0x5A5A5A5A, 16, SF|ZF|CF, 0x00005A5A, PF, SF|ZF|PF|CF
        SH shr, mc, 32, 0xC0000003, 32, SF|AF|PF|CF, 0xC0000003, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH shr, i, 32, 0x80000001, 33, SF|ZF, 0x40000000, OF|PF|CF, OF|SF|ZF|PF|CF
        SH shr, c, 32, 0x40000000, 8, SF|ZF|CF, 0x00400000, PF, SF|ZF|PF|CF
        SH shr, c, 32, 0x00000001, 1, OF|SF, 0x00000000, ZF|PF|CF, OF|SF|ZF|PF|CF
        GROUP "sar8"
        SH sar, c, 8, 0x81, 1, OF|ZF, 0xC0, SF|PF|CF, OF|SF|ZF|PF|CF
        SH sar, mc, 8, 0x40, 0, SF|AF|PF|CF, 0x40, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH sar, i, 8, 0x01, 7, SF|CF, 0x00, ZF|PF, SF|ZF|PF|CF
        SH sar, c, 8, 0xFF, 3, ZF, 0xFF, SF|PF|CF, SF|ZF|PF|CF
        SH sar, c, 8, 0x5A, 1, OF|SF|ZF|CF, 0x2D, PF, OF|SF|ZF|PF|CF
        SH sar, mc, 8, 0xC3, 4, ZF|CF, 0xFC, SF|PF, SF|ZF|PF|CF
        SH sar, i, 8, 0x81, 8, ZF, 0xFF, SF|PF|CF, SF|ZF|PF|CF
        SH sar, c, 8, 0x40, 9, SF|CF, 0x00, ZF|PF, SF|ZF|PF|CF
        SH sar, mi, 8, 0x01, 31, SF|CF, 0x00, ZF|PF, SF|ZF|PF|CF
        SH sar, mc, 8, 0xFF, 32, SF|AF|PF|CF, 0xFF, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        GROUP "sar16"
        SH sar, m1, 16, 0x4000, 1, OF|SF|ZF|CF, 0x2000, PF, OF|SF|ZF|PF|CF
        SH sar, i, 16, 0x0001, 0, OF|SF|ZF|AF|PF, 0x0001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH sar, c, 16, 0xFFFF, 15, ZF, 0xFFFF, SF|PF|CF, SF|ZF|PF|CF
        SH sar, mi, 16, 0x5A5A, 5, SF|ZF, 0x02D2, PF|CF, SF|ZF|PF|CF
        SH sar, m1, 16, 0xC003, 1, OF|ZF|PF, 0xE001, SF|CF, OF|SF|ZF|PF|CF
        SH sar, i, 16, 0x8001, 8, ZF|PF|CF, 0xFF80, SF, SF|ZF|PF|CF
        SH sar, c, 16, 0x4000, 16, SF|CF, 0x0000, ZF|PF, SF|ZF|PF|CF
        SH sar, mi, 16, 0x0001, 17, SF|CF, 0x0000, ZF|PF, SF|ZF|PF|CF
        SH sar, mc, 16, 0xFFFF, 31, ZF, 0xFFFF, SF|PF|CF, SF|ZF|PF|CF
        SH sar, i, 16, 0x5A5A, 33, OF|SF|ZF|CF, 0x2D2D, PF, OF|SF|ZF|PF|CF
        GROUP "sar32"
        SH sar, 1, 32, 0x00000001, 1, OF|SF, 0x00000000, ZF|PF|CF, OF|SF|ZF|PF|CF
        SH sar, c, 32, 0xFFFFFFFF, 0, SF|AF|PF|CF, 0xFFFFFFFF, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH sar, mi, 32, 0x5A5A5A5A, 31, SF, 0x00000000, ZF|PF|CF, SF|ZF|PF|CF
        SH sar, mc, 32, 0xC0000003, 13, ZF|CF, 0xFFFE0000, SF|PF, SF|ZF|PF|CF
        SH sar, 1, 32, 0x80000001, 1, OF|ZF, 0xC0000000, SF|PF|CF, OF|SF|ZF|PF|CF
        SH sar, c, 32, 0x40000000, 16, SF|ZF|CF, 0x00004000, PF, SF|ZF|PF|CF
        SH sar, mi, 32, 0x00000001, 32, OF|SF|ZF|AF|PF, 0x00000001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH sar, mc, 32, 0xFFFFFFFF, 33, OF|ZF, 0xFFFFFFFF, SF|PF|CF, OF|SF|ZF|PF|CF
        SH sar, i, 32, 0x5A5A5A5A, 8, SF|ZF|CF, 0x005A5A5A, PF, SF|ZF|PF|CF
        SH sar, i, 32, 0xC0000003, 1, OF|ZF|PF, 0xE0000001, SF|CF, OF|SF|ZF|PF|CF
        GROUP "rol8"
        SH rol, i, 8, 0xFF, 1, OF|SF|PF, 0xFF, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rol, mi, 8, 0x5A, 0, OF|SF|ZF|AF|PF, 0x5A, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH rol, mc, 8, 0xC3, 7, OF|ZF|AF, 0xE1, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH rol, i, 8, 0x81, 3, OF|ZF|AF|CF, 0x0C, ZF|AF, SF|ZF|AF|PF|CF
        SH rol, i, 8, 0x40, 1, SF|PF|CF, 0x80, OF|SF|PF, OF|SF|ZF|AF|PF|CF
        SH rol, mi, 8, 0x01, 4, OF|SF|PF|CF, 0x10, SF|PF, SF|ZF|AF|PF|CF
        SH rol, mc, 8, 0xFF, 8, OF|ZF|AF, 0xFF, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH rol, i, 8, 0x5A, 9, OF|ZF|AF|CF, 0xB4, ZF|AF, SF|ZF|AF|PF|CF
        SH rol, c, 8, 0xC3, 31, OF|SF|PF, 0xE1, SF|PF|CF, SF|ZF|AF|PF|CF
        SH rol, mi, 8, 0x81, 32, OF|SF|ZF|AF|PF, 0x81, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        GROUP "rol16"
        SH rol, c, 16, 0x5A5A, 1, ZF|AF|CF, 0xB4B4, OF|ZF|AF, OF|SF|ZF|AF|PF|CF
        SH rol, mc, 16, 0xC003, 0, SF|AF|PF|CF, 0xC003, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rol, i, 16, 0x8001, 15, OF|SF|PF|CF, 0xC000, SF|PF, SF|ZF|AF|PF|CF
        SH rol, c, 16, 0x4000, 5, OF|SF|PF|CF, 0x0008, SF|PF, SF|ZF|AF|PF|CF
        SH rol, c, 16, 0x0001, 1, OF|ZF|AF|CF, 0x0002, ZF|AF, OF|SF|ZF|AF|PF|CF
        SH rol, mc, 16, 0xFFFF, 8, OF|ZF|AF, 0xFFFF, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH rol, i, 16, 0x5A5A, 16, OF|SF|PF|CF, 0x5A5A, SF|PF, SF|ZF|AF|PF|CF
        SH rol, c, 16, 0xC003, 17, OF|SF|PF, 0x8007, SF|PF|CF, SF|ZF|AF|PF|CF
        SH rol, mi, 16, 0x8001, 31, OF|ZF|AF|CF, 0xC000, ZF|AF, SF|ZF|AF|PF|CF
        SH rol, mc, 16, 0x4000, 33, ZF|AF|CF, 0x8000, OF|ZF|AF, OF|SF|ZF|AF|PF|CF
        GROUP "rol32"
        SH rol, m1, 32, 0xC0000003, 1, OF|SF|PF, 0x80000007, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rol, i, 32, 0x80000001, 0, OF|SF|ZF|AF|PF, 0x80000001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH rol, c, 32, 0x40000000, 31, OF|ZF|AF|CF, 0x20000000, ZF|AF, SF|ZF|AF|PF|CF
        SH rol, mi, 32, 0x00000001, 13, OF|ZF|AF|CF, 0x00002000, ZF|AF, SF|ZF|AF|PF|CF
        SH rol, m1, 32, 0xFFFFFFFF, 1, OF|SF|PF, 0xFFFFFFFF, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rol, i, 32, 0x5A5A5A5A, 16, OF|SF|PF|CF, 0x5A5A5A5A, SF|PF, SF|ZF|AF|PF|CF
        SH rol, c, 32, 0xC0000003, 32, SF|AF|PF|CF, 0xC0000003, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rol, mi, 32, 0x80000001, 33, ZF|AF, 0x00000003, OF|ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        SH rol, mc, 32, 0x40000000, 8, OF|SF|PF|CF, 0x00000040, SF|PF, SF|ZF|AF|PF|CF
        SH rol, 1, 32, 0x00000001, 1, OF|SF|PF|CF, 0x00000002, SF|PF, OF|SF|ZF|AF|PF|CF
        GROUP "ror8"
        SH ror, 1, 8, 0x81, 1, OF|ZF|AF, 0xC0, ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        SH ror, c, 8, 0x40, 0, SF|AF|PF|CF, 0x40, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH ror, mi, 8, 0x01, 7, OF|SF|PF|CF, 0x02, SF|PF, SF|ZF|AF|PF|CF
        SH ror, mc, 8, 0xFF, 3, OF|SF|PF, 0xFF, SF|PF|CF, SF|ZF|AF|PF|CF
        SH ror, 1, 8, 0x5A, 1, OF|ZF|AF|CF, 0x2D, ZF|AF, OF|SF|ZF|AF|PF|CF
        SH ror, c, 8, 0xC3, 4, OF|ZF|AF|CF, 0x3C, ZF|AF, SF|ZF|AF|PF|CF
        SH ror, mi, 8, 0x81, 8, OF|SF|PF, 0x81, SF|PF|CF, SF|ZF|AF|PF|CF
        SH ror, mc, 8, 0x40, 9, OF|SF|PF|CF, 0x20, SF|PF, SF|ZF|AF|PF|CF
        SH ror, i, 8, 0x01, 31, OF|ZF|AF|CF, 0x02, ZF|AF, SF|ZF|AF|PF|CF
        SH ror, c, 8, 0xFF, 32, SF|AF|PF|CF, 0xFF, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        GROUP "ror16"
        SH ror, i, 16, 0x4000, 1, OF|SF|PF|CF, 0x2000, SF|PF, OF|SF|ZF|AF|PF|CF
        SH ror, mi, 16, 0x0001, 0, OF|SF|ZF|AF|PF, 0x0001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH ror, mc, 16, 0xFFFF, 15, OF|ZF|AF, 0xFFFF, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH ror, i, 16, 0x5A5A, 5, OF|ZF|AF, 0xD2D2, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH ror, i, 16, 0xC003, 1, OF|SF|PF, 0xE001, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH ror, mi, 16, 0x8001, 8, OF|SF|PF|CF, 0x0180, SF|PF, SF|ZF|AF|PF|CF
        SH ror, mc, 16, 0x4000, 16, OF|ZF|AF|CF, 0x4000, ZF|AF, SF|ZF|AF|PF|CF
        SH ror, i, 16, 0x0001, 17, OF|ZF|AF, 0x8000, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH ror, c, 16, 0xFFFF, 31, OF|SF|PF, 0xFFFF, SF|PF|CF, SF|ZF|AF|PF|CF
        SH ror, mi, 16, 0x5A5A, 33, OF|SF|PF|CF, 0x2D2D, SF|PF, OF|SF|ZF|AF|PF|CF
        GROUP "ror32"
        SH ror, c, 32, 0x00000001, 1, ZF|AF, 0x80000000, OF|ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        SH ror, mc, 32, 0xFFFFFFFF, 0, SF|AF|PF|CF, 0xFFFFFFFF, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH ror, i, 32, 0x5A5A5A5A, 31, OF|SF|PF, 0xB4B4B4B4, SF|PF|CF, SF|ZF|AF|PF|CF
        SH ror, c, 32, 0xC0000003, 13, OF|SF|PF|CF, 0x001E0000, SF|PF, SF|ZF|AF|PF|CF
        SH ror, c, 32, 0x80000001, 1, OF|ZF|AF, 0xC0000000, ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        SH ror, mc, 32, 0x40000000, 16, OF|ZF|AF|CF, 0x00004000, ZF|AF, SF|ZF|AF|PF|CF
        SH ror, i, 32, 0x00000001, 32, OF|SF|ZF|AF|PF, 0x00000001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH ror, c, 32, 0xFFFFFFFF, 33, OF|SF|PF, 0xFFFFFFFF, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH ror, mi, 32, 0x5A5A5A5A, 8, OF|ZF|AF|CF, 0x5A5A5A5A, ZF|AF, SF|ZF|AF|PF|CF
        SH ror, m1, 32, 0xC0000003, 1, OF|ZF|AF, 0xE0000001, ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        GROUP "rcl8"
        SH rcl, m1, 8, 0xFF, 1, OF|SF|PF|CF, 0xFF, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcl, i, 8, 0x5A, 0, OF|SF|ZF|AF|PF, 0x5A, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH rcl, c, 8, 0xC3, 7, OF|ZF|AF|CF, 0xF0, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH rcl, mi, 8, 0x81, 3, OF|ZF|AF, 0x0A, ZF|AF, SF|ZF|AF|PF|CF
        SH rcl, m1, 8, 0x40, 1, SF|PF|CF, 0x81, OF|SF|PF, OF|SF|ZF|AF|PF|CF
        SH rcl, i, 8, 0x01, 4, OF|SF|PF, 0x10, SF|PF, SF|ZF|AF|PF|CF
        SH rcl, c, 8, 0xFF, 8, OF|ZF|AF|CF, 0xFF, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH rcl, mi, 8, 0x5A, 9, OF|ZF|AF, 0x5A, ZF|AF, SF|ZF|AF|PF|CF
        SH rcl, mc, 8, 0xC3, 31, OF|SF|PF|CF, 0x3E, SF|PF, SF|ZF|AF|PF|CF
        SH rcl, i, 8, 0x81, 32, OF|SF|ZF|AF|PF, 0x81, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        GROUP "rcl16"
        SH rcl, 1, 16, 0x5A5A, 1, ZF|AF, 0xB4B4, OF|ZF|AF, OF|SF|ZF|AF|PF|CF
        SH rcl, c, 16, 0xC003, 0, SF|AF|PF|CF, 0xC003, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcl, mi, 16, 0x8001, 15, OF|SF|PF, 0xA000, SF|PF, SF|ZF|AF|PF|CF
        SH rcl, mc, 16, 0x4000, 5, OF|SF|PF|CF, 0x0014, SF|PF, SF|ZF|AF|PF|CF
        SH rcl, 1, 16, 0x0001, 1, OF|ZF|AF, 0x0002, ZF|AF, OF|SF|ZF|AF|PF|CF
        SH rcl, c, 16, 0xFFFF, 8, OF|ZF|AF|CF, 0xFFFF, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH rcl, mi, 16, 0x5A5A, 16, OF|SF|PF, 0x2D2D, SF|PF, SF|ZF|AF|PF|CF
        SH rcl, mc, 16, 0xC003, 17, OF|SF|PF|CF, 0xC003, SF|PF|CF, SF|ZF|AF|PF|CF
        SH rcl, i, 16, 0x8001, 31, OF|ZF|AF, 0x5000, ZF|AF, SF|ZF|AF|PF|CF
        SH rcl, c, 16, 0x4000, 33, ZF|AF|CF, 0x8001, OF|ZF|AF, OF|SF|ZF|AF|PF|CF
        GROUP "rcl32"
        SH rcl, i, 32, 0xC0000003, 1, OF|SF|PF|CF, 0x80000007, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcl, mi, 32, 0x80000001, 0, OF|SF|ZF|AF|PF, 0x80000001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH rcl, mc, 32, 0x40000000, 31, OF|ZF|AF|CF, 0x50000000, ZF|AF, SF|ZF|AF|PF|CF
        SH rcl, i, 32, 0x00000001, 13, OF|ZF|AF, 0x00002000, ZF|AF, SF|ZF|AF|PF|CF
        SH rcl, i, 32, 0xFFFFFFFF, 1, OF|SF|PF|CF, 0xFFFFFFFF, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcl, mi, 32, 0x5A5A5A5A, 16, OF|SF|PF, 0x5A5A2D2D, SF|PF, SF|ZF|AF|PF|CF
        SH rcl, mc, 32, 0xC0000003, 32, SF|AF|PF|CF, 0xC0000003, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcl, i, 32, 0x80000001, 33, ZF|AF, 0x00000002, OF|ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        SH rcl, c, 32, 0x40000000, 8, OF|SF|PF|CF, 0x000000A0, SF|PF, SF|ZF|AF|PF|CF
        SH rcl, c, 32, 0x00000001, 1, OF|SF|PF, 0x00000002, SF|PF, OF|SF|ZF|AF|PF|CF
        GROUP "rcr8"
        SH rcr, c, 8, 0x81, 1, ZF|AF, 0x40, OF|ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        SH rcr, mc, 8, 0x40, 0, SF|AF|PF|CF, 0x40, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcr, i, 8, 0x01, 7, OF|SF|PF, 0x04, SF|PF, SF|ZF|AF|PF|CF
        SH rcr, c, 8, 0xFF, 3, OF|SF|PF|CF, 0xFF, SF|PF|CF, SF|ZF|AF|PF|CF
        SH rcr, c, 8, 0x5A, 1, OF|ZF|AF, 0x2D, ZF|AF, OF|SF|ZF|AF|PF|CF
        SH rcr, mc, 8, 0xC3, 4, OF|ZF|AF|CF, 0x7C, ZF|AF, SF|ZF|AF|PF|CF
        SH rcr, i, 8, 0x81, 8, OF|SF|PF, 0x02, SF|PF|CF, SF|ZF|AF|PF|CF
        SH rcr, c, 8, 0x40, 9, OF|SF|PF|CF, 0x40, SF|PF|CF, SF|ZF|AF|PF|CF
        SH rcr, mi, 8, 0x01, 31, OF|ZF|AF, 0x20, ZF|AF, SF|ZF|AF|PF|CF
        SH rcr, mc, 8, 0xFF, 32, SF|AF|PF|CF, 0xFF, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        GROUP "rcr16"
        SH rcr, m1, 16, 0x4000, 1, SF|PF|CF, 0xA000, OF|SF|PF, OF|SF|ZF|AF|PF|CF
        SH rcr, i, 16, 0x0001, 0, OF|SF|ZF|AF|PF, 0x0001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH rcr, c, 16, 0xFFFF, 15, OF|ZF|AF|CF, 0xFFFF, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH rcr, mi, 16, 0x5A5A, 5, OF|ZF|AF, 0xA2D2, ZF|AF|CF, SF|ZF|AF|PF|CF
        SH rcr, m1, 16, 0xC003, 1, OF|SF|PF|CF, 0xE001, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcr, i, 16, 0x8001, 8, OF|SF|PF, 0x0280, SF|PF, SF|ZF|AF|PF|CF
        SH rcr, c, 16, 0x4000, 16, OF|ZF|AF|CF, 0x8001, ZF|AF, SF|ZF|AF|PF|CF
        SH rcr, mi, 16, 0x0001, 17, OF|ZF|AF, 0x0001, ZF|AF, SF|ZF|AF|PF|CF
        SH rcr, mc, 16, 0xFFFF, 31, OF|SF|PF|CF, 0xFFFF, SF|PF|CF, SF|ZF|AF|PF|CF
        SH rcr, i, 16, 0x5A5A, 33, OF|SF|PF, 0x2D2D, SF|PF, OF|SF|ZF|AF|PF|CF
        GROUP "rcr32"
        SH rcr, 1, 32, 0x00000001, 1, OF|ZF|AF, 0x00000000, ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        SH rcr, c, 32, 0xFFFFFFFF, 0, SF|AF|PF|CF, 0xFFFFFFFF, SF|AF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcr, mi, 32, 0x5A5A5A5A, 31, OF|SF|PF, 0x69696968, SF|PF|CF, SF|ZF|AF|PF|CF
        SH rcr, mc, 32, 0xC0000003, 13, OF|SF|PF|CF, 0x003E0000, SF|PF, SF|ZF|AF|PF|CF
        SH rcr, 1, 32, 0x80000001, 1, ZF|AF, 0x40000000, OF|ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        SH rcr, c, 32, 0x40000000, 16, OF|ZF|AF|CF, 0x00014000, ZF|AF, SF|ZF|AF|PF|CF
        SH rcr, mi, 32, 0x00000001, 32, OF|SF|ZF|AF|PF, 0x00000001, OF|SF|ZF|AF|PF, OF|SF|ZF|AF|PF|CF
        SH rcr, mc, 32, 0xFFFFFFFF, 33, OF|SF|PF|CF, 0xFFFFFFFF, SF|PF|CF, OF|SF|ZF|AF|PF|CF
        SH rcr, i, 32, 0x5A5A5A5A, 8, OF|ZF|AF, 0xB45A5A5A, ZF|AF, SF|ZF|AF|PF|CF
        SH rcr, i, 32, 0xC0000003, 1, OF|ZF|AF|CF, 0xE0000001, ZF|AF|CF, OF|SF|ZF|AF|PF|CF
        GROUP "shld16"
        SHD shld, i, 16, 0x8001, 0xC3A5, 1, SF|ZF, 0x0003, OF|PF|CF, OF|SF|ZF|PF|CF
        SHD shld, c, 16, 0x1234, 0xABCD, 4, SF|ZF|PF, 0x234A, CF, SF|ZF|PF|CF
        SHD shld, mi, 16, 0xFFFF, 0x0000, 15, ZF, 0x8000, SF|PF|CF, SF|ZF|PF|CF
        SHD shld, mc, 16, 0x4000, 0x8000, 16, ZF|CF, 0x8000, SF|PF, SF|ZF|PF|CF
        SHD shld, i, 16, 0x8001, 0xC3A5, 0, OF|ZF|PF|CF, 0x8001, OF|ZF|PF|CF, OF|SF|ZF|AF|PF|CF
        SHD shld, c, 16, 0x1234, 0xABCD, 8, SF|ZF|PF|CF, 0x34AB, 0, SF|ZF|PF|CF
        SHD shld, mi, 16, 0x4000, 0x8000, 1, ZF|PF|CF, 0x8001, OF|SF, OF|SF|ZF|PF|CF
        SHD shld, mc, 16, 0x4000, 0x8000, 32, OF|ZF|PF|CF, 0x4000, OF|ZF|PF|CF, OF|SF|ZF|AF|PF|CF
        GROUP "shld32"
        SHD shld, i, 32, 0x80000001, 0xC3A5F00F, 1, SF|ZF, 0x00000003, OF|PF|CF, OF|SF|ZF|PF|CF
        SHD shld, c, 32, 0x12345678, 0x9ABCDEF0, 4, SF|ZF|PF, 0x23456789, CF, SF|ZF|PF|CF
        SHD shld, mi, 32, 0xFFFFFFFF, 0x00000000, 31, ZF, 0x80000000, SF|PF|CF, SF|ZF|PF|CF
        SHD shld, mc, 32, 0x40000000, 0x80000000, 16, SF|ZF|CF, 0x00008000, PF, SF|ZF|PF|CF
        SHD shld, i, 32, 0x80000001, 0xC3A5F00F, 0, OF|ZF|PF|CF, 0x80000001, OF|ZF|PF|CF, OF|SF|ZF|AF|PF|CF
        SHD shld, c, 32, 0x12345678, 0x9ABCDEF0, 8, SF|ZF|CF, 0x3456789A, PF, SF|ZF|PF|CF
        SHD shld, mi, 32, 0x40000000, 0x80000000, 1, ZF|PF|CF, 0x80000001, OF|SF, OF|SF|ZF|PF|CF
        SHD shld, mc, 32, 0x40000000, 0x80000000, 33, ZF|PF|CF, 0x80000001, OF|SF, OF|SF|ZF|PF|CF
        GROUP "shrd16"
        SHD shrd, i, 16, 0x8001, 0xC3A5, 1, OF|ZF, 0xC000, SF|PF|CF, OF|SF|ZF|PF|CF
        SHD shrd, c, 16, 0x1234, 0xABCD, 4, ZF|PF|CF, 0xD123, SF, SF|ZF|PF|CF
        SHD shrd, mi, 16, 0xFFFF, 0x0000, 15, SF|ZF|PF, 0x0001, CF, SF|ZF|PF|CF
        SHD shrd, mc, 16, 0x4000, 0x8000, 16, ZF|CF, 0x8000, SF|PF, SF|ZF|PF|CF
        SHD shrd, i, 16, 0x8001, 0xC3A5, 0, OF|ZF|PF|CF, 0x8001, OF|ZF|PF|CF, OF|SF|ZF|AF|PF|CF
        SHD shrd, c, 16, 0x1234, 0xABCD, 8, ZF|CF, 0xCD12, SF|PF, SF|ZF|PF|CF
        SHD shrd, mi, 16, 0x4000, 0x8000, 1, OF|SF|ZF|CF, 0x2000, PF, OF|SF|ZF|PF|CF
        SHD shrd, mc, 16, 0x4000, 0x8000, 32, OF|ZF|PF|CF, 0x4000, OF|ZF|PF|CF, OF|SF|ZF|AF|PF|CF
        GROUP "shrd32"
        SHD shrd, i, 32, 0x80000001, 0xC3A5F00F, 1, OF|ZF, 0xC0000000, SF|PF|CF, OF|SF|ZF|PF|CF
        SHD shrd, c, 32, 0x12345678, 0x9ABCDEF0, 4, SF|ZF|PF, 0x01234567, CF, SF|ZF|PF|CF
        SHD shrd, mi, 32, 0xFFFFFFFF, 0x00000000, 31, SF|ZF|PF, 0x00000001, CF, SF|ZF|PF|CF
        SHD shrd, mc, 32, 0x40000000, 0x80000000, 16, SF|ZF|CF, 0x00004000, PF, SF|ZF|PF|CF
        SHD shrd, i, 32, 0x80000001, 0xC3A5F00F, 0, OF|ZF|PF|CF, 0x80000001, OF|ZF|PF|CF, OF|SF|ZF|AF|PF|CF
        SHD shrd, c, 32, 0x12345678, 0x9ABCDEF0, 8, ZF|CF, 0xF0123456, SF|PF, SF|ZF|PF|CF
        SHD shrd, mi, 32, 0x40000000, 0x80000000, 1, OF|SF|ZF|CF, 0x20000000, PF, OF|SF|ZF|PF|CF
        SHD shrd, mc, 32, 0x40000000, 0x80000000, 33, OF|SF|ZF|CF, 0x20000000, PF, OF|SF|ZF|PF|CF

        GROUP "high-byte registers"
        mov eax, 0x12348100
        mov ecx, 0x0000C003
        mov edx, 0x00010000
        SETF 0
        shl ah, 1                       ; 81 -> 02, CF=1, OF=1
        CHECKF CF|OF, CF|OF|ZF|SF|PF
        rcr ch, 1                       ; C0 -> E0 (CF in = 1), CF=0
        CHECKF 0, CF
        mov cl, 4
        rol dh, cl                      ; 00 -> 00
        sar ah, 1                       ; 02 -> 01
        CHECK eax, 0x12340100
        CHECK ecx, 0x0000E004
        CHECK edx, 0x00010000

        GROUP "multi-word shift"
        mov eax, 0x89ABCDEF             ; EDX:EAX <<= 12 with SHLD + SHL
        mov edx, 0x01234567
        shld edx, eax, 12
        shl eax, 12
        CHECK edx, 0x3456789A
        CHECK eax, 0xBCDEF000
        shrd eax, edx, 20               ; low half >>= 20 taking bits from EDX
        CHECK eax, 0x6789ABCD
        CHECK edx, 0x3456789A

        HARNESS_PASS
        HARNESS_END
