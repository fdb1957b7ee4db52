; pm-rings.asm - privilege levels: a 32-bit TSS (STR/LTR, busy bit, LTR faults), IRETD into
; ring 3, INT n from ring 3 through DPL-3 interrupt and trap gates (stack switched to SS0:ESP0 of
; the TSS, the pushed SS/ESP/EFLAGS/CS/EIP frame, IF rule of each gate type) and IRETD back;
; a DPL-3 gate to conforming code (no privilege change, no stack switch); #TS for a null, a
; DPL-3 or a non-data SS0 in the TSS;
; from ring 3: INT n through a DPL-0 gate (#GP (n<<3)|2), privileged instructions (#GP(0)),
; loads of DPL-0 segments, far JMP/RETF/IRET towards ring 0; IN/OUT/INS/OUTS with IOPL 0 and no
; I/O bitmap, with a bitmap (allowed and denied ports, a 16-bit access over a denied bit, a
; bitmap beyond the TSS limit), and with IOPL 3; POPFD rules for IF and IOPL; ES/DS/FS/GS
; that hold DPL-0 data or non-conforming code are nulled by IRETD to ring 3 (conforming code
; and DPL-3 data are kept); SYSENTER/SYSEXIT round trip (MSRs with WRMSR/RDMSR, selectors,
; ESP/EIP, IF cleared by SYSENTER) and their #GP cases; CPUID vendor/family/feature bits (only
; what QEMU and tabvisor share); RDTSC increasing, from ring 3, and CR4.TSD.
; CHECKs run in ring 0 only; ring-3 code leaves its results in registers (see pmtest.inc).
%define TEST_NAME "pm-rings"
%define HARNESS_PM32
%include "harness.inc"
%include "pmtest.inc"

SEL_SYS_CODE0 equ PT_GDT_EXTRA + 0x00   ; SYSENTER_CS: code0, data0, code3, data3 (flat)
SEL_SYS_DATA0 equ PT_GDT_EXTRA + 0x08
SEL_SYS_CODE3 equ PT_GDT_EXTRA + 0x10 | 3
SEL_SYS_DATA3 equ PT_GDT_EXTRA + 0x18 | 3
SEL_CONF0     equ PT_GDT_EXTRA + 0x20   ; conforming readable code, DPL 0
SEL_RCODE0    equ PT_GDT_EXTRA + 0x28   ; readable non-conforming code, DPL 0

SCRATCH   equ PT_FREE
GH_ESP     equ PT_FREE + 0x40            ; recorded by the DPL-3 gate handlers
GH_EIP     equ PT_FREE + 0x44
GH_CS      equ PT_FREE + 0x48
GH_EFL     equ PT_FREE + 0x4C
GH_OESP    equ PT_FREE + 0x50
GH_OSS     equ PT_FREE + 0x54
GH_MYCS    equ PT_FREE + 0x58
GH_MYSS    equ PT_FREE + 0x5C
GH_MYEFL   equ PT_FREE + 0x60
GH_COUNT  equ PT_FREE + 0x64
SYS_KESP  equ PT_FREE + 0x70
SYS_ESP   equ PT_FREE + 0x74
SYS_EFL   equ PT_FREE + 0x78
SYS_CS    equ PT_FREE + 0x7C
SYS_SS    equ PT_FREE + 0x80
SYS_STACK equ 0x00066000                ; SYSENTER_ESP
BITMAP    equ PT_TSS + PT_IOMAP

start:
        HARNESS_INIT
        PT_ENTER_PM32 pm_entry, gdt_extra, gdt_extra_end

gdt_extra:
        dw 0xFFFF, 0x0000, 0x9A00, 0x00CF       ; SEL_SYS_CODE0
        dw 0xFFFF, 0x0000, 0x9200, 0x00CF       ; SEL_SYS_DATA0
        dw 0xFFFF, 0x0000, 0xFA00, 0x00CF       ; SEL_SYS_CODE3
        dw 0xFFFF, 0x0000, 0xF200, 0x00CF       ; SEL_SYS_DATA3
        dw 0xFFFF, 0x0000, 0x9E00, 0x00CF       ; SEL_CONF0
        dw 0xFFFF, 0x0000, 0x9A00, 0x00CF       ; SEL_RCODE0
