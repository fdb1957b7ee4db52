; pm-exceptions.asm - exception delivery in 32-bit protected mode (ring 0), through the
; pmtest.inc recorder (32-bit interrupt gates): #UD (UD2, MOV CS, MOV to Sreg 6, 0F 00 /6,
; CMPXCHG8B and LEA with a register operand, MOV CR1) with EIP at the instruction; #DE from DIV,
; IDIV and AAM 0 (fault, no error code: the frame is 3 dwords, registers unchanged); INT3 and
; INT 3 (#BP, trap: EIP after the instruction); INTO (#OF when OF=1, nothing when OF=0);
; INT n faults: a vector beyond the IDT limit, a not-present gate, a gate of a wrong type, a gate
; whose selector is null, beyond the GDT, a data segment or a not-present code segment (error
; codes with IDT/EXT bits); IRET to a null, a data, a not-present selector and to ring 3 with a
; bad SS; far JMP/CALL/RETF to null, data, not-present, out-of-limit, wrong-privilege code
; (#GP/#NP with the selector); the EXT bit when delivering a
; hardware exception through a not-present gate (#UD -> #NP, benign then contributory: handled
; serially); double faults: #GP while the #GP gate is not present (#GP -> #NP -> #DF) and #DE
; with a not-present #DE gate, delivered through an interrupt gate for vector 8 with error code 0.
%define TEST_NAME "pm-exceptions"
%define HARNESS_PM32
%include "harness.inc"
%include "pmtest.inc"

SEL_CODE_NP  equ PT_GDT_EXTRA + 0x00    ; 32-bit code, DPL 0, not present
SEL_CONF3    equ PT_GDT_EXTRA + 0x08    ; conforming 32-bit code, DPL 3
SCRATCH      equ PT_FREE
IDTR_SAVE    equ PT_FREE + 0x10
IDTR_SMALL   equ PT_FREE + 0x20

start:
        HARNESS_INIT
        PT_ENTER_PM32 pm_entry, gdt_extra, gdt_extra_end

gdt_extra:
        dw 0xFFFF, 0x0000, 0x1A00, 0x00CF       ; SEL_CODE_NP: P=0
        dw 0xFFFF, 0x0000, 0xFE00, 0x00CF       ; SEL_CONF3
gdt_extra_end:

section .pm32
bits 32
pm_entry:
        PT_INIT32
        sidt [IDTR_SAVE]

        GROUP "#UD"
        XFAULT 6, NOERR, ud2
        XFAULT 6, NOERR, db 0x8E, 0xC8          ; mov cs, ax
        XFAULT 6, NOERR, db 0x8E, 0xF0          ; mov <sreg 6>, ax
        XFAULT 6, NOERR, db 0x0F, 0x00, 0xF0    ; group 6 /6
        XFAULT 6, NOERR, db 0x0F, 0xC7, 0xC8    ; cmpxchg8b with a register operand
        XFAULT 6, NOERR, db 0x8D, 0xC0          ; lea eax, eax
        XFAULT 6, NOERR, db 0x0F, 0x22, 0xC8    ; mov cr1, eax
        CHECK dword [X_CS], SEL_CODE32
        mov eax, [X_EFL]
        and eax, 0x0002                         ; EFLAGS image: bit 1 set
        CHECK eax, 2

        GROUP "#DE"
        mov eax, 0x12345678
        mov edx, 0x9ABC
        mov ecx, 0
        mov ebx, 0x5555
        XFAULT 0, NOERR, div ecx
        CHECK edx, 0x9ABC                       ; no register changed
        CHECK ebx, 0x5555
        mov eax, 0x80000000                     ; -2^31 / -1
        mov edx, 0xFFFFFFFF
        mov ecx, 0xFFFFFFFF
        XFAULT 0, NOERR, idiv ecx
        CHECK edx, 0xFFFFFFFF
        mov eax, 0x1234
        XFAULT 0, NOERR, aam 0
        mov eax, 100
        mov edx, 0
        mov ecx, 7
        div ecx                                 ; a good DIV afterwards
        CHECK eax, 14

        GROUP "#BP #OF"
        XTRAP 3, int3
        XTRAP 3, int 3                          ; CD 03
        mov al, 0x7F
        add al, 1                               ; OF=1
        XTRAP 4, into
        CHECK dword [X_EFL], 0x0802 | SF | AF   ; OF SF AF from 0x7F + 1 (ZF PF CF clear)
        mov dword [X_COUNT], 0
        mov al, 1
        add al, 1                               ; OF=0: INTO does nothing
        into
        CHECK dword [X_COUNT], 0

        GROUP "int n: IDT limit"
        mov word [IDTR_SMALL], 0x3FF            ; vectors 0-0x7F
        mov dword [IDTR_SMALL + 2], H_IDT32
        lidt [IDTR_SMALL]
        XFAULT 13, (0x80 << 3) | 2, int 0x80
        XFAULT 13, (0xFF << 3) | 2, int 0xFF
        XTRAP PT_VEC_SYS, int PT_VEC_SYS        ; the last gate inside the limit works
        mov word [IDTR_SMALL], 0x3FE            ; the gate for 0x7F ends one byte past the limit
        lidt [IDTR_SMALL]
        XFAULT 13, (0x7F << 3) | 2, int 0x7F
        lidt [IDTR_SAVE]

        GROUP "int n: bad gates"
        PT_GATE 0x40, gate_target, 0x0E         ; not present
        XFAULT 11, (0x40 << 3) | 2, int 0x40
        PT_GATE 0x41, gate_target, 0x8C         ; type 0xC (call gate) in the IDT
        XFAULT 13, (0x41 << 3) | 2, int 0x41
        PT_GATE 0x41, gate_target, 0x80         ; type 0
        XFAULT 13, (0x41 << 3) | 2, int 0x41
        PT_GATE 0x42, gate_target, 0x8E, 0      ; null selector
        XFAULT 13, 0, int 0x42
        PT_GATE 0x42, gate_target, 0x8E, SEL_DATA32   ; not a code segment
        XFAULT 13, SEL_DATA32, int 0x42
        PT_GATE 0x42, gate_target, 0x8E, 0x1F8  ; beyond the GDT limit
        XFAULT 13, 0x1F8, int 0x42
        PT_GATE 0x42, gate_target, 0x8E, SEL_CODE_NP  ; code segment not present
        XFAULT 11, SEL_CODE_NP, int 0x42
        PT_GATE 0x42, gate_target, 0x8E, SEL_CODE3    ; code DPL 3 > CPL 0
        XFAULT 13, SEL_CODE3 & ~3, int 0x42
        PT_GATE 0x42, gate_target, 0x8E         ; a good gate at last
        mov dword [X_COUNT], 0
        int 0x42
        CHECK dword [X_COUNT], 0x42             ; set by gate_target

        GROUP "iret faults"
        push dword 2
        push dword 0                            ; null CS
        push dword gate_target
        XFAULT 13, 0, iretd
        add esp, 12
        push dword 2
        push dword SEL_DATA32                   ; not code
        push dword gate_target
        XFAULT 13, SEL_DATA32, iretd
        add esp, 12
        push dword 2
        push dword SEL_CODE_NP                  ; not present
        push dword gate_target
        XFAULT 11, SEL_CODE_NP, iretd
        add esp, 12

        push dword SEL_DATA32                   ; to ring 3 with a DPL-0 SS
        push dword PT_USTACK
        push dword 2
        push dword SEL_CODE3
        push dword gate_target
        XFAULT 13, SEL_DATA32, iretd
        mov dword [esp + 16], 0                 ; with a null SS
        XFAULT 13, 0, iretd
        mov dword [esp + 16], SEL_DATA3 & ~3    ; with SS.RPL 0 != CS.RPL 3
        XFAULT 13, SEL_DATA3 & ~3, iretd
        add esp, 20

        GROUP "far transfer faults"
        XFAULT 13, 0, jmp 0:gate_target         ; null
        XFAULT 13, SEL_DATA32, jmp SEL_DATA32:gate_target
        XFAULT 11, SEL_CODE_NP, jmp SEL_CODE_NP:gate_target
        XFAULT 13, 0x1F8, jmp 0x1F8:gate_target ; beyond the GDT limit
        XFAULT 13, SEL_CODE3 & ~3, jmp SEL_CODE3:gate_target     ; DPL 3 != CPL 0
        XFAULT 13, SEL_CONF3, jmp SEL_CONF3:gate_target          ; conforming DPL 3 > CPL 0
        XFAULT 13, SEL_CODE32, jmp (SEL_CODE32 | 1):gate_target  ; RPL 1 > CPL 0
        XFAULT 13, SEL_DATA32, call SEL_DATA32:gate_target
        XFAULT 11, SEL_CODE_NP, call SEL_CODE_NP:gate_target
        mov dword [PT_SCR], gate_target
        mov dword [PT_SCR + 4], SEL_CONF3
        XFAULT 13, SEL_CONF3, call far [PT_SCR]
        push dword 0                            ; RETF to a null selector
        push dword gate_target
        XFAULT 13, 0, retf
        mov dword [esp + 4], SEL_DATA32         ; RETF to a data segment
        XFAULT 13, SEL_DATA32, retf
        add esp, 8

        GROUP "EXT bit (exception through a bad gate)"
        PT_GATE 6, gate_target, 0x0E            ; #UD gate not present
        mov dword [X_COUNT], 0
        mov dword [X_RESUME], .ext1
        mov [X_KESP], esp
.ud:    ud2                                     ; benign #UD, then #NP: serial, not #DF
        FAIL_NOW "no exception raised"
.ext1:  CHECK dword [X_COUNT], 1
        CHECK dword [X_VEC], 11
        mov eax, [X_ERR]                        ; the SDM sets EXT (bit 0) here; QEMU does not:
        and eax, ~1                             ; only the IDT bit and the vector are checked
        CHECK eax, (6 << 3) | 2
        CHECK dword [X_EIP], .ud
        PT_CATCH 6
        PT_GATE 3, gate_target, 0x0E            ; INT3 is a software interrupt: EXT=0
        XFAULT 11, (3 << 3) | 2, int3
        PT_CATCH 3
        mov word [IDTR_SMALL], (13 * 8) + 7     ; vectors 0-13: the #GP gate is inside
        lidt [IDTR_SMALL]
        XFAULT 13, (0x40 << 3) | 2, int 0x40    ; software: EXT=0
        lidt [IDTR_SAVE]

        GROUP "double fault"
        PT_GATE 13, gate_target, 0x0E           ; #GP gate not present
        mov dword [X_COUNT], 0
        mov dword [X_RESUME], .df1
        mov [X_KESP], esp
        mov ax, 0x1F8                           ; beyond the GDT limit: #GP(0x1F8)
        mov ds, ax                              ; -> #NP(0x6B) while delivering -> #DF(0)
        FAIL_NOW "no exception raised"
.df1:   CHECK dword [X_COUNT], 1
        CHECK dword [X_VEC], 8
        CHECK dword [X_ERR], 0
        CHECK dword [X_CS], SEL_CODE32
        mov eax, [X_KESP_USED]
        sub eax, [X_FRAME]
        CHECK eax, 12
        mov ax, ds
        and eax, 0xFFFF
        CHECK eax, SEL_DATA32                   ; DS not loaded
        PT_CATCH 13
        mov ax, 0x1F8
        XFAULT 13, 0x1F8, mov ds, ax            ; a plain #GP again
        PT_GATE 0, gate_target, 0x0E            ; #DE gate not present
        mov dword [X_COUNT], 0
        mov dword [X_RESUME], .df2
        mov [X_KESP], esp
        mov eax, 1
        mov edx, 0
        mov ecx, 0
        div ecx                                 ; #DE -> #NP(3) -> #DF(0)
        FAIL_NOW "no exception raised"
.df2:   CHECK dword [X_COUNT], 1
        CHECK dword [X_VEC], 8
        CHECK dword [X_ERR], 0
        PT_CATCH 0
        mov ecx, 0
        XFAULT 0, NOERR, div ecx                ; and a plain #DE

        HARNESS_PASS

; an interrupt handler that records its vector's number in X_COUNT (0x42) and returns
gate_target:
        mov dword [X_COUNT], 0x42
        iretd

        HARNESS_END
