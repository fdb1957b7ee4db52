; real-control.asm - real-mode control flow and the "everything else" instructions:
; Jcc (all 16 conditions, short and near), SETcc, CMOVcc over a set of flag states; JMP short/near/
; far/indirect (register, memory, far memory); CALL/RET near and far, RET/RETF imm16, CALL via
; register/memory/far memory, 32-bit CALL/RET; LOOP/LOOPE/LOOPNE/JCXZ/JECXZ (CX vs ECX by address
; size); ENTER/LEAVE (nesting levels 0-2); INT n / INT3 / INTO / IRET / IRETD with IVT handlers;
; PUSHF/POPF/PUSHFD/POPFD, LAHF/SAHF, CLC/STC/CMC/CLD/STD; PUSHA/POPA(D); PUSH/POP forms incl.
; segment registers and SP; MOV forms (8C/8E, moffs, C6/C7, B0-BF); XCHG; XLAT; DAA DAS AAA AAS
; AAM AAD; CBW/CWDE/CWD/CDQ; MOVZX/MOVSX; BSWAP; XADD; CMPXCHG; BT/BTS/BTR/BTC; BSF/BSR;
; LDS/LES/LFS/LGS/LSS.
; Not checked (SDM: undefined): OF after DAA/DAS, SF/ZF/PF/OF after AAA/AAS, OF/AF/CF after
; AAM/AAD, OF/SF/AF/PF after BT*, flags other than ZF after BSF/BSR, BSF/BSR destination for a
; zero source, the upper word pushed by a 32-bit PUSH of a segment register.
%define TEST_NAME "real-control"
%include "harness.inc"

SAVE_IP   equ DATA + 0x10               ; dwords written by the subroutines/handlers below
SAVE_CS   equ DATA + 0x14
SAVE_SP   equ DATA + 0x18
SAVE_FL   equ DATA + 0x1C
SAVE_VEC  equ DATA + 0x20
SAVE_FLIN equ DATA + 0x24
SAVE_X    equ DATA + 0x28
SETBYTES  equ DATA + 0x40               ; 16 bytes written by SETcc
FARPTR    equ DATA + 0x60               ; far pointers
XTAB      equ DATA + 0x100              ; 256-byte XLAT table
FAR_ALIAS equ 0xF010                    ; CS alias: F010:(x - 0x100) is F000:x

; JB1 negated-cc, bit, short|near : EBX += bit unless the negated condition jumps over it
%macro JB1 3
        j%1 %3 %%skip
        lea ebx, [ebx + %2]
%%skip:
%endmacro

; JALL short|near : bit i of EBX := condition i (o no b ae e ne be a s ns p np l ge le g)
%macro JALL 1
        JB1 no, 0x0001, %1
        JB1 o,  0x0002, %1
        JB1 ae, 0x0004, %1
        JB1 b,  0x0008, %1
        JB1 ne, 0x0010, %1
        JB1 e,  0x0020, %1
        JB1 a,  0x0040, %1
        JB1 be, 0x0080, %1
        JB1 ns, 0x0100, %1
        JB1 s,  0x0200, %1
        JB1 np, 0x0400, %1
        JB1 p,  0x0800, %1
        JB1 ge, 0x1000, %1
        JB1 l,  0x2000, %1
        JB1 g,  0x4000, %1
        JB1 le, 0x8000, %1
%endmacro

; SET1 cc, index : SETcc into SETBYTES[index] (even: memory form, odd: via CL)
%macro SET1 2
  %if (%2) % 2 == 0
        set%1 byte [SETBYTES + %2]
  %else
        set%1 cl
        mov [SETBYTES + %2], cl
  %endif
%endmacro

; CMOV1 cc, index : EBX += (1 << index) if cc (register, 16-bit and memory forms)
%macro CMOV1 2
        mov eax, 0
  %if (%2) % 4 == 1
        mov ecx, 1 << (%2)
        cmov%1 ax, cx
  %elif (%2) % 4 == 3
        mov dword [DATA], 1 << (%2)
        cmov%1 eax, [DATA]
  %else
        mov ecx, 1 << (%2)
        cmov%1 eax, ecx
  %endif
        lea ebx, [ebx + eax]
%endmacro

; CONDS flags, mask : all 16 conditions under one flag state, as Jcc short, Jcc near, SETcc and
; CMOVcc (4 checks). Bit i of mask = condition i holds.
%macro CONDS 2
        xor ebx, ebx
        SETF %1
        JALL short
        CHECK ebx, %2
        xor ebx, ebx
        SETF %1
        JALL near
        CHECK ebx, %2
        mov dword [SETBYTES], 0xCCCCCCCC
        mov dword [SETBYTES+4], 0xCCCCCCCC
        mov dword [SETBYTES+8], 0xCCCCCCCC
        mov dword [SETBYTES+12], 0xCCCCCCCC
        SETF %1
        SET1 o, 0
        SET1 no, 1
        SET1 b, 2
        SET1 ae, 3
        SET1 e, 4
        SET1 ne, 5
        SET1 be, 6
        SET1 a, 7
        SET1 s, 8
        SET1 ns, 9
        SET1 p, 10
        SET1 np, 11
        SET1 l, 12
        SET1 ge, 13
        SET1 le, 14
        SET1 g, 15
        call setbytes_mask
        CHECK ebx, %2
        xor ebx, ebx
        SETF %1
        CMOV1 o, 0
        CMOV1 no, 1
        CMOV1 b, 2
        CMOV1 ae, 3
        CMOV1 e, 4
        CMOV1 ne, 5
        CMOV1 be, 6
        CMOV1 a, 7
        CMOV1 s, 8
        CMOV1 ns, 9
        CMOV1 p, 10
        CMOV1 np, 11
        CMOV1 l, 12
        CMOV1 ge, 13
        CMOV1 le, 14
        CMOV1 g, 15
        CHECK ebx, %2