gdt_extra_end:

section .pm32
bits 32
pm_entry:
        PT_INIT32

        GROUP "tss: str/ltr"
        mov eax, 0xFFFFFFFF
        str eax                                 ; TR after reset: selector 0
        CHECK eax, 0
        call pt_ltr
        mov eax, 0xFFFFFFFF
        str eax                                 ; 32-bit register: zero-extended (P6 and later)
        CHECK eax, SEL_TSS
        movzx eax, byte [H_GDT + SEL_TSS + 5]
        CHECK eax, 0x8B                         ; busy
        mov ax, SEL_TSS
        XFAULT 13, SEL_TSS, ltr ax              ; already busy
        mov ax, SEL_DATA32
        XFAULT 13, SEL_DATA32, ltr ax           ; not a TSS

        GROUP "int n from ring 3 (interrupt gate)"
        PT_GATE 0x40, int40_handler, 0xEE       ; DPL 3 interrupt gate
        PT_GATE 0x41, int40_handler, 0xEF       ; DPL 3 trap gate
        mov dword [GH_COUNT], 0
        mov ebx, 0x11112222
        PT_RING3 .r3a
        jmp .r3a_done
.r3a:   mov ebp, esp                            ; ring 3
        mov ax, SEL_DATA3
        mov ds, ax
        int 0x40
.r3a_ret:
        mov edi, esp                            ; the same ring-3 stack after IRETD
        xor esi, esi
        mov si, cs
        xor edx, edx
        mov dx, ss
        int PT_VEC_SYS
.r3a_done:
        CHECK dword [GH_COUNT], 1
        CHECK ebp, PT_USTACK
        CHECK ebx, 0x11112222                   ; general registers pass through
        CHECK dword [GH_EIP], .r3a_ret           ; the frame on the ring-0 stack
        CHECK dword [GH_CS], SEL_CODE3
        CHECK dword [GH_EFL], 0x0002
        CHECK dword [GH_OESP], PT_USTACK
        CHECK dword [GH_OSS], SEL_DATA3
        CHECK dword [GH_ESP], PT_KSTACK - 20     ; ESP0 from the TSS, 5 dwords pushed
        CHECK dword [GH_MYCS], SEL_CODE32
        CHECK dword [GH_MYSS], SEL_DATA32        ; SS0 from the TSS
        CHECK dword [GH_MYEFL], 0x0002           ; IF clear (interrupt gate)
        CHECK edi, PT_USTACK                    ; back in ring 3 on the ring-3 stack
        CHECK esi, SEL_CODE3
        CHECK edx, SEL_DATA3
        CHECK dword [X_EIP], .r3a_done          ; after the INT PT_VEC_SYS
        CHECK dword [X_FRAME], PT_KSTACK - 20

        GROUP "int n from ring 3 (trap gate, IF=1)"
        mov dword [GH_COUNT], 0
        PT_RING3 .r3b, 0x0202                   ; IF=1 in ring 3 (the PICs are masked)
        jmp .r3b_done
.r3b:   int 0x41
.r3b_ret:
        pushfd
        pop edi
        int PT_VEC_SYS
.r3b_done:
        CHECK dword [GH_COUNT], 1
        CHECK dword [GH_EIP], .r3b_ret
        CHECK dword [GH_EFL], 0x0202
        CHECK dword [GH_MYEFL], 0x0202           ; trap gate: IF unchanged
        CHECK edi, 0x0202                       ; IRETD restored IF in ring 3
        CHECK dword [X_EFL], 0x0202             ; EFLAGS pushed by the INT PT_VEC_SYS

        GROUP "int n from ring 3 to conforming code"
        PT_GATE 0x42, conf_handler, 0xEE, SEL_CONF0     ; DPL-3 gate, conforming DPL-0 code
        mov ebx, 0
        mov esi, 0
        mov edi, 0
        mov ebp, 0
        PT_RING3 .r3k
        jmp .r3k_done
.r3k:   int 0x42                                ; no privilege change: CPL stays 3
.r3k_ret:
        int PT_VEC_SYS
