; real-muldiv.asm - real-mode MUL/IMUL (F6/F7 /4 /5, 0F AF, 69, 6B) with CF/OF, DIV/IDIV
; (F6/F7 /6 /7) on 8-, 16- and 32-bit register and memory operands incl. negative operands, and
; divide errors: #DE for division by zero and quotient overflow (DIV, IDIV, AAM 0) is delivered
; through an IVT handler at vector 0 that must see the return address pointing AT the faulting
; instruction (its first prefix byte); it records what it saw and resumes after it.
; Not checked (SDM: undefined): SF/ZF/AF/PF after MUL/IMUL, all flags after DIV/IDIV.
%define TEST_NAME "real-muldiv"
%include "harness.inc"

DE_COUNT  equ DATA + 0x100              ; word: #DE handler invocations
DE_IP     equ DATA + 0x102              ; word: IP the handler found on the stack
DE_CS     equ DATA + 0x104              ; word: CS the handler found on the stack
DE_FLAGS  equ DATA + 0x106              ; word: FLAGS the handler found on the stack
DE_RESUME equ DATA + 0x108              ; word: where the handler returns to
DE_SP     equ DATA + 0x10A              ; word: SP inside the handler after its PUSH BP
DE_SAVE_ESP equ DATA + 0x110            ; dword
DE_SAVE_EAX equ DATA + 0x114            ; dword

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

; MUL1 op, form(r|m), size, a, b, flags_in, low, high, flags_out   (3 checks)
; 8-bit: AX = AL * r/m8 (DX must not change); 16/32: (E)DX:(E)AX = (E)AX * r/m
%macro MUL1 9
        SIZEDEFS %3
  %if %3 == 8
        mov eax, 0x5A5A7700 | (%4)
        mov edx, 0xDEADBEEF
  %else
        mov eax, _PAT | (%4)
        mov edx, _PAT | 0x1111
  %endif
  %ifidn %2, r
        mov ebx, _PAT | (%5)
        SETF %6
        %1 _B
  %else
        mov dword [DATA], _PAT | (%5)
        SETF %6
        %1 _SZ [DATA]
  %endif
  %if %3 == 8
        CHECK eax, 0x5A5A0000 | ((%8) << 8) | (%7)
        CHECK edx, 0xDEADBEEF
  %else
        CHECK eax, _PAT | (%7)
        CHECK edx, _PAT | (%8)
  %endif
        CHECKF %9, CF|OF
%endmacro

; IMULN form, size, a, b, flags_in, result, flags_out   (2 checks)
; forms: rr  imul r, r/m(reg)   0F AF      rm  imul r, [mem]   0F AF
;        ri  imul r, r, imm     69         mi  imul r, [mem], imm  69
;        r8  imul r, r, imm8    6B         m8  imul r, [mem], imm8 6B
%macro IMULN 7
        SIZEDEFS %2
        mov ebx, _PAT | 0x7777
  %ifidn %1, rr
        mov ebx, _PAT | (%3)
        mov ecx, _PAT | (%4)
        SETF %5
        imul _B, _C
  %elifidn %1, rm
        mov ebx, _PAT | (%3)
        mov dword [DATA], _PAT | (%4)
        SETF %5
        imul _B, _SZ [DATA]
  %elifidn %1, ri
        mov ecx, _PAT | (%3)
        SETF %5
        imul _B, _C, strict _SZ (%4)
  %elifidn %1, mi
        mov dword [DATA], _PAT | (%3)
        SETF %5
        imul _B, _SZ [DATA], strict _SZ (%4)
  %elifidn %1, r8
        mov ecx, _PAT | (%3)
        SETF %5
        imul _B, _C, strict byte (%4)
  %elifidn %1, m8
        mov dword [DATA], _PAT | (%3)
        SETF %5
        imul _B, _SZ [DATA], strict byte (%4)
  %else
    %error unknown IMULN form %1
  %endif
        CHECK ebx, _PAT | (%6)
        CHECKF %7, CF|OF