%endmacro

; BCD op, ax_in, flags_in, ax_out, flags_out, mask   (2 checks; upper EAX preserved)
%macro BCD 6
        mov eax, 0x5A5A0000 | (%2)
        SETF %3
        %1
        CHECK eax, 0x5A5A0000 | (%4)
        CHECKF %5, %6
%endmacro

; BCDI op, base, ax_in, flags_in, ax_out, flags_out, mask   (AAM/AAD with an immediate base)
%macro BCDI 7
        mov eax, 0x5A5A0000 | (%3)
        SETF %4
        %1 %2
        CHECK eax, 0x5A5A0000 | (%5)
        CHECKF %6, %7
%endmacro

start:
        HARNESS_INIT

; ---------------------------------------------------------------------------------------------
; conditions (masks derived from the SDM condition table, confirmed on QEMU)
; ---------------------------------------------------------------------------------------------
        GROUP "jcc/setcc/cmovcc"
        CONDS 0, 0xAAAA
        CONDS CF, 0xAA66
        CONDS ZF, 0x6A5A
        CONDS SF, 0x59AA
        CONDS OF, 0x5AA9
        CONDS OF|SF, 0xA9A9
        CONDS ZF|CF, 0x6A56
        CONDS PF, 0xA6AA
        CONDS SF|ZF, 0x595A
        CONDS OF|ZF, 0x5A59
        CONDS SF|PF|CF, 0x5566
        CONDS OF|ZF|AF|PF, 0x5659
        CONDS OF|SF|ZF|AF|PF|CF, 0x6555
        GROUP "daa"
        BCD daa, 0x120A, SF|ZF|PF, 0x1210, AF, CF|AF|SF|ZF|PF
        BCD daa, 0x1219, SF|ZF|AF|PF, 0x121F, AF, CF|AF|SF|ZF|PF
        BCD daa, 0x129A, SF, 0x1200, ZF|AF|PF|CF, CF|AF|SF|ZF|PF
        BCD daa, 0x1299, ZF, 0x1299, SF|PF, CF|AF|SF|ZF|PF
        BCD daa, 0x1200, SF|ZF|CF, 0x1260, PF|CF, CF|AF|SF|ZF|PF
        BCD daa, 0x12FF, SF|ZF, 0x1265, AF|PF|CF, CF|AF|SF|ZF|PF
        BCD daa, 0x1245, SF|ZF|PF, 0x1245, 0, CF|AF|SF|ZF|PF
        BCD daa, 0x129F, SF|ZF|AF|CF, 0x1205, AF|PF|CF, CF|AF|SF|ZF|PF
        BCD daa, 0x125C, SF|ZF|PF, 0x1262, AF, CF|AF|SF|ZF|PF
        GROUP "das"
        BCD das, 0x120A, SF|ZF|PF, 0x1204, AF, CF|AF|SF|ZF|PF
        BCD das, 0x1210, SF|ZF|AF, 0x120A, AF|PF, CF|AF|SF|ZF|PF
        BCD das, 0x129A, SF|ZF|PF, 0x1234, AF|CF, CF|AF|SF|ZF|PF
        BCD das, 0x1299, ZF, 0x1299, SF|PF, CF|AF|SF|ZF|PF
        BCD das, 0x1200, ZF|CF, 0x12A0, SF|PF|CF, CF|AF|SF|ZF|PF
        BCD das, 0x1205, ZF|AF, 0x12FF, SF|AF|PF|CF, CF|AF|SF|ZF|PF
        BCD das, 0x1245, SF|ZF|PF, 0x1245, 0, CF|AF|SF|ZF|PF
        BCD das, 0x12A0, SF|ZF|PF, 0x1240, CF, CF|AF|SF|ZF|PF
        BCD das, 0x1266, SF|AF|CF, 0x1200, ZF|AF|PF|CF, CF|AF|SF|ZF|PF
        GROUP "aaa/aas"
        BCD aaa, 0x0109, 0, 0x0109, 0, CF|AF
        BCD aaa, 0x010A, 0, 0x0200, AF|CF, CF|AF
        BCD aaa, 0x0200, AF, 0x0306, AF|CF, CF|AF
        BCD aaa, 0x03FA, 0, 0x0500, AF|CF, CF|AF
        BCD aaa, 0x00FF, 0, 0x0205, AF|CF, CF|AF
        BCD aaa, 0x1235, CF, 0x1205, 0, CF|AF
        BCD aas, 0x0109, 0, 0x0109, 0, CF|AF
        BCD aas, 0x010A, 0, 0x0004, AF|CF, CF|AF
        BCD aas, 0x0200, AF, 0x000A, AF|CF, CF|AF
        BCD aas, 0x0305, AF, 0x010F, AF|CF, CF|AF
        BCD aas, 0x0000, AF, 0xFE0A, AF|CF, CF|AF
        BCD aas, 0x1235, CF, 0x1205, 0, CF|AF
        GROUP "aam/aad"
        BCDI aam, 10, 0x0063, SF|ZF, 0x0909, PF, SF|ZF|PF
        BCDI aam, 10, 0x55FF, SF|ZF, 0x1905, PF, SF|ZF|PF
        BCDI aam, 10, 0x0000, SF, 0x0000, ZF|PF, SF|ZF|PF
        BCDI aam, 16, 0x00FF, SF|ZF, 0x0F0F, PF, SF|ZF|PF
        BCDI aam, 7, 0x0017, SF|ZF|PF, 0x0302, 0, SF|ZF|PF
        BCDI aad, 10, 0x0909, SF|ZF, 0x0063, PF, SF|ZF|PF
        BCDI aad, 10, 0x0000, SF, 0x0000, ZF|PF, SF|ZF|PF
        BCDI aad, 16, 0x0F0F, ZF, 0x00FF, SF|PF, SF|ZF|PF
        BCDI aad, 10, 0x1405, ZF|PF, 0x00CD, SF, SF|ZF|PF
        BCDI aad, 7, 0x0207, SF|ZF|PF, 0x0015, 0, SF|ZF|PF
        BCDI aad, 10, 0x8000, SF, 0x0000, ZF|PF, SF|ZF|PF