.r3k_done:
        CHECK ebx, SEL_CONF0 | 3                ; CS in the handler: RPL = CPL = 3
        CHECK esi, PT_USTACK - 12               ; no stack switch: 3 dwords on the ring-3 stack
        CHECK edi, .r3k_ret
        CHECK ebp, SEL_CODE3

        GROUP "int n from ring 3 with a bad SS0 in the TSS: #TS"
        PT_GATE 10, ts_handler, 0x8E, SEL_CONF0 ; #TS handled at CPL 3 (conforming: no stack)
        mov word [PT_TSS + 8], 0                ; SS0 null
        mov ebx, 0xFFFFFFFF
        mov edi, 0
        PT_RING3 .r3t1
        jmp .r3t1_done
.r3t1:  int 0x40
.r3t1_done:
        CHECK ebx, 0
        CHECK edi, .r3t1
        movzx eax, word [PT_TSS + 8]
        CHECK eax, SEL_DATA32                   ; restored by ts_handler
        mov word [PT_TSS + 8], SEL_DATA3 & ~3   ; SS0 with DPL 3
        mov ebx, 0xFFFFFFFF
        mov edi, 0
        PT_RING3 .r3t2
        jmp .r3t2_done
.r3t2:  int 0x40
.r3t2_done:
        CHECK ebx, SEL_DATA3 & ~3
        CHECK edi, .r3t2
        mov word [PT_TSS + 8], SEL_CODE32       ; SS0 not writable data
        mov ebx, 0xFFFFFFFF
        PT_RING3 .r3t3
        jmp .r3t3_done
.r3t3:  int 0x40
.r3t3_done:
        CHECK ebx, SEL_CODE32
        PT_CATCH 10

        GROUP "ring 3: INT n through DPL-0 gates"
        PT_GATE 0x30, int40_handler, 0x8E       ; DPL 0
        R3FAULT 13, (0x30 << 3) | 2, int 0x30
        R3FAULT 13, (3 << 3) | 2, int3          ; the #BP gate is DPL 0 too
        R3FAULT 13, (3 << 3) | 2, int 3
        R3FAULT 13, (0x80 << 3) | 2, int 0x80   ; catch-all gates are DPL 0

        GROUP "ring 3: privileged instructions"
        R3FAULT 13, 0, cli                      ; IOPL 0
        R3FAULT 13, 0, sti
        R3FAULT 13, 0, hlt
        R3FAULT 13, 0, mov cr0, eax
        R3FAULT 13, 0, mov eax, cr0
        R3FAULT 13, 0, mov eax, cr3
        R3FAULT 13, 0, mov cr4, eax
        R3FAULT 13, 0, mov dr7, eax
        R3FAULT 13, 0, lgdt [SCRATCH]
        R3FAULT 13, 0, lidt [SCRATCH]
        mov eax, 0
        R3FAULT 13, 0, lldt ax
        mov eax, SEL_TSS
        R3FAULT 13, 0, ltr ax
        R3FAULT 13, 0, lmsw ax
        R3FAULT 13, 0, clts
        R3FAULT 13, 0, invlpg [SCRATCH]
        R3FAULT 13, 0, wbinvd
        mov ecx, 0x174
        R3FAULT 13, 0, rdmsr
        R3FAULT 13, 0, wrmsr
        R3FAULT 13, 0, sysexit

        GROUP "ring 3: segment loads and transfers to ring 0"
        mov eax, SEL_DATA32                     ; DPL 0 data
        R3FAULT 13, SEL_DATA32, mov ds, ax
        mov eax, SEL_DATA32 | 3
        R3FAULT 13, SEL_DATA32, mov es, ax
        mov eax, SEL_DATA32
        R3FAULT 13, SEL_DATA32, mov ss, ax
        mov eax, SEL_DATA3 & ~3                 ; DPL 3 data with RPL 0: SS needs RPL = CPL
        R3FAULT 13, SEL_DATA3 & ~3, mov ss, ax
        mov eax, SEL_RCODE0                     ; readable code, DPL 0, non-conforming
        R3FAULT 13, SEL_RCODE0, mov fs, ax
        R3FAULT 13, SEL_CODE32, jmp SEL_CODE32:r0_target
        R3FAULT 13, SEL_CODE32, call SEL_CODE32:r0_target
        mov dword [PT_USTACK - 8], r0_target    ; RETF to ring 0 (RPL < CPL)
        mov dword [PT_USTACK - 4], SEL_CODE32
        R3FAULTX 13, SEL_CODE32, 2, PT_USTACK - 8, retf
        mov dword [PT_USTACK - 12], r0_target   ; IRETD to ring 0
        mov dword [PT_USTACK - 8], SEL_CODE32
        mov dword [PT_USTACK - 4], 2
        R3FAULTX 13, SEL_CODE32, 2, PT_USTACK - 12, iretd
        mov eax, SEL_DATA3
        R3OK    mov ds, ax                      ; DPL 3 data
        mov eax, SEL_CONF0
        R3OK    mov fs, ax                      ; conforming readable code: any CPL
        mov eax, 0
        R3OK    mov gs, ax                      ; null

        GROUP "ring 3: non-privileged system instructions"
        mov ebx, 0
        mov edx, 0
        mov dword [PT_SCR], 0
        PT_RING3 .r3r
        jmp .r3r_done