%endmacro

; DIVT op, form(r|m), size, dividend_high, dividend_low, divisor, quotient, remainder  (2 checks)
%macro DIVT 8
        SIZEDEFS %3
  %if %3 == 8
        mov eax, 0x5A5A0000 | ((%4) << 8) | (%5)
        mov edx, 0xDEADBEEF
  %else
        mov eax, _PAT | (%5)
        mov edx, _PAT | (%4)
  %endif
  %ifidn %2, r
        mov ebx, _PAT | (%6)
        %1 _B
  %else
        mov dword [DATA], _PAT | (%6)
        %1 _SZ [DATA]
  %endif
  %if %3 == 8
        CHECK eax, 0x5A5A0000 | ((%8) << 8) | (%7)
        CHECK edx, 0xDEADBEEF
  %else
        CHECK eax, _PAT | (%7)
        CHECK edx, _PAT | (%8)
  %endif
%endmacro

; DE_CASE flags, instruction... : the instruction must raise #DE; 5 checks
; (handler ran once, saw IP = the instruction, CS = F000, FLAGS = flags before, stack balanced)
%macro DE_CASE 2+
        mov word [DE_COUNT], 0
        mov word [DE_IP], 0xFFFF
        mov word [DE_RESUME], %%after
        SETF %1
%%fault:
        %2
        FAIL_NOW "no #DE raised"
%%after:
        mov [DE_SAVE_ESP], esp          ; SP must be back where it was
        mov [DE_SAVE_EAX], eax
        xor eax, eax
        mov ax, [DE_COUNT]
        CHECK eax, 1
        mov ax, [DE_IP]
        CHECK eax, %%fault
        mov ax, [DE_CS]
        CHECK eax, 0xF000
        mov ax, [DE_FLAGS]
        CHECK eax, (%1) | 2
        CHECK dword [DE_SAVE_ESP], STACK_TOP
        mov eax, [DE_SAVE_EAX]
%endmacro

start:
        HARNESS_INIT