; ---------------------------------------------------------------------------------------------
        GROUP "jmp"
        mov eax, 0
        jmp short .j1
        mov eax, 1
.j0:    jmp near .j2                    ; E9, backwards target reached from .j1
        mov eax, 2
.j1:    jmp short .j0                   ; EB, negative displacement
        mov eax, 3
.j2:    mov bx, .j3
        jmp bx                          ; FF /4 register
        mov eax, 4
.j3:    mov word [DATA], .j4
        jmp [DATA]                      ; FF /4 memory
        mov eax, 5
.j4:    mov word [FARPTR], .j5 - 0x100
        mov word [FARPTR+2], FAR_ALIAS
        jmp far [FARPTR]                   ; FF /5: to F010:(.j5-0x100)
        mov eax, 6
.j5:    mov [SAVE_CS], cs
        jmp 0xF000:.j6                  ; EA ptr16:16
        mov eax, 7
.j6:    mov [SAVE_CS+2], cs
        CHECK eax, 0
        CHECK dword [SAVE_CS], 0xF000_0000 | FAR_ALIAS

        GROUP "call/ret near"
        mov dword [SAVE_IP], 0
        call near_sub                   ; E8
.c1:    CHECK dword [SAVE_IP], .c1
        CHECK dword [SAVE_SP], STACK_TOP - 2
        mov eax, esp
        CHECK eax, STACK_TOP
        mov bx, near_sub
        call bx                         ; FF /2 register
.c2:    CHECK dword [SAVE_IP], .c2
        mov word [DATA], near_sub
        call [DATA]                     ; FF /2 memory
.c3:    CHECK dword [SAVE_IP], .c3
        push word 0x1111
        push word 0x2222
        call ret4_sub                   ; RET 4 drops the two arguments
        mov eax, esp
        CHECK eax, STACK_TOP
        CHECK dword [SAVE_X], 0x11112222
        call dword near32_sub           ; 66 E8 rel32: pushes a 32-bit return address
.c4:    CHECK dword [SAVE_IP], .c4
        CHECK dword [SAVE_SP], STACK_TOP - 4
        mov eax, esp
        CHECK eax, STACK_TOP

        GROUP "call/ret far"
        mov dword [SAVE_IP], 0
        call 0xF000:far_sub             ; 9A ptr16:16
.f1:    CHECK dword [SAVE_IP], .f1
        CHECK dword [SAVE_CS], 0xF000F000   ; pushed CS, CS inside
        CHECK dword [SAVE_SP], STACK_TOP - 4
        mov word [FARPTR], far_sub - 0x100
        mov word [FARPTR+2], FAR_ALIAS
        call far [FARPTR]                  ; FF /3: runs as F010:xxxx, returns to F000
.f2:    CHECK dword [SAVE_IP], .f2
        CHECK dword [SAVE_CS], (FAR_ALIAS << 16) | 0xF000
        push word 0x3333
        push word 0x4444
        call 0xF000:retf4_sub           ; RETF 4
        mov eax, esp
        CHECK eax, STACK_TOP
        CHECK dword [SAVE_X], 0x33334444

        GROUP "loop/jcxz"
        mov ecx, 0xABCD0005             ; LOOP (a16) counts CX only
        xor eax, eax
.l1:    inc eax
        loop .l1
        CHECK eax, 5
        CHECK ecx, 0xABCD0000
        mov ecx, 0x00010001             ; a32 LOOP counts ECX: 65537 iterations
        xor eax, eax