.r3r:   mov ax, SEL_DATA3
        mov ds, ax
        smsw ebx
        str edx
        sgdt [PT_SCR]
        int PT_VEC_SYS
.r3r_done:
        and ebx, 0xFFFF
        CHECK ebx, 0x0011                       ; PE ET
        CHECK edx, SEL_TSS
        movzx eax, word [PT_SCR]
        CHECK eax, H_GDT_SIZE + 0x18 + (gdt_extra_end - gdt_extra) - 1
        CHECK dword [PT_SCR + 2], H_GDT

        GROUP "iretd to ring 3 nulls inaccessible segments"
        mov ax, SEL_DATA32
        mov es, ax                              ; DPL 0 data: nulled
        mov ax, SEL_DATA3
        mov ds, ax                              ; DPL 3 data: kept
        mov ax, SEL_CONF0
        mov fs, ax                              ; conforming code: kept
        mov ax, SEL_RCODE0
        mov gs, ax                              ; non-conforming code DPL 0: nulled
        mov ebx, 0xFFFFFFFF
        mov edx, 0xFFFFFFFF
        mov esi, 0xFFFFFFFF
        mov edi, 0xFFFFFFFF
        PT_RING3 .r3n
        jmp .r3n_done
.r3n:   xor ebx, ebx
        mov bx, es
        xor edx, edx
        mov dx, ds
        xor esi, esi
        mov si, fs
        xor edi, edi
        mov di, gs
        int PT_VEC_SYS
.r3n_done:
        CHECK ebx, 0
        CHECK edx, SEL_DATA3
        CHECK esi, SEL_CONF0
        CHECK edi, 0

        GROUP "popfd in ring 3"
        mov ebx, 0
        PT_RING3 .r3p
        jmp .r3p_done
.r3p:   push dword 0x3202 | OF | CF             ; IOPL 0: IOPL and IF are kept
        popfd
        pushfd
        pop ebx
        int PT_VEC_SYS
.r3p_done:
        CHECK ebx, 0x0002 | OF | CF
        PT_RING3 .r3q, 0x3002                   ; IOPL 3
        jmp .r3q_done
.r3q:   push dword 0x0202                       ; IF may change, IOPL may not (CPL > 0)
        popfd
        pushfd
        pop ebx
        int PT_VEC_SYS
.r3q_done:
        CHECK ebx, 0x3202
        push dword 0x3002                       ; ring 0 may change IOPL
        popfd
        pushfd
        pop eax
        push dword 2
        popfd
        CHECK eax, 0x3002

        GROUP "i/o: iopl 0, no bitmap"
        mov eax, 0xFF
        mov edx, 0x21
        R3FAULT 13, 0, in al, 0x21
        R3FAULT 13, 0, out 0x21, al
        R3FAULT 13, 0, in al, dx
        R3FAULT 13, 0, out dx, al
        R3FAULT 13, 0, in eax, dx
        mov esi, SCRATCH
        mov edi, SCRATCH
        R3FAULT 13, 0, outsb
        R3FAULT 13, 0, insb

        GROUP "i/o: iopl 0, bitmap"
        mov word [PT_TSS + 0x66], PT_IOMAP      ; all-zero bitmap: every port allowed
        mov ebx, 0
        mov esi, 0
        mov edx, 0x21
        PT_RING3 .r3i
        jmp .r3i_done
