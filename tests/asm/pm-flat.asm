; pm-flat.asm - entering 32-bit protected mode with flat segments, then 32-bit checks:
; GDT copied to RAM + LGDT, CR0.PE, far JMP to a 32-bit code segment (base 0, 4G, D=1), flat
; data/stack segments (stack above 1 MiB), accessed bits, a segment with a nonzero base,
; memory above 1 MiB (no A20 aliasing), ALU/flags with 32-bit default operand size and 66/67
; prefixes meaning 16-bit, 32-bit addressing (SIB) and 67-prefixed 16-bit addressing, 32-bit
; string copies, CALL/RET (near/far, direct/indirect, RET imm16), PUSH/POP with a 32-bit stack,
; SGDT/SIDT round trips, and an IDT: a 32-bit interrupt gate (INT 0x30, IF cleared), a 32-bit
; trap gate (INT 0x31, IF kept) and a trap gate for #DE (vector 0) whose handler must see the
; EIP of the faulting DIV; all return with IRETD.
; IF is set only around INT 0x30/0x31 (the PICs are masked first).
%define TEST_NAME "pm-flat"
%define HARNESS_PM32
%include "harness.inc"

GDTR      equ DATA + 0x00               ; 6-byte pseudo-descriptors
IDTR      equ DATA + 0x08
SAVED_CR0 equ DATA + 0x10
SAVE_IP   equ DATA + 0x20
SAVE_CS   equ DATA + 0x24
SAVE_FL   equ DATA + 0x28
SAVE_SP   equ DATA + 0x2C
SAVE_FLIN equ DATA + 0x30
SAVE_VEC  equ DATA + 0x34
DE_COUNT  equ DATA + 0x38
DE_RESUME equ DATA + 0x3C
FARPTR    equ DATA + 0x40
SCRATCH   equ DATA + 0x100
PM_STACK  equ 0x00200000                ; 2 MiB: a stack that needs 32-bit ESP
BUF_SRC   equ 0x00100000                ; above 1 MiB
BUF_DST   equ 0x00100800
GDT2      equ 0x00101000                ; second GDT copy for the SGDT round trip

; SET_GATE vector, handler, type (0x8E interrupt gate, 0x8F trap gate) - 32-bit code only
%macro SET_GATE 3
        mov eax, %2
        mov [H_IDT32 + (%1)*8], ax
        mov word [H_IDT32 + (%1)*8 + 2], SEL_CODE32
        mov word [H_IDT32 + (%1)*8 + 4], (%3) << 8
        shr eax, 16
        mov [H_IDT32 + (%1)*8 + 6], ax
%endmacro

; DE_CASE instruction... : must raise #DE (4 checks: count, EIP, CS, stack balanced)
%macro DE_CASE 1+
        mov dword [DE_COUNT], 0
        mov dword [DE_RESUME], %%after
%%fault:
        %1
        FAIL_NOW "no #DE raised"
%%after:
        mov [SAVE_SP], esp
        CHECK dword [DE_COUNT], 1
        CHECK dword [SAVE_IP], %%fault
        CHECK dword [SAVE_CS], SEL_CODE32
        CHECK dword [SAVE_SP], PM_STACK
%endmacro

start:
        HARNESS_INIT
        GROUP "real-mode setup"
        smsw ax
        and eax, 1
        CHECK eax, 0                    ; PE clear after reset
        mov si, h_gdt_template          ; copy the GDT to RAM
        mov di, H_GDT
        mov cx, H_GDT_SIZE
.copy:  mov al, [cs:si]
        mov [di], al
        inc si
        inc di
        dec cx
        jnz .copy
        mov word [GDTR], H_GDT_SIZE - 1
        mov dword [GDTR + 2], H_GDT
        lgdt [GDTR]
        mov dword [SCRATCH], 0
        mov dword [SCRATCH + 4], 0
        sgdt [SCRATCH]
        CHECK dword [SCRATCH], (H_GDT << 16) | (H_GDT_SIZE - 1)
        CHECK dword [SCRATCH + 4], 0
        mov al, 0xFF                    ; mask both PICs: no IRQ while IF is briefly set
        out 0x21, al
        out 0xA1, al
        cli
        mov eax, cr0
        mov [SAVED_CR0], eax
        or eax, 1
        mov cr0, eax
        jmp dword SEL_CODE32:pm_entry   ; 66 EA: into the 32-bit code segment