; table-driven cases (values derived from the SDM definitions, confirmed on QEMU)
        GROUP "mul8 (one operand)"
        MUL1 mul, r, 8, 0xFF, 0xFF, SF|PF, 0x01, 0xFE, OF|CF
        MUL1 mul, m, 8, 0x10, 0x0F, OF|ZF|CF, 0xF0, 0x00, 0
        MUL1 mul, r, 8, 0x00, 0x55, OF|SF|PF|CF, 0x00, 0x00, 0
        MUL1 mul, m, 8, 0x80, 0x02, ZF, 0x00, 0x01, OF|CF
        MUL1 mul, r, 8, 0x80, 0xFF, SF|PF, 0x80, 0x7F, OF|CF
        MUL1 mul, m, 8, 0xFE, 0x03, ZF, 0xFA, 0x02, OF|CF
        MUL1 mul, r, 8, 0x7F, 0x02, OF|SF|PF|CF, 0xFE, 0x00, 0
        MUL1 mul, m, 8, 0xFF, 0x01, OF|ZF|CF, 0xFF, 0x00, 0
        GROUP "mul16 (one operand)"
        MUL1 mul, r, 16, 0xFFFF, 0xFFFF, SF|PF, 0x0001, 0xFFFE, OF|CF
        MUL1 mul, m, 16, 0x1234, 0x0010, ZF, 0x2340, 0x0001, OF|CF
        MUL1 mul, r, 16, 0x0100, 0x00FF, OF|SF|PF|CF, 0xFF00, 0x0000, 0
        MUL1 mul, m, 16, 0x8000, 0xFFFF, ZF, 0x8000, 0x7FFF, OF|CF
        MUL1 mul, r, 16, 0xFFFE, 0x0003, SF|PF, 0xFFFA, 0x0002, OF|CF
        MUL1 mul, m, 16, 0x7FFF, 0x0002, OF|ZF|CF, 0xFFFE, 0x0000, 0
        MUL1 mul, r, 16, 0xFFFF, 0x0001, OF|SF|PF|CF, 0xFFFF, 0x0000, 0
        MUL1 mul, m, 16, 0x0000, 0x1234, OF|ZF|CF, 0x0000, 0x0000, 0
        GROUP "mul32 (one operand)"
        MUL1 mul, r, 32, 0xFFFFFFFF, 0xFFFFFFFF, SF|PF, 0x00000001, 0xFFFFFFFE, OF|CF
        MUL1 mul, m, 32, 0x12345678, 0x00000010, ZF, 0x23456780, 0x00000001, OF|CF
        MUL1 mul, r, 32, 0x00010000, 0x0000FFFF, OF|SF|PF|CF, 0xFFFF0000, 0x00000000, 0
        MUL1 mul, m, 32, 0x80000000, 0xFFFFFFFF, ZF, 0x80000000, 0x7FFFFFFF, OF|CF
        MUL1 mul, r, 32, 0xFFFFFFFE, 0x00000003, SF|PF, 0xFFFFFFFA, 0x00000002, OF|CF
        MUL1 mul, m, 32, 0x7FFFFFFF, 0x00000002, OF|ZF|CF, 0xFFFFFFFE, 0x00000000, 0
        MUL1 mul, r, 32, 0xFFFFFFFF, 0x00000001, OF|SF|PF|CF, 0xFFFFFFFF, 0x00000000, 0
        MUL1 mul, m, 32, 0x00000000, 0x00000007, OF|ZF|CF, 0x00000000, 0x00000000, 0
        GROUP "imul8 (one operand)"
        MUL1 imul, r, 8, 0xFF, 0xFF, OF|SF|PF|CF, 0x01, 0x00, 0
        MUL1 imul, m, 8, 0x10, 0x0F, ZF, 0xF0, 0x00, OF|CF
        MUL1 imul, r, 8, 0x00, 0x55, OF|SF|PF|CF, 0x00, 0x00, 0
        MUL1 imul, m, 8, 0x80, 0x02, ZF, 0x00, 0xFF, OF|CF
        MUL1 imul, r, 8, 0x80, 0xFF, SF|PF, 0x80, 0x00, OF|CF
        MUL1 imul, m, 8, 0xFE, 0x03, OF|ZF|CF, 0xFA, 0xFF, 0
        MUL1 imul, r, 8, 0x7F, 0x02, SF|PF, 0xFE, 0x00, OF|CF
        MUL1 imul, m, 8, 0xFF, 0x01, OF|ZF|CF, 0xFF, 0xFF, 0
        GROUP "imul16 (one operand)"
        MUL1 imul, r, 16, 0xFFFF, 0xFFFF, OF|SF|PF|CF, 0x0001, 0x0000, 0
        MUL1 imul, m, 16, 0x1234, 0x0010, ZF, 0x2340, 0x0001, OF|CF
        MUL1 imul, r, 16, 0x0100, 0x00FF, SF|PF, 0xFF00, 0x0000, OF|CF
        MUL1 imul, m, 16, 0x8000, 0xFFFF, ZF, 0x8000, 0x0000, OF|CF
        MUL1 imul, r, 16, 0xFFFE, 0x0003, OF|SF|PF|CF, 0xFFFA, 0xFFFF, 0
        MUL1 imul, m, 16, 0x7FFF, 0x0002, ZF, 0xFFFE, 0x0000, OF|CF
        MUL1 imul, r, 16, 0xFFFF, 0x0001, OF|SF|PF|CF, 0xFFFF, 0xFFFF, 0
        MUL1 imul, m, 16, 0x0000, 0x1234, OF|ZF|CF, 0x0000, 0x0000, 0
        GROUP "imul32 (one operand)"
        MUL1 imul, r, 32, 0xFFFFFFFF, 0xFFFFFFFF, OF|SF|PF|CF, 0x00000001, 0x00000000, 0
        MUL1 imul, m, 32, 0x12345678, 0x00000010, ZF, 0x23456780, 0x00000001, OF|CF
        MUL1 imul, r, 32, 0x00010000, 0x0000FFFF, SF|PF, 0xFFFF0000, 0x00000000, OF|CF
        MUL1 imul, m, 32, 0x80000000, 0xFFFFFFFF, ZF, 0x80000000, 0x00000000, OF|CF
        MUL1 imul, r, 32, 0xFFFFFFFE, 0x00000003, OF|SF|PF|CF, 0xFFFFFFFA, 0xFFFFFFFF, 0
        MUL1 imul, m, 32, 0x7FFFFFFF, 0x00000002, ZF, 0xFFFFFFFE, 0x00000000, OF|CF
        MUL1 imul, r, 32, 0xFFFFFFFF, 0x00000001, OF|SF|PF|CF, 0xFFFFFFFF, 0xFFFFFFFF, 0
        MUL1 imul, m, 32, 0x00000000, 0x00000007, OF|ZF|CF, 0x00000000, 0x00000000, 0
        GROUP "imul16 (two/three operand)"
        IMULN rr, 16, 0x0003, 0x0004, OF|CF, 0x000C, 0
        IMULN rm, 16, 0x7FFF, 0x0002, 0, 0xFFFE, OF|CF
        IMULN ri, 16, 0xFFFF, 0xFFFF, OF|CF, 0x0001, 0
        IMULN mi, 16, 0x8000, 0xFFFF, 0, 0x8000, OF|CF
        IMULN r8, 16, 0x0100, 2, OF|CF, 0x0200, 0
        IMULN m8, 16, 0xFFFE, 0, OF|CF, 0x0000, 0
        IMULN rr, 16, 0x1234, 0x0000, OF|CF, 0x0000, 0
        IMULN rm, 16, 0xC000, 0x0002, OF|CF, 0x8000, 0
        IMULN ri, 16, 0x0003, 0x0004, OF|CF, 0x000C, 0
        IMULN mi, 16, 0x7FFF, 0x0002, 0, 0xFFFE, OF|CF
        IMULN r8, 16, 0xFFFF, 2, OF|CF, 0xFFFE, 0
        IMULN m8, 16, 0x8000, 0, OF|CF, 0x0000, 0
        GROUP "imul32 (two/three operand)"
        IMULN rr, 32, 0x00000003, 0x00000004, OF|CF, 0x0000000C, 0
        IMULN rm, 32, 0x7FFFFFFF, 0x00000002, 0, 0xFFFFFFFE, OF|CF
        IMULN ri, 32, 0xFFFFFFFF, 0xFFFFFFFF, OF|CF, 0x00000001, 0
        IMULN mi, 32, 0x80000000, 0xFFFFFFFF, 0, 0x80000000, OF|CF
        IMULN r8, 32, 0x00010000, 2, OF|CF, 0x00020000, 0
        IMULN m8, 32, 0xFFFFFFFE, 0, OF|CF, 0x00000000, 0
        IMULN rr, 32, 0x12345678, 0x00000000, OF|CF, 0x00000000, 0
        IMULN rm, 32, 0xC0000000, 0x00000002, OF|CF, 0x80000000, 0
        IMULN ri, 32, 0x00000003, 0x00000004, OF|CF, 0x0000000C, 0
        IMULN mi, 32, 0x7FFFFFFF, 0x00000002, 0, 0xFFFFFFFE, OF|CF
        IMULN r8, 32, 0xFFFFFFFF, 2, OF|CF, 0xFFFFFFFE, 0
        IMULN m8, 32, 0x80000000, 0, OF|CF, 0x00000000, 0
        GROUP "div8"
        DIVT div, r, 8, 0x12, 0x34, 0x56, 0x36, 0x10
        DIVT div, m, 8, 0x00, 0xFF, 0xFF, 0x01, 0x00
        DIVT div, r, 8, 0x00, 0xFF, 0x01, 0xFF, 0x00
        DIVT div, m, 8, 0x00, 0x00, 0x07, 0x00, 0x00
        DIVT div, r, 8, 0x01, 0xFE, 0xFF, 0x02, 0x00
        GROUP "div16"
        DIVT div, r, 16, 0x0001, 0x0000, 0x0002, 0x8000, 0x0000
        DIVT div, m, 16, 0x1234, 0x5678, 0x5678, 0x35E5, 0x2520
        DIVT div, r, 16, 0xFFFE, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFE
        DIVT div, m, 16, 0x0000, 0x0007, 0x0007, 0x0001, 0x0000
        DIVT div, r, 16, 0x0000, 0x1234, 0x1000, 0x0001, 0x0234
        GROUP "div32"
        DIVT div, r, 32, 0x00000001, 0x00000000, 0x00000010, 0x10000000, 0x00000000
        DIVT div, m, 32, 0xFFFFFFFE, 0x00000001, 0xFFFFFFFF, 0xFFFFFFFF, 0x00000000
        DIVT div, r, 32, 0x12345678, 0x9ABCDEF0, 0x87654321, 0x226B9022, 0x38BC648E
        DIVT div, m, 32, 0x00000000, 0xFFFFFFFF, 0xFFFFFFFF, 0x00000001, 0x00000000
        DIVT div, r, 32, 0x00000000, 0x00000005, 0x00000007, 0x00000000, 0x00000005
        GROUP "idiv8"
        DIVT idiv, r, 8, 0xFF, 0xF9, 0x02, 0xFD, 0xFF
        DIVT idiv, m, 8, 0x00, 0x07, 0xFE, 0xFD, 0x01
        DIVT idiv, r, 8, 0xFF, 0x00, 0x02, 0x80, 0x00
        DIVT idiv, m, 8, 0xFF, 0x81, 0xFF, 0x7F, 0x00
        DIVT idiv, r, 8, 0x00, 0x64, 0xF9, 0xF2, 0x02
        GROUP "idiv16"
        DIVT idiv, r, 16, 0xFFFE, 0x7960, 0x0007, 0xC833, 0xFFFB
        DIVT idiv, m, 16, 0x0001, 0x86A0, 0xFFF9, 0xC833, 0x0005
        DIVT idiv, r, 16, 0xFFFF, 0x8000, 0x0001, 0x8000, 0x0000
        DIVT idiv, m, 16, 0xFFFF, 0x8001, 0xFFFF, 0x7FFF, 0x0000
        DIVT idiv, r, 16, 0x0000, 0x7FFF, 0x7FFF, 0x0001, 0x0000
        GROUP "idiv32"
        DIVT idiv, r, 32, 0xFFFFFFFE, 0xDCBA9877, 0x00010000, 0xFFFEDCBB, 0xFFFF9877
        DIVT idiv, m, 32, 0x00000000, 0x7FFFFFFF, 0xFFFFFFFF, 0x80000001, 0x00000000
        DIVT idiv, r, 32, 0xFFFFFFFF, 0x80000000, 0x00000001, 0x80000000, 0x00000000
        DIVT idiv, m, 32, 0xFFFFFFFF, 0x80000001, 0xFFFFFFFF, 0x7FFFFFFF, 0x00000000
        DIVT idiv, r, 32, 0x00000000, 0x3B9ACA00, 0xFFFFFFF6, 0xFA0A1F00, 0x00000000

        GROUP "mul/div high-byte and other registers"
        mov eax, 0x00000007
        mov ecx, 0x00000900
        mul ch                          ; AX = 7*9
        CHECK eax, 63
        mov edx, 0x0000FF00
        mov eax, 0x00000400
        imul dh                         ; AX = 4 * -1... AL=0 -> 0
        CHECK eax, 0
        mov eax, 0x00000403             ; AL=3
        imul dh                         ; 3 * -1 = -3
        CHECK eax, 0x0000FFFD
        mov eax, 100
        mov ebx, 0x00000700             ; BH = 7
        div bh                          ; 100/7 = 14 r 2
        CHECK eax, 0x0000020E
        mov esi, 0x12345678
        mov edi, 0x00000010
        imul esi, edi
        CHECK esi, 0x23456780
        imul di, si, 3                  ; 0x6780 * 3 = 0x13680 -> 0x3680
        CHECK edi, 0x00003680
        mov ebp, -2
        imul ebp, ebp, -0x7FFFFFFF      ; -2 * -(2^31-1) = 2^32-2 -> 0xFFFFFFFE, overflow
        CHECKF CF|OF, CF|OF
        CHECK ebp, 0xFFFFFFFE