.r3i:   in al, 0x21
        movzx ebx, al
        in al, dx
        movzx esi, al
        int PT_VEC_SYS
.r3i_done:
        CHECK ebx, 0xFF                         ; the PIC mask
        CHECK esi, 0xFF
        or byte [BITMAP + 4], 0x02              ; deny port 0x21 (bit 0x21)
        mov eax, 0xFF
        R3FAULT 13, 0, in al, 0x21
        R3FAULT 13, 0, out 0x21, al
        R3FAULT 13, 0, in al, dx
        R3FAULT 13, 0, in ax, 0x20              ; 16-bit access: ports 0x20 and 0x21
        R3OK    in al, 0x20                     ; port 0x20 alone is allowed
        mov edx, 0x20
        R3FAULT 13, 0, in ax, dx
        mov word [PT_TSS + 0x66], PT_TSS_LIMIT  ; the bitmap bytes lie beyond the TSS limit
        R3FAULT 13, 0, in al, 0x20
        mov word [PT_TSS + 0x66], PT_IOMAP + 0x1FF0   ; port 0x80's byte is the last byte (0xFF)
        R3FAULT 13, 0, in al, 0x80              ; 2 bytes must be inside the limit: #GP
        R3OK    in al, 0x00                     ; byte PT_IOMAP + 0x1FF0 (0): allowed

        GROUP "i/o and cli: iopl 3"
        mov ebx, 0
        mov esi, 0
        mov edi, 0
        PT_RING3 .r3o, 0x3002                   ; the bitmap offset above still denies 0x80
        jmp .r3o_done
.r3o:   in al, 0x80                             ; IOPL 3: no bitmap check
        in al, 0x21
        movzx ebx, al
        sti
        pushfd
        pop esi
        cli
        pushfd
        pop edi
        int PT_VEC_SYS
.r3o_done:
        CHECK ebx, 0xFF
        CHECK esi, 0x3202
        CHECK edi, 0x3002
        mov word [PT_TSS + 0x66], 0xFFFF
        and byte [BITMAP + 4], ~0x02

        GROUP "sysenter/sysexit"
        mov ecx, 0x174
        mov edx, 0
        mov eax, SEL_SYS_CODE0
        wrmsr
        mov ecx, 0x175
        mov eax, SYS_STACK
        wrmsr
        mov ecx, 0x176
        mov eax, sys_entry
        wrmsr
        mov ecx, 0x174
        mov edx, 0xFFFFFFFF
        rdmsr
        CHECK eax, SEL_SYS_CODE0
        CHECK edx, 0
        mov ecx, 0x175
        rdmsr
        CHECK eax, SYS_STACK
        mov ecx, 0x176
        rdmsr
        CHECK eax, sys_entry
        mov dword [SCRATCH], 0
        mov [SYS_KESP], esp
        mov ax, SEL_SYS_DATA3
        mov ds, ax
        mov es, ax
        mov ecx, PT_USTACK - 0x40               ; ring-3 ESP
        mov edx, .r3s                           ; ring-3 EIP
        push dword 0x0202                       ; IF=1 (SYSEXIT keeps EFLAGS; the PICs are masked)
        popfd
        sysexit
.r3s:   pushfd
        pop ebp
        xor ebx, ebx
        mov bx, cs
        xor esi, esi
        mov si, ss
        mov edi, esp
        mov dword [SCRATCH], 0x5A5A5A5A
        sysenter
sys_entry:                                      ; ring 0 again
        mov [SYS_ESP], esp
        pushfd
        pop dword [SYS_EFL]
        xor eax, eax
        mov ax, cs
        mov [SYS_CS], eax
        mov ax, ss
        mov [SYS_SS], eax
        mov ax, SEL_DATA32
        mov ss, ax
        mov esp, [SYS_KESP]
        mov ds, ax
        mov es, ax
        jmp SEL_CODE32:.s1