section .pm32
bits 32
pm_entry:
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, PM_STACK
        H32_IDT_INIT                    ; catch-all gates for unexpected exceptions

        GROUP "protected mode state"
        mov eax, cr0
        and eax, 1
        CHECK eax, 1
        smsw ax
        and eax, 1
        CHECK eax, 1
        xor eax, eax
        mov ax, cs
        CHECK eax, SEL_CODE32
        mov ax, ss
        CHECK eax, SEL_DATA32
        mov ax, ds
        CHECK eax, SEL_DATA32
        mov eax, esp
        CHECK eax, PM_STACK
        movzx eax, byte [H_GDT + SEL_DATA32 + 5]    ; accessed bit set by the loads
        CHECK eax, 0x93
        movzx eax, byte [H_GDT + SEL_CODE32 + 5]    ; CS: QEMU does not set A on a far JMP
        and eax, 0xFE                   ; (the SDM says it does): only check the rest
        CHECK eax, 0x9A

        GROUP "segment base and memory above 1 MiB"
        mov ax, SEL_DATAX               ; base 0x12340
        mov es, ax
        mov dword [es:0x10], 0xFEEDFACE
        mov eax, [0x12350]
        CHECK eax, 0xFEEDFACE
        mov dword [0x12360], 0x0BADF00D
        mov eax, [es:0x20]
        CHECK eax, 0x0BADF00D
        mov ax, SEL_DATA32
        mov es, ax
        mov dword [0x00108000], 0x11111111  ; 1 MiB + DATA: must not alias DATA
        mov dword [0x00008000 + 0x200], 0x22222222
        mov dword [0x00108000 + 0x200], 0x33333333
        CHECK dword [0x00008000 + 0x200], 0x22222222
        CHECK dword [0x00108000 + 0x200], 0x33333333
        mov dword [0x00FFFFF0], 0x44556677  ; near the top of 16 MiB
        CHECK dword [0x00FFFFF0], 0x44556677

        GROUP "alu (32-bit default operand size)"
        mov eax, 0xFFFFFFFF
        mov ebx, 1
        SETF 0
        add eax, ebx                    ; 01 D8: no prefix = 32-bit
        CHECKF CF|ZF|PF|AF
        CHECK eax, 0
        mov eax, 0x12340000
        mov ebx, 0x00000001
        SETF 0
        sub ax, bx                      ; 66 29 D8: 16-bit
        CHECKF CF|SF|PF|AF
        CHECK eax, 0x1234FFFF
        mov ecx, 0x7FFFFFFF
        SETF CF|ZF
        inc ecx                         ; 41 is INC ECX in 32-bit code; CF unaffected
        CHECKF OF|SF|AF|PF|CF
        CHECK ecx, 0x80000000
        dec cx                          ; 66 49
        CHECK ecx, 0x8000FFFF
        mov edx, 0x000000FF
        SETF CF
        adc dl, 0                       ; 8-bit ops are unchanged
        CHECKF CF|ZF|PF|AF
        CHECK edx, 0
        mov eax, 0x00010000
        imul eax, eax, 0x10000          ; 69: overflows
        CHECKF CF|OF, CF|OF
        CHECK eax, 0
        mov eax, 0x12345678
        mov edx, 0
        mov ebx, 0x100
        div ebx
        CHECK eax, 0x00123456
        CHECK edx, 0x78
        mov eax, 0x8000
        cwde                            ; 98 is CWDE in 32-bit code
        CHECK eax, 0xFFFF8000
        mov eax, 0x1234FF80
        o16 cbw                         ; 66 98
        CHECK eax, 0x1234FF80
        mov eax, 0x80000000
        cdq                             ; 99 is CDQ
        CHECK edx, 0xFFFFFFFF
        mov eax, 0x80000001
        rol eax, 1
        CHECKF CF, CF
        CHECK eax, 3
        mov eax, 0xF0F0F0F0
        shld eax, ebx, 8                ; EBX = 0x100
        CHECK eax, 0xF0F0F000
        bswap eax
        CHECK eax, 0x00F0F0F0
        movzx ecx, ax
        CHECK ecx, 0xF0F0
        movsx ecx, ah
        CHECK ecx, 0xFFFFFFF0
        SETF ZF
        setz cl
        cmovnz ecx, eax
        CHECK ecx, 0xFFFFFF01
        mov eax, 0x55
        mov dword [SCRATCH], 0x55
        mov ebx, 0xAA
        cmpxchg [SCRATCH], ebx
        CHECK dword [SCRATCH], 0xAA
        bts dword [SCRATCH], 33         ; imm offset mod 32: bit 1
        CHECKF CF, CF
        CHECK dword [SCRATCH], 0xAA

        GROUP "addressing (32-bit and 67-prefixed 16-bit)"
        mov dword [SCRATCH + 0x40], 0xA1A2A3A4
        mov ebx, SCRATCH - 0x12345
        mov ecx, 8
        mov eax, [ebx + ecx*8 + 0x12345]   ; SIB + disp32
        CHECK eax, 0xA1A2A3A4
        lea eax, [ebx + ecx*8 + 0x12345]
        CHECK eax, SCRATCH + 0x40
        mov esi, 0x40
        mov eax, [esi + SCRATCH]
        CHECK eax, 0xA1A2A3A4
        mov bx, SCRATCH                 ; 67: [bx+si] in 32-bit code
        mov si, 0x40
        a16 mov eax, [bx + si]
        CHECK eax, 0xA1A2A3A4
        a16 lea eax, [bx + si + 0x10]
        CHECK eax, SCRATCH + 0x50
        mov ebx, 0xFFFF0000 + SCRATCH   ; 16-bit addressing ignores the upper halves
        mov esi, 0xFFFF0040
        a16 mov eax, [bx + si]
        CHECK eax, 0xA1A2A3A4
        push dword 0x5A5A5A5A
        mov eax, [esp]                  ; ESP base
        add esp, 4
        CHECK eax, 0x5A5A5A5A
        mov ax, SEL_DATAX               ; FS override: base 0x12340
        mov fs, ax
        mov dword [0x12340 + 0x30], 0x600DCAFE
        mov ecx, 0x18
        mov eax, [fs:ecx*2]
        CHECK eax, 0x600DCAFE
        mov ax, SEL_DATA32
        mov fs, ax

        GROUP "string ops (32-bit addresses)"
        mov edi, BUF_SRC
        mov eax, 0x03020100
        mov ecx, 16
