; pm-descriptors.asm - descriptor tables and the instructions that inspect them, in 32-bit
; protected mode: LAR and LSL (32- and 16-bit operand sizes) on data, code, conforming code,
; system descriptors (TSS, LDT), a call gate, an interrupt gate (invalid for LAR), null and
; out-of-limit selectors, RPL > DPL, and LDT selectors; VERR/VERW (readable/writable rules,
; conforming code, RPL, system and null selectors, from ring 0 and from ring 3); ARPL (register
; and memory forms); SLDT/STR (register zero-extension, 16-bit memory store); LLDT (an LDT in
; the GDT, faults for a TI=1 selector, a non-LDT descriptor, a not-present LDT, a selector beyond
; the GDT; a null LDTR) and segment loads from the LDT; segment-register loads that fault: #NP
; for a not-present data segment, #GP for execute-only code, a system descriptor, RPL > DPL, a
; selector beyond the GDT, SS with RPL or DPL != CPL, SS with code or a null selector, #SS for a
; not-present stack segment, POP DS and LDS; the accessed bit set in a data descriptor by a
; load; BOUND (#BR, vector 5, a fault: EIP at the BOUND; signed, inclusive, 16- and 32-bit).
; Segment limit checks are not exercised (tabvisor does not implement them).
%define TEST_NAME "pm-descriptors"
%define HARNESS_PM32
%include "harness.inc"
%include "pmtest.inc"

DATA_NA   equ PT_GDT_EXTRA + 0x00       ; data, DPL 0, base 0x20000, limit 0xFFF, accessed = 0
DATA_RO3  equ PT_GDT_EXTRA + 0x08       ; read-only data, DPL 3, flat
CODE_XO   equ PT_GDT_EXTRA + 0x10       ; execute-only code, DPL 0
CODE_RD   equ PT_GDT_EXTRA + 0x18       ; readable code, DPL 0
CODE_CF3  equ PT_GDT_EXTRA + 0x20       ; conforming readable code, DPL 3
DATA_NP   equ PT_GDT_EXTRA + 0x28       ; data, DPL 0, not present
LDT_DESC  equ PT_GDT_EXTRA + 0x30       ; LDT at LDT_ADDR, 3 entries
DATA_W3   equ PT_GDT_EXTRA + 0x38       ; writable data, DPL 3, flat
CALLGATE  equ PT_GDT_EXTRA + 0x40       ; 32-bit call gate, DPL 3
INTGATE   equ PT_GDT_EXTRA + 0x48       ; an interrupt gate in the GDT (not valid for LAR)
DATA_DPL1 equ PT_GDT_EXTRA + 0x50       ; writable data, DPL 1, base 0x345678, limit 0x12345
LDT_NP    equ PT_GDT_EXTRA + 0x58       ; LDT descriptor, not present
TSS16     equ PT_GDT_EXTRA + 0x60       ; available 16-bit TSS
CODE_CF0  equ PT_GDT_EXTRA + 0x68       ; conforming readable code, DPL 0
DATA_RO0  equ PT_GDT_EXTRA + 0x70       ; read-only data, DPL 0
GDT_LIMIT equ PT_GDT_EXTRA + 0x78 - 1
BEYOND    equ 0x3F8                     ; beyond the GDT limit

LDT_ADDR  equ 0x00030000
LSEL_D0   equ 0x04                      ; LDT 0: data DPL 0, base 0x40000, limit 0xFFFF
LSEL_D3   equ 0x0C | 3                  ; LDT 1: data DPL 3, flat
LSEL_C0   equ 0x14                      ; LDT 2: readable code DPL 0, flat
LSEL_OUT  equ 0x1C                      ; beyond the LDT limit

SCRATCH   equ PT_FREE
BOUNDS    equ PT_FREE + 0x20

start:
        HARNESS_INIT
        PT_ENTER_PM32 pm_entry, gdt_extra, gdt_extra_end

gdt_extra:
        dw 0x0FFF, 0x0000, 0x9202, 0x0040       ; DATA_NA
        dw 0xFFFF, 0x0000, 0xF000, 0x00CF       ; DATA_RO3
        dw 0xFFFF, 0x0000, 0x9800, 0x00CF       ; CODE_XO
        dw 0xFFFF, 0x0000, 0x9A00, 0x00CF       ; CODE_RD
        dw 0xFFFF, 0x0000, 0xFE00, 0x00CF       ; CODE_CF3
        dw 0xFFFF, 0x0000, 0x1200, 0x00CF       ; DATA_NP
        dw 0x0017, LDT_ADDR & 0xFFFF, 0x8200 | (LDT_ADDR >> 16), 0x0000   ; LDT_DESC
        dw 0xFFFF, 0x0000, 0xF200, 0x00CF       ; DATA_W3
        dw 0x1234, SEL_CODE32, 0xEC00, 0x0000   ; CALLGATE
        dw 0x1234, SEL_CODE32, 0x8E00, 0x0000   ; INTGATE
        dw 0x2345, 0x5678, 0xB234, 0x0041       ; DATA_DPL1
        dw 0x0017, LDT_ADDR & 0xFFFF, 0x0200 | (LDT_ADDR >> 16), 0x0000   ; LDT_NP
        dw 0x002B, 0x0000, 0x8101, 0x0000       ; TSS16 (base 0x10000, unused)
        dw 0xFFFF, 0x0000, 0x9E00, 0x00CF       ; CODE_CF0
        dw 0xFFFF, 0x0000, 0x9000, 0x00CF       ; DATA_RO0
gdt_extra_end:
%if gdt_extra_end - gdt_extra != 0x78
  %error "gdt_extra size"
%endif

ldt_template:
        dw 0xFFFF, 0x0000, 0x9204, 0x0000       ; LSEL_D0: base 0x40000
        dw 0xFFFF, 0x0000, 0xF200, 0x00CF       ; LSEL_D3
        dw 0xFFFF, 0x0000, 0x9A00, 0x00CF       ; LSEL_C0
ldt_template_end:

; LARCASE selector, expected (ZF=1, dest & 0x00F0FF00 = expected) - 2 checks
%macro LARCASE 2
        mov ebx, %1
        mov eax, 0x5A5A5A5A
        SETF 0
        lar eax, ebx
        CHECKF ZF, ZF
        and eax, 0x00F0FF00
        CHECK eax, %2
%endmacro
; LARBAD selector: ZF=0, destination unchanged - 2 checks
%macro LARBAD 1
        mov ebx, %1
        mov eax, 0x5A5A5A5A
        SETF ZF
        lar eax, ebx
        CHECKF 0, ZF
        CHECK eax, 0x5A5A5A5A
%endmacro
%macro LSLCASE 2
        mov ebx, %1
        mov eax, 0x5A5A5A5A
        SETF 0
        lsl eax, ebx
        CHECKF ZF, ZF
        CHECK eax, %2
%endmacro
%macro LSLBAD 1
        mov ebx, %1
        mov eax, 0x5A5A5A5A
        SETF ZF
        lsl eax, ebx
        CHECKF 0, ZF
        CHECK eax, 0x5A5A5A5A
%endmacro
; VCASE selector, zf_verr, zf_verw - 2 checks
%macro VCASE 3
        mov eax, %1
        SETF (1 - (%2)) * ZF
        verr ax
        CHECKF (%2) * ZF, ZF
        SETF (1 - (%3)) * ZF
        verw ax
        CHECKF (%3) * ZF, ZF
%endmacro

section .pm32
bits 32
pm_entry:
        PT_INIT32
        mov esi, 0xF0000 + ldt_template          ; the LDT in RAM (loads set accessed bits)
        mov edi, LDT_ADDR
        mov ecx, ldt_template_end - ldt_template
        rep movsb

        GROUP "lar"
        LARCASE SEL_DATA32, 0x00C09300          ; accessed (DS/ES/SS loaded)
        LARCASE DATA_NA, 0x00409200             ; not accessed yet
        LARCASE DATA_RO3, 0x00C0F000
        LARCASE CODE_XO, 0x00C09800             ; execute-only code is fine for LAR
        LARCASE CODE_CF3, 0x00C0FE00
        LARCASE DATA_NP, 0x00C01200             ; not present: still valid
        LARCASE DATA_DPL1, 0x0040B200
        LARCASE DATA_DPL1 | 1, 0x0040B200       ; RPL = DPL
        LARCASE SEL_TSS, 0x00008900             ; available 32-bit TSS
        LARCASE TSS16, 0x00008100
        LARCASE LDT_DESC, 0x00008200
        LARCASE CALLGATE, 0x0000EC00            ; call gates are valid for LAR
        LARCASE CODE_CF0 | 3, 0x00C09E00        ; conforming code: RPL not checked
        LARBAD  INTGATE                         ; interrupt gate: not valid
        LARBAD  0                               ; null
        LARBAD  3
        LARBAD  BEYOND
        LARBAD  GDT_LIMIT + 1                   ; the first selector past the limit
        LARBAD  DATA_NA | 3                     ; RPL 3 > DPL 0
        LARBAD  DATA_DPL1 | 2
        mov ebx, SEL_DATA32                     ; 16-bit operand size: FF00 of the access bytes
        mov eax, 0x12345678
        lar ax, bx
        CHECK eax, 0x12349300
        mov dword [SCRATCH], DATA_DPL1          ; memory operand
        mov eax, 0
        lar eax, [SCRATCH]
        and eax, 0x00F0FF00
        CHECK eax, 0x0040B200

        GROUP "lsl"
        LSLCASE SEL_DATA32, 0xFFFFFFFF          ; G=1: byte limit
        LSLCASE DATA_NA, 0x00000FFF
        LSLCASE DATA_DPL1, 0x00012345
        LSLCASE CODE_XO, 0xFFFFFFFF
        LSLCASE SEL_TSS, PT_TSS_LIMIT
        LSLCASE TSS16, 0x2B
        LSLCASE LDT_DESC, 0x17
        LSLCASE DATA_NP, 0xFFFFFFFF
        LSLBAD  CALLGATE                        ; gates: not valid for LSL
        LSLBAD  INTGATE
        LSLBAD  0
        LSLBAD  BEYOND
        LSLBAD  DATA_NA | 3
        mov ebx, DATA_DPL1
        mov eax, 0x87654321
        lsl ax, bx                              ; 16-bit: the low 16 bits of the limit
        CHECK eax, 0x87652345

        GROUP "verr/verw"
        VCASE SEL_DATA32, 1, 1
        VCASE DATA_NA, 1, 1
        VCASE DATA_RO3, 1, 0                    ; read-only data
        VCASE DATA_RO0, 1, 0
        VCASE CODE_XO, 0, 0                     ; execute-only code
        VCASE CODE_RD, 1, 0                     ; readable code: never writable
        VCASE CODE_CF3, 1, 0
        VCASE CODE_CF0 | 3, 1, 0                ; conforming: RPL not checked
        VCASE DATA_NP, 1, 1                     ; the present bit is not checked
        VCASE DATA_DPL1 | 1, 1, 1
        VCASE DATA_DPL1 | 2, 0, 0               ; RPL > DPL
        VCASE DATA_NA | 3, 0, 0
        VCASE SEL_TSS, 0, 0                     ; system descriptors
        VCASE LDT_DESC, 0, 0
        VCASE CALLGATE, 0, 0
        VCASE 0, 0, 0                           ; null
        VCASE BEYOND, 0, 0
        mov dword [SCRATCH], DATA_RO3           ; memory operand
        SETF 0
        verr [SCRATCH]
        CHECKF ZF, ZF

        GROUP "arpl"
        mov eax, 0xFFFF0010
        mov ebx, 0x00000003
        SETF 0
        arpl ax, bx                             ; RPL 0 < 3: raised
        CHECKF ZF, ZF
        CHECK eax, 0xFFFF0013
        mov eax, 0x00000013
        mov ebx, 0x00000001
        SETF ZF
        arpl ax, bx                             ; RPL 3 >= 1: unchanged
        CHECKF 0, ZF
        CHECK eax, 0x13
        mov dword [SCRATCH], 0xAAAA0021
        mov ebx, 2
        SETF 0
        arpl [SCRATCH], bx
        CHECKF ZF, ZF
        CHECK dword [SCRATCH], 0xAAAA0022

        GROUP "sldt/str/lldt"
        mov eax, 0xFFFFFFFF
        sldt eax                                ; null LDTR after reset
        CHECK eax, 0
        mov eax, 0xFFFFFFFF
        str eax
        CHECK eax, 0
        mov ax, LSEL_D3                         ; TI=1
        XFAULT 13, LSEL_D3 & ~3, lldt ax
        mov ax, SEL_DATA32                      ; not an LDT descriptor
        XFAULT 13, SEL_DATA32, lldt ax
        mov ax, SEL_TSS
        XFAULT 13, SEL_TSS, lldt ax
        mov ax, LDT_NP
        XFAULT 11, LDT_NP, lldt ax
        mov ax, BEYOND
        XFAULT 13, BEYOND, lldt ax
        mov ax, LDT_DESC
        lldt ax
        mov eax, 0xFFFFFFFF
        sldt eax
        CHECK eax, LDT_DESC
        mov dword [SCRATCH], 0xBBBBBBBB
        sldt [SCRATCH]                          ; memory: 16 bits stored
        CHECK dword [SCRATCH], 0xBBBB0000 | LDT_DESC
        movzx eax, byte [H_GDT + LDT_DESC + 5]
        CHECK eax, 0x82                         ; LLDT does not mark the descriptor
        mov ax, LSEL_D0
        mov es, ax
        mov dword [es:0x10], 0xC0DEC0DE
        mov ax, SEL_DATA32
        mov es, ax
        CHECK dword [0x40010], 0xC0DEC0DE       ; LDT base 0x40000
        movzx eax, byte [LDT_ADDR + 5]
        CHECK eax, 0x93                         ; accessed bit of the LDT entry
        mov ax, LSEL_D3
        mov fs, ax                              ; DPL 3 data from CPL 0
        mov dword [fs:SCRATCH], 0x600D600D
        CHECK dword [SCRATCH], 0x600D600D
        mov ax, SEL_DATA32
        mov fs, ax
        mov ax, LSEL_OUT                        ; beyond the LDT limit
        XFAULT 13, LSEL_OUT, mov es, ax
        LARCASE LSEL_D3, 0x00C0F300             ; LAR/LSL/VERR on LDT selectors (FS loaded it)
        LARCASE LSEL_C0, 0x00C09A00
        LARBAD  LSEL_OUT
        LSLCASE LSEL_D0, 0xFFFF
        VCASE LSEL_D3, 1, 1
        VCASE LSEL_C0, 1, 0
        call pt_ltr
        mov eax, 0xFFFFFFFF
        str eax
        CHECK eax, SEL_TSS
        LARCASE SEL_TSS, 0x00008B00             ; busy now
        mov eax, 0                              ; LLDT with a null selector: LDTR unusable
        lldt ax
        mov eax, 0xFFFFFFFF
        sldt eax
        CHECK eax, 0
        mov ax, LSEL_D0
        XFAULT 13, LSEL_D0, mov es, ax
        mov ax, LDT_DESC
        lldt ax

        GROUP "segment loads that fault"
        mov ax, DATA_NP
        XFAULT 11, DATA_NP, mov ds, ax
        mov ax, CODE_XO
        XFAULT 13, CODE_XO, mov ds, ax
        XFAULT 13, CODE_XO, mov fs, ax
        mov ax, SEL_TSS
        XFAULT 13, SEL_TSS, mov es, ax
        mov ax, LDT_DESC
        XFAULT 13, LDT_DESC, mov es, ax
        mov ax, CALLGATE
        XFAULT 13, CALLGATE, mov gs, ax
        mov ax, BEYOND | 1
        XFAULT 13, BEYOND, mov ds, ax
        mov ax, DATA_NA | 3                     ; RPL > DPL
        XFAULT 13, DATA_NA, mov ds, ax
        mov ax, DATA_DPL1 | 2
        XFAULT 13, DATA_DPL1, mov ds, ax
        mov ax, DATA_W3                         ; SS: DPL 3 != CPL 0
        XFAULT 13, DATA_W3, mov ss, ax
        mov ax, SEL_DATA32 | 3                  ; SS: RPL 3 != CPL 0
        XFAULT 13, SEL_DATA32, mov ss, ax
        mov ax, DATA_RO0                        ; SS: read-only
        XFAULT 13, DATA_RO0, mov ss, ax
        mov ax, CODE_RD                         ; SS: code
        XFAULT 13, CODE_RD, mov ss, ax
        mov ax, 0                               ; SS: null
        XFAULT 13, 0, mov ss, ax
        mov ax, DATA_NP                         ; SS: not present
        XFAULT 12, DATA_NP, mov ss, ax
        push dword CODE_XO
        XFAULT 13, CODE_XO, pop ds
        add esp, 4
        mov dword [SCRATCH], 0x1234
        mov dword [SCRATCH + 4], DATA_NP
        XFAULT 11, DATA_NP, lds ebx, [SCRATCH]
        mov ax, ds
        and eax, 0xFFFF
        CHECK eax, SEL_DATA32                   ; DS unchanged by the faults
        mov ax, ss
        and eax, 0xFFFF
        CHECK eax, SEL_DATA32

        GROUP "segment loads that work"
        mov ax, CODE_RD                         ; readable code into a data register
        mov fs, ax
        mov eax, [fs:SCRATCH + 4]
        CHECK eax, DATA_NP
        mov ax, CODE_CF0 | 3                    ; conforming: no privilege check
        mov gs, ax
        mov ax, DATA_DPL1 | 1                   ; DPL 1 >= CPL 0, RPL 1
        mov gs, ax
        mov dword [gs:0x10], 0x77665544         ; base 0x345678
        CHECK dword [0x345688], 0x77665544
        mov ax, 0                               ; null into DS/ES/FS/GS
        mov gs, ax
        mov ax, gs
        and eax, 0xFFFF
        CHECK eax, 0
        mov ax, SEL_DATA32
        mov fs, ax
        mov gs, ax

        GROUP "accessed bit"
        movzx eax, byte [H_GDT + DATA_NA + 5]
        CHECK eax, 0x92
        mov ax, DATA_NA
        mov es, ax
        movzx eax, byte [H_GDT + DATA_NA + 5]
        CHECK eax, 0x93
        mov dword [es:0x20], 0x31415926         ; base 0x20000
        CHECK dword [0x20020], 0x31415926
        LARCASE DATA_NA, 0x00409300
        mov ax, SEL_DATA32
        mov es, ax
        movzx eax, byte [H_GDT + DATA_RO0 + 5]
        CHECK eax, 0x90
        mov ax, DATA_RO0
        mov fs, ax
        movzx eax, byte [H_GDT + DATA_RO0 + 5]  ; read-only data is marked too
        CHECK eax, 0x91
        mov ax, SEL_DATA32
        mov fs, ax

        GROUP "ring 3: verr/verw/lar"
        mov esi, SEL_DATA32
        mov edi, DATA_RO3
        mov ebp, CODE_CF0
        mov ebx, 0x5A5A5A5A
        mov edx, 0x5A5A5A5A
        PT_RING3 .r3
        jmp .r3_done
.r3:    verr si                                 ; DPL 0 < CPL 3: ZF=0
        setz bl
        verr di
        setz bh
        verw di                                 ; read-only
        setz dl
        verr bp                                 ; conforming readable code
        setz dh
        int PT_VEC_SYS
.r3_done:
        CHECK ebx, 0x5A5A0100
        CHECK edx, 0x5A5A0100
        mov esi, SEL_DATA32
        mov edi, DATA_W3 | 3
        mov ebx, 0x5A5A5A5A
        mov edx, 0x5A5A5A5A
        PT_RING3 .r3b
        jmp .r3b_done
.r3b:   lar ebx, esi                            ; not visible from ring 3
        lar edx, edi
        pushfd
        pop ebp
        int PT_VEC_SYS
.r3b_done:
        CHECK ebx, 0x5A5A5A5A
        and edx, 0x00F0FF00
        CHECK edx, 0x00C0F200
        and ebp, ZF
        CHECK ebp, ZF

        GROUP "bound"
        mov dword [BOUNDS], 10
        mov dword [BOUNDS + 4], 20
        mov eax, 15
        bound eax, [BOUNDS]
        mov eax, 10                             ; inclusive
        bound eax, [BOUNDS]
        mov eax, 20
        bound eax, [BOUNDS]
        mov eax, 9
        XFAULT 5, NOERR, bound eax, [BOUNDS]
        CHECK dword [X_CS], SEL_CODE32
        mov eax, 21
        XFAULT 5, NOERR, bound eax, [BOUNDS]
        mov dword [BOUNDS], -5                  ; signed
        mov dword [BOUNDS + 4], 5
        mov eax, -5
        bound eax, [BOUNDS]
        mov eax, 0x80000000
        XFAULT 5, NOERR, bound eax, [BOUNDS]
        mov eax, 6
        XFAULT 5, NOERR, bound eax, [BOUNDS]
        mov word [BOUNDS], 0xFFF0               ; 16-bit: -16..0x7FF0
        mov word [BOUNDS + 2], 0x7FF0
        mov eax, 0x0000FFF0                     ; AX = -16
        bound ax, [BOUNDS]
        mov eax, 0xFFFF7FF1                     ; AX = 0x7FF1
        XFAULT 5, NOERR, bound ax, [BOUNDS]
        mov eax, 0
        bound ax, [BOUNDS]
        CHECK dword [X_COUNT], 1                ; the last fault only

        HARNESS_PASS
        HARNESS_END