.s1:    CHECK ebx, SEL_SYS_CODE3
        CHECK esi, SEL_SYS_DATA3
        CHECK edi, PT_USTACK - 0x40
        CHECK ebp, 0x0202
        CHECK dword [SCRATCH], 0x5A5A5A5A
        CHECK dword [SYS_CS], SEL_SYS_CODE0
        CHECK dword [SYS_SS], SEL_SYS_DATA0
        CHECK dword [SYS_ESP], SYS_STACK
        mov eax, [SYS_EFL]
        and eax, IF | TF | 0x2
        CHECK eax, 0x0002                       ; IF cleared
        R3FAULT 13, 0, sysexit                  ; only ring 0 may SYSEXIT
        mov ecx, 0x174
        mov edx, 0
        mov eax, 0
        wrmsr
        XFAULT 13, 0, sysenter                  ; SYSENTER_CS = 0
        XFAULT 13, 0, sysexit

        GROUP "cpuid"
        mov eax, 0
        cpuid
        CHECK ebx, 0x756E6547                   ; "Genu"
        CHECK edx, 0x49656E69                   ; "ineI"
        CHECK ecx, 0x6C65746E                   ; "ntel"
        cmp eax, 1
        setae al
        movzx eax, al
        CHECK eax, 1                            ; leaf 1 exists
        mov eax, 1
        cpuid
        shr eax, 8
        and eax, 0xF
        CHECK eax, 6                            ; family 6
        and edx, (1 << 3) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 11) | (1 << 13) | (1 << 15)
        CHECK edx, (1 << 3) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 11) | (1 << 13) | (1 << 15)
        mov ebx, 0                              ; CPUID is allowed in ring 3
        mov edx, 0
        PT_RING3 .r3c
        jmp .r3c_done
.r3c:   xor eax, eax
        cpuid
        int PT_VEC_SYS
.r3c_done:
        CHECK ebx, 0x756E6547

        GROUP "rdtsc"
        rdtsc
        mov ebx, eax
        mov esi, edx
        mov ecx, 20000
.spin:  dec ecx
        jnz .spin
        rdtsc
        sub eax, ebx
        sbb edx, esi                            ; EDX:EAX = t2 - t1
        mov ecx, 0
        test edx, edx
        js .tsc_bad                             ; went backwards
        or eax, edx
        jz .tsc_bad                             ; did not move
        mov ecx, 1
.tsc_bad:
        CHECK ecx, 1
        R3OK    rdtsc                           ; CR4.TSD = 0: allowed in ring 3
        mov eax, cr4
        or eax, 4                               ; TSD
        mov cr4, eax
        R3FAULT 13, 0, rdtsc
        rdtsc                                   ; ring 0 still may
        mov eax, cr4
        and eax, ~4
        mov cr4, eax
        mov eax, cr4
        CHECK eax, 0

        HARNESS_PASS

; DPL-3 gate handler: records the frame and its own state, returns with IRETD
int40_handler:
        pushfd
        pop dword [ss:GH_MYEFL]
        push eax
        push ds
        mov ax, SEL_DATA32
        mov ds, ax
        lea eax, [esp + 8]
        mov [GH_ESP], eax
        mov eax, [esp + 8]
        mov [GH_EIP], eax
        movzx eax, word [esp + 12]
        mov [GH_CS], eax
        mov eax, [esp + 16]
        mov [GH_EFL], eax
        mov eax, [esp + 20]
        mov [GH_OESP], eax
        movzx eax, word [esp + 24]
        mov [GH_OSS], eax
        xor eax, eax
        mov ax, cs
        mov [GH_MYCS], eax
        mov ax, ss
        mov [GH_MYSS], eax
        inc dword [GH_COUNT]
        pop ds
        pop eax
        iretd

; the target of a DPL-3 gate in conforming code: runs at CPL 3 on the ring-3 stack
conf_handler:
        xor ebx, ebx
        mov bx, cs
        mov esi, esp
        mov edi, [esp]
        movzx ebp, word [esp + 4]
        iretd

; #TS handler in conforming code (CPL 3): error code -> EBX, faulting EIP -> EDI; puts SS0 back
; and leaves through INT PT_VEC_SYS
ts_handler:
        pop ebx
        mov edi, [esp]
        mov ax, SEL_DATA3
        mov ds, ax
        mov word [PT_TSS + 8], SEL_DATA32
        add esp, 12
        int PT_VEC_SYS

r0_target:                                      ; never reached from ring 3
        FAIL_NOW "ring 3 reached ring-0 code"

        HARNESS_END