.fill:  stosd
        add eax, 0x04040404
        dec ecx
        jnz .fill
        mov dword [BUF_DST + 0x40], 0xEEEEEEEE
        mov esi, BUF_SRC
        mov edi, BUF_DST
        mov ecx, 16
        cld
        rep movsd
        CHECK esi, BUF_SRC + 0x40
        CHECK edi, BUF_DST + 0x40
        CHECK ecx, 0
        CHECK dword [BUF_DST], 0x03020100
        CHECK dword [BUF_DST + 0x3C], 0x3F3E3D3C
        CHECK dword [BUF_DST + 0x40], 0xEEEEEEEE
        mov esi, BUF_SRC + 0x3F         ; backwards, bytes
        mov edi, BUF_DST + 0x43
        mov ecx, 3
        std
        rep movsb
        cld
        CHECK dword [BUF_DST + 0x40], 0x3F3E3DEE
        CHECK esi, BUF_SRC + 0x3C
        mov edi, BUF_SRC
        mov ecx, 0x40
        mov al, 0x2A
        repne scasb
        CHECK edi, BUF_SRC + 0x2B
        CHECK ecx, 0x40 - 0x2B
        mov esi, 0x12340000 + SCRATCH   ; 67: SI/DI/CX only
        mov edi, 0x56780000 + SCRATCH + 0x80
        mov ecx, 0xABCD0004
        a16 rep movsb
        CHECK esi, 0x12340000 + SCRATCH + 4
        CHECK edi, 0x56780000 + SCRATCH + 0x84
        CHECK ecx, 0xABCD0000
        CHECK dword [SCRATCH + 0x80], 0x000000AA

        GROUP "call/ret"
        call near_sub
.c1:    CHECK dword [SAVE_IP], .c1
        CHECK dword [SAVE_SP], PM_STACK - 4
        push dword 0x11111111
        push dword 0x22222222
        call ret8_sub
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], PM_STACK
        CHECK dword [SCRATCH], 0x22222222
        mov eax, near_sub
        call eax
.c2:    CHECK dword [SAVE_IP], .c2
        mov dword [SCRATCH], near_sub
        call [SCRATCH]