.l2:    inc eax
        a32 loop .l2
        CHECK eax, 0x00010001
        CHECK ecx, 0
        mov si, loop_data1              ; 5 6 7 8 9: LOOPNE until AL = 7
        mov cx, 5
.l3:    cs lodsb
        cmp al, 7
        loopne .l3
        CHECKF ZF, ZF
        CHECK ecx, 2
        mov si, loop_data2              ; 7 7 7 9 7: LOOPE while AL = 7
        mov cx, 5
.l4:    cs lodsb
        cmp al, 7
        loope .l4
        CHECKF 0, ZF
        CHECK ecx, 1
        mov cx, 3                       ; LOOPE ends on CX = 0 with ZF = 1
        xor eax, eax
.l5:    inc ax
        cmp ax, ax
        loope .l5
        CHECK eax, 3
        mov ecx, 0x00010000             ; JCXZ looks at CX
        mov eax, 0
        jcxz .z1
        mov eax, 1
.z1:    a32 jcxz .z2                    ; JECXZ looks at ECX: not taken
        jmp .z3
.z2:    mov eax, 2
.z3:    mov ecx, 1
        jcxz .z4
        jmp .z5
.z4:    mov eax, 3
.z5:    CHECK eax, 0

        GROUP "enter/leave"
        mov ebp, 0xAAAA1234
        enter 8, 0                      ; push bp; bp = sp; sp -= 8
        mov [SAVE_SP], esp
        mov [SAVE_X], ebp
        CHECK dword [SAVE_SP], STACK_TOP - 2 - 8
        CHECK dword [SAVE_X], 0xAAAA0000 | (STACK_TOP - 2)
        xor eax, eax
        mov ax, [STACK_TOP - 2]
        CHECK eax, 0x1234
        leave
        mov [SAVE_SP], esp
        CHECK ebp, 0xAAAA1234
        CHECK dword [SAVE_SP], STACK_TOP
        mov bp, DATA + 0x200            ; level 2 copies one frame pointer from [bp-2]
        mov word [DATA + 0x1FE], 0xBEEF
        enter 4, 2
        mov [SAVE_SP], esp
        mov [SAVE_X], ebp
        CHECK dword [SAVE_SP], STACK_TOP - 6 - 4
        CHECK dword [SAVE_X], 0xAAAA0000 | (STACK_TOP - 2)
        CHECK dword [STACK_TOP - 6], 0xBEEF0000 | (STACK_TOP - 2)
        CHECK dword [STACK_TOP - 4], ((DATA + 0x200) << 16) | 0xBEEF
        leave
        mov [SAVE_SP], esp
        CHECK ebp, 0xAAAA0000 | (DATA + 0x200)
        CHECK dword [SAVE_SP], STACK_TOP
        enter 2, 1                      ; level 1: pushes the new frame pointer
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], STACK_TOP - 4 - 2
        CHECK dword [STACK_TOP - 4], ((DATA + 0x200) << 16) | (STACK_TOP - 2)
        leave

        GROUP "int/iret"
        mov word [0x40*4], int40_handler
        mov word [0x40*4+2], 0xF000
        mov word [3*4], int3_handler
        mov word [3*4+2], 0xF000
        mov word [4*4], int4_handler
        mov word [4*4+2], 0xF000
        mov dword [SAVE_VEC], 0
        mov ebx, 0
        SETF ZF|SF
        int 0x40
.i1:    CHECKF ZF|SF|CF                 ; the handler set CF in the FLAGS image
        CHECK ebx, 0x40404040
        CHECK dword [SAVE_VEC], 0x40
        CHECK dword [SAVE_IP], .i1
        CHECK dword [SAVE_CS], 0xF000
        CHECK dword [SAVE_FL], ZF|SF|2
        CHECK dword [SAVE_FLIN], ZF|SF|2    ; IF/TF clear inside
        CHECK dword [SAVE_SP], STACK_TOP - 6
        mov eax, esp
        CHECK eax, STACK_TOP
        SETF 0
        int3                            ; CC
.i2:    CHECK dword [SAVE_VEC], 3
        CHECK dword [SAVE_IP], .i2
        int 3                           ; CD 03
.i3:    CHECK dword [SAVE_IP], .i3
        mov dword [SAVE_VEC], 0
        SETF 0
        into                            ; OF = 0: nothing
        CHECK dword [SAVE_VEC], 0
        SETF OF
        into                            ; OF = 1: vector 4
.i4:    CHECK dword [SAVE_VEC], 4
        CHECK dword [SAVE_IP], .i4
        push word CF|ZF|2               ; IRET as a far return that loads FLAGS
        push cs
        push word .i5
        SETF 0
        iret
        FAIL_NOW "iret did not jump"
.i5:    CHECKF CF|ZF
        push dword PF|2                 ; IRETD pops EIP, CS, EFLAGS as dwords
        push dword 0xF000
        push dword .i6
        iretd
        FAIL_NOW "iretd did not jump"