; ---------------------------------------------------------------------------------------------
        GROUP "#DE through the IVT"
        mov word [0], de_handler        ; vector 0
        mov word [2], 0xF000
        mov eax, 0x00001234
        mov ebx, 0x11111100             ; BL = 0
        DE_CASE ZF|CF, div bl
        CHECK eax, 0x00001234           ; nothing was written
        CHECK ebx, 0x11111100
        mov word [DATA], 0
        mov eax, 0x55555555
        mov edx, 0x66666666
        DE_CASE SF|OF, div word [DATA]
        CHECK eax, 0x55555555
        CHECK edx, 0x66666666
        mov eax, 0x00000000             ; DX:AX = 0x00100000 / 0x10 = 0x10000: quotient overflow
        mov edx, 0x00000010
        mov ecx, 0x00000010
        DE_CASE 0, div cx
        CHECK eax, 0
        CHECK edx, 0x10
        mov eax, 0x00008000             ; -32768 / -1
        mov edx, 0x0000FFFF
        mov ecx, 0x0000FFFF
        DE_CASE PF, idiv cx
        CHECK eax, 0x00008000
        mov eax, 0x0000FF7F             ; -129 / 1 does not fit in AL
        mov ecx, 1
        DE_CASE AF, idiv cl
        CHECK eax, 0x0000FF7F
        mov eax, 0                      ; EDX:EAX = 2^32 / 1
        mov edx, 1
        mov ecx, 1
        DE_CASE CF, div ecx
        mov eax, 0x80000000             ; -2^31 / -1 = 2^31 does not fit
        mov edx, 0xFFFFFFFF
        mov ecx, 0xFFFFFFFF
        DE_CASE OF|ZF, idiv ecx
        mov ebx, DATA - 0x100 + 0x20    ; prefixed instruction: IP must point at the first prefix
        mov dword [DATA + 0x20], 0
        mov ax, 0x0010
        mov es, ax
        mov eax, 0x12345678
        mov edx, 0
        DE_CASE 0, div dword [es:ebx]   ; 26 66 67 F7 33
        CHECK eax, 0x12345678
        mov eax, 0x00000042
        DE_CASE SF, aam 0               ; AAM with a zero base divides by zero
        CHECK eax, 0x00000042
        xor eax, eax                    ; the handler ran with the CS:IP/FLAGS frame on our stack
        mov ax, [DE_SP]
        CHECK eax, STACK_TOP - 6 - 2     ; IP, CS, FLAGS, then the handler's BP
        mov eax, 0x00000064             ; after all that, division still works
        mov ecx, 10
        div cl
        CHECK eax, 0x0000000A

        HARNESS_PASS

; real-mode #DE handler: records the frame and resumes at [DE_RESUME]
de_handler:
        push bp
        mov bp, sp
        push ax
        push ds
        xor ax, ax
        mov ds, ax
        mov [DE_SP], bp
        inc word [DE_COUNT]
        mov ax, [bp+2]
        mov [DE_IP], ax
        mov ax, [bp+4]
        mov [DE_CS], ax
        mov ax, [bp+6]
        mov [DE_FLAGS], ax
        mov ax, [DE_RESUME]
        mov [bp+2], ax
        pop ds
        pop ax
        pop bp
        iret

        HARNESS_END