.c3:    CHECK dword [SAVE_IP], .c3
        call SEL_CODE32:far_sub         ; 9A ptr16:32
.c4:    CHECK dword [SAVE_IP], .c4
        CHECK dword [SAVE_CS], SEL_CODE32
        CHECK dword [SAVE_SP], PM_STACK - 8
        mov dword [FARPTR], far_sub
        mov word [FARPTR + 4], SEL_CODE32
        call far [FARPTR]               ; FF /3 m16:32
.c5:    CHECK dword [SAVE_IP], .c5
        mov dword [FARPTR], .c6
        jmp far [FARPTR]                ; FF /5 m16:32
        FAIL_NOW "jmp far [mem] fell through"
.c6:    jmp SEL_CODE32:.c7              ; EA ptr16:32
        FAIL_NOW "jmp far ptr fell through"
.c7:    mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], PM_STACK

        GROUP "push/pop (32-bit stack)"
        push byte -1                    ; 6A: 4 bytes
        push dword 0x12345678           ; 68 id
        push esp                        ; value before the push
        pushfd
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], PM_STACK - 16
        CHECK dword [PM_STACK - 4], 0xFFFFFFFF
        CHECK dword [PM_STACK - 8], 0x12345678
        CHECK dword [PM_STACK - 12], PM_STACK - 8
        add esp, 16
        push word 0xBEEF                ; 66 68: 2 bytes
        pop ax
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], PM_STACK
        and eax, 0xFFFF
        CHECK eax, 0xBEEF
        push ds                         ; 4 bytes with a 32-bit operand size
        mov [SAVE_SP], esp
        pop es
        CHECK dword [SAVE_SP], PM_STACK - 4
        mov eax, 0xA0000001
        mov ebp, 0xA0000005
        mov edi, 0xA0000007
        pushad
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], PM_STACK - 32
        CHECK dword [PM_STACK - 4], 0xA0000001     ; EAX
        CHECK dword [PM_STACK - 20], PM_STACK      ; ESP
        CHECK dword [PM_STACK - 32], 0xA0000007    ; EDI
        mov eax, 0
        mov ebp, 0
        popad
        CHECK eax, 0xA0000001
        CHECK ebp, 0xA0000005
        push dword OF|DF|CF
        popfd
        pushfd
        pop eax
        cld
        CHECK eax, OF|DF|CF|2
        enter 16, 0
        mov [SAVE_SP], esp
        mov [SAVE_FL], ebp
        leave
        CHECK dword [SAVE_SP], PM_STACK - 4 - 16
        CHECK dword [SAVE_FL], PM_STACK - 4

        GROUP "sgdt/sidt round trip"
        sgdt [SCRATCH]
        CHECK dword [SCRATCH], (H_GDT << 16) | (H_GDT_SIZE - 1)
        CHECK dword [SCRATCH + 2], H_GDT
        sidt [SCRATCH]
        CHECK dword [SCRATCH], (H_IDT32 << 16) | 0x7FF
        mov esi, H_GDT                  ; move the GDT above 1 MiB and reload the segments
        mov edi, GDT2
        mov ecx, H_GDT_SIZE
        rep movsb
        mov word [SCRATCH], H_GDT_SIZE - 1
        mov dword [SCRATCH + 2], GDT2
        lgdt [SCRATCH]
        mov dword [SCRATCH + 8], 0
        mov dword [SCRATCH + 12], 0
        sgdt [SCRATCH + 8]
        CHECK dword [SCRATCH + 8], ((GDT2 & 0xFFFF) << 16) | (H_GDT_SIZE - 1)
        CHECK dword [SCRATCH + 12], GDT2 >> 16
        mov ax, SEL_DATAX               ; a load now reads GDT2: make its DATAX base differ
        mov byte [GDT2 + SEL_DATAX + 4], 0x02   ; base 0x22340
        mov es, ax
        mov dword [es:0], 0x77777777
        mov ax, SEL_DATA32
        mov es, ax
        CHECK dword [0x22340], 0x77777777
        mov ax, SEL_DATA32
        mov ds, ax
        mov ss, ax
        jmp SEL_CODE32:.g1