.i6:    CHECKF PF
        mov eax, esp
        CHECK eax, STACK_TOP

        GROUP "flags instructions"
        push word 0xFCFF                ; all but TF and IF
        popf
        pushf
        pop ax
        and eax, 0xFFFF
        CHECK eax, 0x7CD7               ; bits 3, 5, 15 read 0; bit 1 reads 1; IOPL/NT kept
        push word 0
        popf
        pushf
        pop ax
        CHECK eax, 0x0002
        push dword 0x00000CD5
        popfd
        pushfd
        pop eax
        CHECK eax, 0x00000CD7
        push dword 0
        popfd
        SETF SF|ZF|AF|PF|CF|OF
        mov eax, 0x12345678
        lahf
        CHECK eax, 0x1234D778
        mov ah, 0xFF
        SETF 0
        sahf
        CHECKF SF|ZF|AF|PF|CF
        mov ah, 0x00
        SETF ARITH
        sahf                            ; OF unaffected
        CHECKF OF
        SETF ZF
        stc
        CHECKF ZF|CF, ARITH|DF
        cmc
        CHECKF ZF, ARITH|DF
        cmc
        CHECKF ZF|CF, ARITH|DF
        clc
        CHECKF ZF, ARITH|DF
        std
        CHECKF ZF|DF, ARITH|DF
        cld
        CHECKF ZF, ARITH|DF

        GROUP "pusha/popa"
        mov eax, 0x11110001
        mov ecx, 0x22220002
        mov edx, 0x33330003
        mov ebx, 0x44440004
        mov ebp, 0x55550005
        mov esi, 0x66660006
        mov edi, 0x77770007
        pusha
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], STACK_TOP - 16
        CHECK dword [STACK_TOP - 16], 0x00060007    ; DI, SI
        CHECK dword [STACK_TOP - 12], (STACK_TOP << 16) | 0x0005    ; BP, SP before
        CHECK dword [STACK_TOP - 8], 0x00030004     ; BX, DX
        CHECK dword [STACK_TOP - 4], 0x00010002     ; CX, AX
        mov word [STACK_TOP - 10], 0x1234   ; the SP image is ignored by POPA
        mov eax, 0xA0A0A0A0
        mov ecx, 0xA0A0A0A0
        mov edx, 0xA0A0A0A0
        mov ebx, 0xA0A0A0A0
        mov ebp, 0xA0A0A0A0
        mov esi, 0xA0A0A0A0
        mov edi, 0xA0A0A0A0
        popa
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], STACK_TOP
        CHECK eax, 0xA0A00001           ; 16-bit POPA keeps the upper halves
        CHECK ecx, 0xA0A00002
        CHECK edx, 0xA0A00003
        CHECK ebx, 0xA0A00004
        CHECK ebp, 0xA0A00005
        CHECK esi, 0xA0A00006
        CHECK edi, 0xA0A00007
        mov eax, 0x11110001
        mov ebp, 0x55550005
        pushad
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], STACK_TOP - 32
        CHECK dword [STACK_TOP - 32], 0xA0A00007    ; EDI
        CHECK dword [STACK_TOP - 20], STACK_TOP     ; ESP before
        CHECK dword [STACK_TOP - 4], 0x11110001     ; EAX
        mov eax, 0
        mov ebp, 0
        mov edi, 0
        popad
        CHECK eax, 0x11110001
        CHECK ebp, 0x55550005
        CHECK edi, 0xA0A00007

        GROUP "push/pop forms"
        push word -2                    ; 6A: sign-extended
        push strict word 0x1234         ; 68
        push dword -3                   ; 66 6A
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], STACK_TOP - 8
        CHECK dword [STACK_TOP - 8], 0xFFFFFFFD
        CHECK dword [STACK_TOP - 4], 0xFFFE1234
        add sp, 8
        mov dword [DATA], 0xCAFEBABE
        push word [DATA]                ; FF /6
        push dword [DATA]
        push word [DATA + 2]
        pop word [DATA + 4]             ; 8F /0
        pop dword [DATA + 8]
        pop word [DATA + 6]
        CHECK dword [DATA + 4], 0xBABECAFE
        CHECK dword [DATA + 8], 0xCAFEBABE
        push sp                         ; pushes the value before the push
        pop ax
        and eax, 0xFFFF
        CHECK eax, STACK_TOP
        push esp
        pop eax
        CHECK eax, STACK_TOP
        mov ax, sp
        sub ax, 0x10
        push ax
        pop sp                          ; SP = popped value
        mov [SAVE_SP], esp
        mov sp, STACK_TOP
        CHECK dword [SAVE_SP], STACK_TOP - 0x10
        mov ax, 0x1234
        mov es, ax
        mov ax, 0x2345
        mov fs, ax
        mov ax, 0x3456
        mov gs, ax
        push es                         ; 06
        push cs                         ; 0E
        push ss                         ; 16
        push ds                         ; 1E
        push fs                         ; 0F A0
        push gs                         ; 0F A8
        CHECK dword [STACK_TOP - 4], 0x1234F000     ; ES, CS
        CHECK dword [STACK_TOP - 8], 0x00000000     ; SS, DS
        CHECK dword [STACK_TOP - 12], 0x23453456    ; FS, GS
        pop es                          ; 07  <- GS value
        pop gs                          ; 0F A9 <- FS value
        pop fs                          ; 0F A1 <- DS value (0)
        pop ax                          ;        SS value
        pop ax                          ;        CS value
        add sp, 2                       ;        ES value
        push ax
        pop ds                          ; 1F: DS = F000 (reads now come from the ROM)
        mov eax, [rom_dword]
        push ss
        pop ds                          ; DS = 0 again
        CHECK eax, 0x0F0E0D0C
        mov ax, es
        shl eax, 16
        mov ax, gs
        CHECK eax, 0x34562345
        mov ax, fs
        and eax, 0xFFFF
        CHECK eax, 0
        mov ax, ss
        push ax
        pop ss                          ; 17
        o32 push es                     ; 66 06: 4 bytes, low word = selector
        mov [SAVE_SP], esp
        pop eax
        CHECK dword [SAVE_SP], STACK_TOP - 4
        and eax, 0xFFFF
        CHECK eax, 0x3456
        push dword 0x00001234
        o32 pop es                      ; 66 07
        mov [SAVE_SP], esp
        mov ax, es
        and eax, 0xFFFF
        CHECK eax, 0x1234
        CHECK dword [SAVE_SP], STACK_TOP
        xor ax, ax
        mov es, ax
        mov fs, ax
        mov gs, ax

        GROUP "mov forms"
        mov eax, 0x11223344
        mov ah, 0x55                    ; B4
        mov cl, 0x66                    ; B1
        mov ecx, eax
        mov ch, 0x77                    ; B5
        CHECK ecx, 0x11227744
        mov bx, 0x8899                  ; BB iw
        mov ebx, 0xAABBCCDD             ; 66 BB id
        mov bl, ah                      ; 88 /r
        db 0x8A, 0xFC                   ; mov bh, ah (8A /r, mod=11)
        CHECK ebx, 0xAABB5555
        db 0x66, 0x8B, 0xD1             ; mov edx, ecx (8B /r, mod=11)
        CHECK edx, 0x11227744
        mov byte [DATA], 0x12           ; C6
        mov word [DATA + 1], 0x5634     ; C7 iw
        mov byte [DATA + 3], 0x78
        CHECK dword [DATA], 0x78563412
        mov dword [DATA + 4], 0x9ABCDEF0    ; 66 C7 id
        mov dword [DATA + 8], 0
        mov al, [DATA + 4]              ; A0
        mov ax, [DATA + 5]              ; A1
        mov [DATA + 8], ax              ; A3
        mov [DATA + 10], al             ; A2
        mov eax, [DATA + 4]             ; 66 A1
        mov [DATA + 12], eax            ; 66 A3
        CHECK dword [DATA + 8], 0x00DEBCDE
        CHECK dword [DATA + 12], 0x9ABCDEF0
        mov ax, 0x0010                  ; moffs with a segment override
        mov es, ax
        mov al, [es:DATA - 0x100 + 7]   ; 26 A0
        and eax, 0xFF
        CHECK eax, 0x9A
        mov word [DATA + 16], 0x0800
        mov es, [DATA + 16]             ; 8E /r memory
        mov bx, es                      ; 8C /r register
        mov [DATA + 18], es             ; 8C /r memory
        mov edx, 0xFFFFFFFF
        mov edx, es                     ; 66 8C: zero-extended
        xor ax, ax
        mov es, ax
        CHECK dword [DATA + 16], 0x08000800
        CHECK edx, 0x00000800
        CHECK ebx, 0xAABB0800

        GROUP "xchg"
        mov eax, 0x11111111
        mov ebx, 0x22222222
        mov ecx, 0x33333333
        mov edx, 0x44444444
        xchg ax, bx                     ; 93
        xchg cx, dx                     ; 87 /r
        xchg eax, ecx                   ; 66 91
        xchg al, dh                     ; 86 /r
        CHECK eax, 0x33334433
        CHECK ebx, 0x22221111
        CHECK ecx, 0x11112222
        CHECK edx, 0x44444433
        mov dword [DATA], 0xDEADBEEF
        mov esi, 0x12345678
        xchg [DATA], esi                ; 87 memory
        xchg si, [DATA + 2]             ; memory operand first in the encoding too
        CHECK dword [DATA], 0xBEEF5678
        CHECK esi, 0xDEAD1234
        nop                             ; 90

        GROUP "xlat"
        mov bx, 0
