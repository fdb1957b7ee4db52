; pm-switch-back.asm - real mode -> 16-bit protected mode (LMSW) -> 32-bit code -> 16-bit
; protected mode -> real mode (clear CR0.PE, far JMP), checking on the way that descriptor bases
; are used in protected mode (a 16-bit data segment based at 0x12340), that LMSW cannot clear
; PE, and afterwards that real-mode segment arithmetic (linear = segment * 16 + offset), the
; real-mode IVT (INT n) and the stack work again.
%define TEST_NAME "pm-switch-back"
%define HARNESS_PM32
%include "harness.inc"

GDTR      equ DATA + 0x00
RM_IDTR   equ DATA + 0x08               ; limit 0x3FF, base 0: the real-mode IVT
MARK      equ DATA + 0x10

start:
        HARNESS_INIT
        GROUP "real mode (before)"
        mov ax, 0x1234                  ; 1234:0010 = linear 0x12350
        mov es, ax
        mov dword [es:0x10], 0xA5A51234
        mov ax, 0x1000                  ; 1000:2350 is the same byte
        mov fs, ax
        CHECK dword [fs:0x2350], 0xA5A51234
        xor ax, ax
        mov es, ax
        mov fs, ax
        mov word [0x50*4], int50_handler
        mov word [0x50*4 + 2], 0xF000
        mov si, h_gdt_template
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
        mov word [RM_IDTR], 0x3FF
        mov dword [RM_IDTR + 2], 0
        cli
        smsw ax
        or ax, 1
        lmsw ax                         ; LMSW can set PE
        jmp SEL_CODE16:pm16             ; EA: CODE16 has base 0xF0000, so offsets are unchanged

pm16:
        mov ax, SEL_DATA16
        mov ss, ax                      ; SP stays STACK_TOP (base 0)
        mov ax, SEL_DATA32
        mov ds, ax
        call h16_idt16_init             ; catch-all 16-bit IDT while in protected mode
        GROUP "16-bit protected mode"
        xor eax, eax
        mov ax, cs
        CHECK eax, SEL_CODE16
        smsw ax
        and eax, 1
        CHECK eax, 1
        smsw ax                         ; LMSW cannot clear PE
        and ax, 0xFFFE
        lmsw ax
        smsw ax
        and eax, 1
        CHECK eax, 1
        mov ax, SEL_DATAX               ; base 0x12340
        mov es, ax
        CHECK dword [es:0x10], 0xA5A51234
        mov dword [es:0x20], 0x5A5A4321
        CHECK dword [dword 0x12360], 0x5A5A4321  ; 67: a 32-bit offset through the 4G DS
        mov ax, SEL_DATA32
        mov es, ax
        push word 0x7777                ; 16-bit stack segment (SEL_DATA16)
        pop ax
        and eax, 0xFFFF
        CHECK eax, 0x7777
        jmp dword SEL_CODE32:pm32_hop   ; to 32-bit code and back

pm16_back:
        mov ax, SEL_DATA16
        mov ss, ax
        GROUP "16-bit protected mode (after the 32-bit hop)"
        xor eax, eax
        mov ax, cs
        CHECK eax, SEL_CODE16
        CHECK dword [MARK], 0x32323232
        mov ax, SEL_DATA16              ; real-mode-like limits/attributes in every data register
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        lidt [RM_IDTR]                  ; the IVT again
        mov eax, cr0
        and eax, 0xFFFFFFFE
        mov cr0, eax
        jmp 0xF000:rm_back              ; reload CS with a real-mode value

rm_back:
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, STACK_TOP
        GROUP "real mode (after)"
        smsw ax
        and eax, 1
        CHECK eax, 0
        mov ax, cs
        CHECK eax, 0xF000
        mov ax, 0x1234                  ; segment arithmetic again: 1234:0020 = 0x12360
        mov es, ax
        CHECK dword [es:0x20], 0x5A5A4321
        mov ax, 0x1236
        mov fs, ax
        CHECK dword [fs:0x0000], 0x5A5A4321
        mov dword [fs:0x0008], 0x13579BDF
        mov ax, 0x1000
        mov gs, ax
        CHECK dword [gs:0x2368], 0x13579BDF
        mov ax, DATA >> 4               ; DS = 0x0800: DS:0010 = linear 0x8010 = MARK
        mov ds, ax
        mov eax, [0x10]
        xor bx, bx
        mov ds, bx
        CHECK eax, 0x32323232
        mov ax, 0x0100                  ; SS = 0x0100: same linear stack top
        mov ss, ax
        mov sp, STACK_TOP - 0x1000
        push dword 0x2468ACE0
        xor ax, ax
        mov ss, ax
        mov sp, STACK_TOP
        mov eax, [STACK_TOP - 4]        ; (read before CHECK pushes over it)
        CHECK eax, 0x2468ACE0
        mov dword [MARK], 0
        int 0x50                        ; through the real-mode IVT
        CHECK dword [MARK], 0x50505050
        xor eax, eax
        mov ax, [0x50*4 + 2]
        CHECK eax, 0xF000

        HARNESS_PASS

int50_handler:
        mov dword [MARK], 0x50505050
        iret

section .pm32
bits 32
pm32_hop:
        mov ax, SEL_DATA32
        mov ds, ax
        mov ss, ax                      ; ESP = STACK_TOP (upper half zero)
        GROUP "32-bit hop"
        xor eax, eax
        mov ax, cs
        CHECK eax, SEL_CODE32
        mov eax, [0x12360]
        CHECK eax, 0x5A5A4321
        mov dword [MARK], 0x32323232
        jmp SEL_CODE16:pm16_back        ; EA ptr16:32 back to the 16-bit code segment

        HARNESS_END