.g1:    mov word [SCRATCH], H_GDT_SIZE - 1
        mov dword [SCRATCH + 2], H_GDT
        lgdt [SCRATCH]
        sgdt [SCRATCH + 8]
        CHECK dword [SCRATCH + 10], H_GDT

        GROUP "idt: int 0x30 interrupt gate, int 0x31 trap gate"
        SET_GATE 0x30, int30_handler, 0x8E
        SET_GATE 0x31, int31_handler, 0x8F
        mov dword [SAVE_VEC], 0
        mov ebx, 0
        SETF ZF
        sti
        int 0x30                        ; STI shadow covers the INT
.i1:    CHECKF ZF|CF, ARITH|IF          ; handler set CF and cleared IF in the image
        CHECK ebx, 0x30303030
        CHECK dword [SAVE_VEC], 0x30
        CHECK dword [SAVE_IP], .i1
        CHECK dword [SAVE_CS], SEL_CODE32
        CHECK dword [SAVE_FL], ZF|IF|2  ; EFLAGS pushed by INT
        CHECK dword [SAVE_FLIN], ZF|2   ; interrupt gate: IF clear inside
        CHECK dword [SAVE_SP], PM_STACK - 12
        mov [SAVE_SP], esp
        CHECK dword [SAVE_SP], PM_STACK
        SETF SF
        sti
        int 0x31
.i2:    CHECKF SF|CF, ARITH|IF
        CHECK dword [SAVE_VEC], 0x31
        CHECK dword [SAVE_IP], .i2
        CHECK dword [SAVE_FLIN], SF|IF|2    ; trap gate: IF unchanged inside
        push dword CF|2                 ; IRETD as a far return with EFLAGS
        push dword SEL_CODE32
        push dword .i3
        iretd
        FAIL_NOW "iretd did not jump"
.i3:    CHECKF CF

        GROUP "idt: #DE trap gate"
        SET_GATE 0, de_handler, 0x8F
        mov eax, 0x12345678
        mov edx, 0
        mov ecx, 0
        DE_CASE div ecx
        CHECK eax, 0x12345678           ; no register changed
        CHECK edx, 0
        mov eax, 0x80000000             ; -2^31 / -1
        mov edx, 0xFFFFFFFF
        mov ecx, 0xFFFFFFFF
        DE_CASE idiv ecx
        mov dword [SCRATCH], 0x10       ; DX:AX = 0x00100000 / 0x10: 16-bit quotient overflow
        mov eax, 0
        mov edx, 0x10
        mov ebx, SCRATCH
        DE_CASE div word [ebx]          ; 66 F7 33
        mov eax, 100                    ; division works afterwards
        mov ecx, 7
        mov edx, 0
        div ecx
        CHECK eax, 14
        CHECK edx, 2

        HARNESS_PASS

; ---- subroutines and handlers (32-bit) ----
near_sub:
        mov eax, [esp]
        mov [SAVE_IP], eax
        mov [SAVE_SP], esp
        ret

ret8_sub:
        mov eax, [esp + 4]
        mov [SCRATCH], eax
        ret 8

far_sub:
        mov eax, [esp]
        mov [SAVE_IP], eax
        movzx eax, word [esp + 4]       ; the pushed CS (upper half of the slot not checked)
        mov [SAVE_CS], eax
        mov [SAVE_SP], esp
        retf

int30_handler:                          ; interrupt gate
        pushfd
        pop dword [SAVE_FLIN]
        mov dword [SAVE_VEC], 0x30
        mov ebx, 0x30303030
        jmp int_common
int31_handler:                          ; trap gate
        pushfd
        pop dword [SAVE_FLIN]
        mov dword [SAVE_VEC], 0x31
int_common:                             ; record the frame; return with CF set and IF clear
        mov eax, [esp]
        mov [SAVE_IP], eax
        mov eax, [esp + 4]
        and eax, 0xFFFF
        mov [SAVE_CS], eax
        mov eax, [esp + 8]
        mov [SAVE_FL], eax
        mov [SAVE_SP], esp
        or dword [esp + 8], CF
        and dword [esp + 8], ~IF
        iretd

de_handler:                             ; #DE: fault, EIP points at the DIV; resume at DE_RESUME
        push eax
        mov eax, [esp + 4]
        mov [SAVE_IP], eax
        mov eax, [esp + 8]
        and eax, 0xFFFF
        mov [SAVE_CS], eax
        mov eax, [esp + 12]
        mov [SAVE_FL], eax
        inc dword [DE_COUNT]
        mov eax, [DE_RESUME]
        mov [esp + 4], eax
        pop eax
        iretd

        HARNESS_END