.x1:    mov al, bl
        xor al, 0xA5
        mov [XTAB + bx], al
        inc bx
        cmp bx, 256
        jne .x1
        mov bx, XTAB
        mov eax, 0x12345680             ; AL is an unsigned index
        xlatb
        CHECK eax, 0x12345625
        mov al, 0xFF
        xlatb
        CHECK eax, 0x1234565A
        mov bx, xlat_rom
        mov al, 3
        cs xlatb
        CHECK eax, 0x12345633

        GROUP "cbw/cwde/cwd/cdq"
        mov eax, 0x12345680
        cbw
        CHECK eax, 0x1234FF80
        mov eax, 0x1234567F
        cbw
        CHECK eax, 0x1234007F
        mov eax, 0x12348000
        cwde
        CHECK eax, 0xFFFF8000
        mov eax, 0x12347FFF
        cwde
        CHECK eax, 0x00007FFF
        mov eax, 0x00008000
        mov edx, 0x12345678
        cwd
        CHECK edx, 0x1234FFFF
        mov eax, 0xFFFF7FFF
        cwd
        CHECK edx, 0x12340000
        mov eax, 0x80000000
        cdq
        CHECK edx, 0xFFFFFFFF
        mov eax, 0x7FFFFFFF
        cdq
        CHECK edx, 0

        GROUP "movzx/movsx"
        mov ebx, 0x00008080
        mov eax, 0x12345678
        movzx ax, bl
        CHECK eax, 0x12340080
        movsx ax, bl
        CHECK eax, 0x1234FF80
        movzx eax, bl
        CHECK eax, 0x00000080
        movsx eax, bl
        CHECK eax, 0xFFFFFF80
        movzx eax, bx
        CHECK eax, 0x00008080
        movsx eax, bx
        CHECK eax, 0xFFFF8080
        movsx ecx, bh
        CHECK ecx, 0xFFFFFF80
        mov dword [DATA], 0x7F017FFE
        movzx edx, byte [DATA + 1]
        CHECK edx, 0x7F
        movsx edx, word [DATA]
        CHECK edx, 0x00007FFE
        movsx dx, byte [DATA]
        CHECK edx, 0x0000FFFE
        movsx edx, word [DATA + 1]
        CHECK edx, 0x0000017F

        GROUP "bswap"
        mov eax, 0x12345678
        mov ecx, 0x80000001
        mov edi, 0xAABBCCDD
        bswap eax
        bswap ecx
        bswap edi
        CHECK eax, 0x78563412
        CHECK ecx, 0x01000080
        CHECK edi, 0xDDCCBBAA

        GROUP "xadd"
        mov eax, 0x7FFFFFFF
        mov ebx, 1
        SETF 0
        xadd eax, ebx
        CHECKF OF|SF|AF|PF
        CHECK eax, 0x80000000
        CHECK ebx, 0x7FFFFFFF
        mov dword [DATA], 0x000000FF
        mov ecx, 0x12345601
        SETF 0
        xadd [DATA], cl
        CHECKF ZF|CF|AF|PF
        CHECK dword [DATA], 0
        CHECK ecx, 0x123456FF
        mov word [DATA], 0x1000
        mov dx, 0xF000
        xadd [DATA], dx
        CHECKF ZF|CF|PF
        CHECK edx, 0x1000

        GROUP "cmpxchg"
        mov eax, 0x1234                 ; equal: dest := src, ZF = 1
        mov dword [DATA], 0x1234
        mov ecx, 0x5678
        SETF 0
        cmpxchg [DATA], ecx
        CHECKF ZF|PF
        CHECK dword [DATA], 0x5678
        CHECK eax, 0x1234
        mov eax, 0x1111                 ; not equal: EAX := dest, ZF = 0, flags of CMP EAX,dest
        SETF ZF
        cmpxchg [DATA], ecx
        CHECKF CF|SF|AF|PF
        CHECK eax, 0x5678
        CHECK dword [DATA], 0x5678
        mov eax, 0xAAAA0080
        mov ebx, 0x00000080
        mov edx, 0x0000007F
        cmpxchg bl, dl                  ; 8-bit, register destination
        CHECKF ZF|PF
        CHECK ebx, 0x7F
        mov eax, 0x5555FFFF
        mov ebx, 0x00000001
        cmpxchg bx, dx                  ; 16-bit not equal: AX := BX
        CHECKF SF
        CHECK eax, 0x55550001
        CHECK ebx, 1

        GROUP "bt/bts/btr/btc"
        mov eax, 0x80000008
        SETF ZF
        bt eax, 3
        CHECKF ZF|CF, ZF|CF
        bt eax, 31
        CHECKF ZF|CF, ZF|CF
        bt ax, 4
        CHECKF ZF, ZF|CF
        mov ecx, 35                     ; register offset taken mod 32
        bts eax, ecx                    ; bit 3 already set
        CHECKF ZF|CF, ZF|CF
        btr eax, 31
        CHECKF ZF|CF, ZF|CF
        btc eax, 0
        CHECKF ZF, ZF|CF
        mov cx, 17                      ; mod 16
        bts ax, cx
        CHECKF ZF, ZF|CF
        CHECK eax, 0x0000000B
        SETF 0
        btc ax, 1
        CHECKF CF, ZF|CF
        btr ax, 3
        CHECKF CF, ZF|CF
        CHECK eax, 0x00000001
        mov dword [DATA], 0x00020000
        mov dword [DATA + 4], 0x00000008
        mov dword [DATA - 4], 0x00000000
        bt word [DATA], 17              ; immediate offset mod 16: bit 1 of the word: 0
        CHECKF 0, CF
        bt dword [DATA], 17
        CHECKF CF, CF
        mov ecx, 35                     ; register offset addresses the bit string
        bt dword [DATA], ecx            ; bit 3 of [DATA+4]
        CHECKF CF, CF
        mov ecx, -1
        bts dword [DATA], ecx           ; bit 31 of [DATA-4]
        CHECKF 0, CF
        CHECK dword [DATA - 4], 0x80000000
        mov cx, 20
        btc word [DATA], cx             ; bit 4 of the word at DATA+2
        CHECKF 0, CF
        mov cx, -15                     ; bit 1 of the word at DATA-2
        btr word [DATA], cx
        CHECKF 0, CF
        CHECK dword [DATA], 0x00120000
        CHECK dword [DATA - 4], 0x80000000

        GROUP "bsf/bsr"
        mov ebx, 0x00000100
        SETF ZF
        bsf ax, bx
        CHECKF 0, ZF
        and eax, 0xFFFF
        CHECK eax, 8
        mov ecx, 0x00010001
        bsr eax, ecx
        CHECK eax, 16
        bsf eax, ecx
        CHECK eax, 0
        mov dword [DATA], 0x80000000
        bsr edx, [DATA]
        CHECK edx, 31
        bsf edx, [DATA]
        CHECK edx, 31
        mov dword [DATA], 0
        SETF 0
        bsf edx, [DATA]
        CHECKF ZF, ZF
        mov ecx, 0
        SETF 0
        bsr dx, cx
        CHECKF ZF, ZF

        GROUP "lds/les/lfs/lgs/lss"
        mov dword [FARPTR], 0x56781234     ; 5678:1234
        mov dword [FARPTR + 4], 0x9ABCDEF0 ; (32-bit offset) + selector
        mov word [FARPTR + 8], 0x0123
        lds si, [FARPTR]
        mov ax, ds
        push ss
        pop ds
        shl eax, 16
        mov ax, si
        CHECK eax, 0x56781234
        les di, [FARPTR]
        mov ax, es
        shl eax, 16
        mov ax, di
        CHECK eax, 0x56781234
        lfs bx, [FARPTR + 2]
        mov ax, fs
        shl eax, 16
        mov ax, bx
        CHECK eax, 0xDEF05678
        lgs ecx, [FARPTR + 4]              ; m16:32
        mov ax, gs
        and eax, 0xFFFF
        CHECK eax, 0x0123
        CHECK ecx, 0x9ABCDEF0
        mov dword [FARPTR + 10], STACK_TOP
        mov word [FARPTR + 14], 0
        mov word [FARPTR], STACK_TOP - 0x100
        mov word [FARPTR + 2], 0x0010      ; same linear stack top, different SS:SP
        lss sp, [FARPTR]
        push word 0x4321
        mov ax, ss
        mov bx, sp
        mov cx, [STACK_TOP - 2]
        lss esp, [FARPTR + 10]             ; back to 0000:STACK_TOP (see below)
        shl eax, 16
        mov ax, bx
        CHECK eax, 0x00100000 | (STACK_TOP - 0x100 - 2)
        and ecx, 0xFFFF
        CHECK ecx, 0x4321
        xor ax, ax
        mov es, ax
        mov fs, ax
        mov gs, ax

; ---------------------------------------------------------------------------------------------
        HARNESS_PASS

; ---- subroutines ----
near_sub:
        mov bp, sp
        mov ax, [bp]
        mov [SAVE_IP], ax
        mov [SAVE_SP], sp
        ret

ret4_sub:
        mov bp, sp
        mov eax, [bp + 2]
        mov [SAVE_X], eax
        ret 4

near32_sub:
        mov bp, sp
        mov eax, [bp]
        mov [SAVE_IP], eax
        mov [SAVE_SP], sp
        o32 ret

far_sub:
        mov bp, sp
        mov ax, [bp]
        mov [SAVE_IP], ax
        mov ax, [bp + 2]
        mov [SAVE_CS], ax
        mov [SAVE_CS + 2], cs
        mov [SAVE_SP], sp
        retf

retf4_sub:
        mov bp, sp
        mov eax, [bp + 4]
        mov [SAVE_X], eax
        retf 4

setbytes_mask:                          ; EBX = sum(SETBYTES[i] << i)
        xor ebx, ebx
        mov si, 15
.l:     shl ebx, 1
        xor eax, eax
        mov al, [SETBYTES + si]
        add ebx, eax
        dec si
        jns .l
        ret

int40_handler:
        mov dword [SAVE_VEC], 0x40
        mov ebx, 0x40404040
        jmp int_common
int3_handler:
        mov dword [SAVE_VEC], 3
        jmp int_common
int4_handler:
        mov dword [SAVE_VEC], 4
int_common:                             ; record the frame (clobbers EAX), set CF in the returned FLAGS
        pushf                           ; FLAGS inside the handler, before anything changes them
        pop word [SAVE_FLIN]
        mov word [SAVE_FLIN + 2], 0
        mov bp, sp
        xor eax, eax
        mov ax, [bp]
        mov [SAVE_IP], eax
        mov ax, [bp + 2]
        mov [SAVE_CS], eax
        mov ax, [bp + 4]
        mov [SAVE_FL], eax
        mov ax, sp
        mov [SAVE_SP], eax
        or word [bp + 4], CF
        iret

loop_data1: db 5, 6, 7, 8, 9
loop_data2: db 7, 7, 7, 9, 7
xlat_rom:   db 0x30, 0x31, 0x32, 0x33, 0x34
rom_dword:  dd 0x0F0E0D0C

        HARNESS_END
