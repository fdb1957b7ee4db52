; pm-paging.asm - 32-bit paging (no PAE): page directory and tables built in RAM, CR3, CR0.PG
; with low memory identity-mapped by 4 KiB pages; linear aliases of one physical page (reads and
; writes through each), remapping with INVLPG, switching CR3 between two directories; the
; accessed and dirty bits the CPU sets in PDEs and PTEs (read, write, write after a read that
; cached a clean translation, a string store across pages; the PDE's A bit also when the walk
; then faults on the PTE); CR4.PSE 4 MiB pages (A/D in the PDE; PS ignored with PSE off);
; CR4.PGE: a CR3 reload flushes a non-global translation (the global one may survive: both
; outcomes are accepted, QEMU flushes it), INVLPG flushes a global one, toggling CR4.PGE flushes
; everything; #PF error codes and CR2: not-present read/write (PTE and PDE), write to a read-only
; page from ring 0 with CR0.WP=1 (and success with WP=0), accesses that cross into a not-present
; page (CR2 = the first byte of that page), instruction fetch from a not-present page and an
; instruction that straddles into one, REP STOSD stopping at a not-present page (restartable
; ECX/EDI); from ring 3: supervisor pages (U/S in the PTE or in the PDE), read-only pages (R/W in
; the PTE or in the PDE, with WP=0 as well), not-present pages, fetch from a supervisor page;
; a #PF handler that fixes the PTE up and returns, so the faulting access (a read, a write to a
; read-only page, an instruction fetch, a REP STOSD) is retried and completes; CR0.PG cleared.
%define TEST_NAME "pm-paging"
%define HARNESS_PM32
%include "harness.inc"
%include "pmtest.inc"

PD      equ 0x00020000                  ; page directory
PT0     equ 0x00021000                  ; 0-4 MiB identity, P|RW|US
PT1     equ 0x00022000                  ; 4-8 MiB identity, accessed/dirty clear
PT2     equ 0x00023000                  ; 8-12 MiB: test mappings
PT4     equ 0x00024000                  ; 16 MiB: PDE supervisor, PTE user
PT5     equ 0x00025000                  ; 20 MiB: PDE read-only, PTE writable
PD2     equ 0x00026000                  ; a second directory
PT2B    equ 0x00027000                  ; its table for 8-12 MiB

P_      equ 0x001
RW      equ 0x002
US      equ 0x004
ACC     equ 0x020
DIRTY   equ 0x040
PS      equ 0x080
G_BIT  equ 0x100

ALIAS_PHYS equ 0x00030000               ; the physical page behind LIN_A and LIN_B
LIN_A   equ 0x00800000                  ; PT2[0]
LIN_B   equ 0x00801000                  ; PT2[1]
LIN_G   equ 0x00805000                  ; PT2[5]: global
LIN_NG  equ 0x00806000                  ; PT2[6]: not global
LIN_NP  equ 0x00807000                  ; PT2[7]: not present
LIN_RO  equ 0x00808000                  ; PT2[8]: user, read-only (phys 0x36000)
LIN_SV  equ 0x00809000                  ; PT2[9]: supervisor, writable (phys 0x37000)
LIN_DEM equ 0x0080A000                  ; PT2[10]: not present, fixed up on demand (phys 0x38000)
LIN_X1  equ 0x0080B000                  ; PT2[11]: present (phys 0x39000), PT2[12] not present
LIN_C1  equ 0x0080D000                  ; PT2[13]: code page (phys 0x3C000), PT2[14] on demand (0x3D000)
LIN_C2  equ 0x0080E000
LIN_US0 equ 0x01000000                  ; PDE[4] supervisor, PTE user (phys 0x3A000)
LIN_RO0 equ 0x01400000                  ; PDE[5] read-only, PTE writable (phys 0x3B000)
LIN_NPD equ 0x01800000                  ; PDE[6] not present
LIN_4M  equ 0x00C00000                  ; PDE[3]: 4 MiB page -> phys 0x400000 (with CR4.PSE)

PF_COUNT equ PT_FREE + 0x00             ; recorded by pf_fixup
PF_CR2   equ PT_FREE + 0x04
PF_ERR   equ PT_FREE + 0x08
PF_EIP   equ PT_FREE + 0x0C
SCRATCH  equ PT_FREE + 0x40

; PTE index, value: PT2 entry (32-bit code)
%macro SETPTE2 2
        mov dword [PT2 + (%1) * 4], %2
%endmacro
; PFCASE error, cr2, instruction (ring 0): #PF with that error code and CR2, EIP at the
; instruction (6 checks)
%macro PFCASE 3+
        XFAULT 14, %1, %3
        CHECK dword [X_CR2], %2
%endmacro
; R3PF error, cr2, instruction: the same from ring 3 (9 checks); DS = SEL_DATA3 (a DPL-0 DS
; would be nulled by the IRET to ring 3, and an access through it is #GP(0))
%macro R3PF 3+
        mov ax, SEL_DATA3
        mov ds, ax
        R3FAULT 14, %1, %3
        CHECK dword [X_CR2], %2
%endmacro

start:
        HARNESS_INIT
        PT_ENTER_PM32 pm_entry

section .pm32
bits 32
pm_entry:
        PT_INIT32
        call pt_ltr

        GROUP "build the page tables"
        mov edi, PD                             ; clear PD, PT0-PT5, PD2, PT2B
        mov ecx, 8 * 1024
        xor eax, eax
        rep stosd
        mov edi, PT0                            ; 0-4 MiB identity, user, writable
        mov eax, P_ | RW | US
.pt0:   stosd
        add eax, 0x1000
        cmp edi, PT0 + 0x1000
        jne .pt0
        mov edi, PT1                            ; 4-8 MiB identity, A and D clear
        mov eax, 0x00400000 | P_ | RW | US
.pt1:   stosd
        add eax, 0x1000
        cmp edi, PT1 + 0x1000
        jne .pt1
        mov dword [PD + 0 * 4], PT0 | P_ | RW | US
        mov dword [PD + 1 * 4], PT1 | P_ | RW | US
        mov dword [PD + 2 * 4], PT2 | P_ | RW | US
        mov dword [PD + 3 * 4], 0x00400000 | PS | P_ | RW | US  ; 4 MiB page once CR4.PSE = 1
        mov dword [PD + 4 * 4], PT4 | P_ | RW                   ; supervisor PDE
        mov dword [PD + 5 * 4], PT5 | P_ | US                   ; read-only PDE
        SETPTE2 0, ALIAS_PHYS | P_ | RW | US
        SETPTE2 1, ALIAS_PHYS | P_ | RW | US
        SETPTE2 5, 0x31000 | G_BIT | P_ | RW
        SETPTE2 6, 0x32000 | P_ | RW
        SETPTE2 8, 0x36000 | P_ | US
        SETPTE2 9, 0x37000 | P_ | RW
        SETPTE2 10, 0x38000 | RW | US           ; not present
        SETPTE2 11, 0x39000 | P_ | RW | US
        SETPTE2 13, 0x3C000 | P_ | RW | US
        SETPTE2 14, 0x3D000 | RW | US           ; not present
        mov dword [PT4], 0x3A000 | P_ | RW | US
        mov dword [PT5], 0x3B000 | P_ | RW | US
        mov esi, PD                             ; PD2 = PD, but 8-12 MiB through PT2B
        mov edi, PD2
        mov ecx, 1024
        rep movsd
        mov dword [PD2 + 2 * 4], PT2B | P_ | RW | US
        mov dword [PT2B], 0x36000 | P_ | RW | US
        mov dword [ALIAS_PHYS], 0xA11A5000
        mov dword [0x36000], 0x36363636
        mov dword [0x37000], 0x37373737
        mov dword [0x38010], 0xDEADBEEF
        mov dword [0x3A000], 0x3A3A3A3A
        mov dword [0x3B000], 0x3B3B3B3B
        mov dword [0x39FFC], 0x39393939
        mov dword [0x400000], 0                 ; read as a PTE when PSE is off

        GROUP "enable paging"
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        jmp .pg                                 ; (identity-mapped: execution just goes on)
.pg:    mov eax, cr0
        shr eax, 31
        CHECK eax, 1
        mov eax, cr3
        CHECK eax, PD
        mov eax, [PD]
        and eax, ACC
        CHECK eax, ACC                          ; the walk for this code set PDE[0].A
        mov eax, .pg
        shr eax, 12
        mov eax, [PT0 + eax * 4]
        and eax, ACC
        CHECK eax, ACC                          ; and the PTE of the code page
        mov dword [0x3FF000], 0x12344321        ; top page of the identity map
        CHECK dword [0x3FF000], 0x12344321

        GROUP "aliases"
        CHECK dword [LIN_A], 0xA11A5000
        CHECK dword [LIN_B], 0xA11A5000
        mov dword [LIN_A + 0x10], 0x0000AAAA
        CHECK dword [ALIAS_PHYS + 0x10], 0x0000AAAA
        CHECK dword [LIN_B + 0x10], 0x0000AAAA
        mov dword [ALIAS_PHYS + 0x20], 0x0000BBBB
        CHECK dword [LIN_A + 0x20], 0x0000BBBB
        mov dword [LIN_B + 0xFFC], 0x0000CCCC
        CHECK dword [LIN_A + 0xFFC], 0x0000CCCC
        mov eax, 0x11223344                     ; a dword across LIN_A/LIN_B: the same page twice
        mov [LIN_A + 0xFFE], eax
        CHECK dword [ALIAS_PHYS + 0xFFC], 0x3344CCCC
        CHECK dword [ALIAS_PHYS], 0xA11A1122
        SETPTE2 1, 0x36000 | P_ | RW | US       ; remap LIN_B, then INVLPG
        invlpg [LIN_B]
        CHECK dword [LIN_B], 0x36363636
        CHECK dword [LIN_A], 0xA11A1122
        mov eax, PD2                            ; another directory: 8-12 MiB through PT2B
        mov cr3, eax
        CHECK dword [LIN_A], 0x36363636
        mov eax, PD
        mov cr3, eax
        CHECK dword [LIN_A], 0xA11A1122

        GROUP "accessed and dirty bits"
        CHECK dword [PD + 1 * 4], PT1 | P_ | RW | US
        mov eax, [0x401000]                     ; read: A in PDE and PTE, no D
        mov eax, [PD + 1 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC
        mov eax, [PT1 + 1 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC
        mov dword [0x401004], 1                 ; write after the read: D set now
        mov eax, [PT1 + 1 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC | DIRTY
        mov eax, [PD + 1 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC                          ; a PDE for a page table gets no D
        mov dword [0x402008], 2                 ; first access a write: A and D
        mov eax, [PT1 + 2 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC | DIRTY
        mov eax, [PT1 + 3 * 4]                  ; untouched page: neither
        and eax, ACC | DIRTY
        CHECK eax, 0
        and dword [PT1 + 1 * 4], ~(ACC | DIRTY) ; clear, flush, read, flush nothing, write
        invlpg [0x401000]
        mov eax, [0x401000]
        mov eax, [PT1 + 1 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC
        add dword [0x401000], 1                 ; read-modify-write
        mov eax, [PT1 + 1 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC | DIRTY
        mov edi, 0x404FF8                       ; a string store across two pages
        mov ecx, 4
        mov eax, 0x5A5A5A5A
        rep stosd
        mov eax, [PT1 + 4 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC | DIRTY
        mov eax, [PT1 + 5 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC | DIRTY

        GROUP "4 MiB pages (CR4.PSE)"
        PFCASE 0, LIN_4M + 0x10, mov eax, [LIN_4M + 0x10]  ; PSE off: PS ignored, PTE 0
        mov eax, cr4
        or eax, 0x10
        mov cr4, eax
        mov eax, cr4
        CHECK eax, 0x10
        mov eax, [PD + 3 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC                          ; the PDE was used (as a table) before the fault
        and dword [PD + 3 * 4], ~(ACC | DIRTY)
        mov dword [0x402000], 0x4444AAAA
        CHECK dword [LIN_4M + 0x2000], 0x4444AAAA
        mov eax, [PD + 3 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC
        mov dword [LIN_4M + 0x3FFFFC], 0x7FFFFC7F   ; the last dword of the 4 MiB page
        CHECK dword [0x7FFFFC], 0x7FFFFC7F
        mov eax, [PD + 3 * 4]
        and eax, ACC | DIRTY
        CHECK eax, ACC | DIRTY                  ; a 4 MiB page gets D in its PDE

        GROUP "global pages (CR4.PGE)"
        mov eax, cr4
        or eax, 0x80
        mov cr4, eax
        mov dword [0x31000], 0xA1
        mov dword [0x32000], 0xB1
        mov dword [0x33000], 0xA2
        mov dword [0x34000], 0xB2
        CHECK dword [LIN_G], 0xA1               ; both translations cached now
        CHECK dword [LIN_NG], 0xB1
        SETPTE2 5, 0x33000 | G_BIT | P_ | RW   ; change both PTEs without INVLPG
        SETPTE2 6, 0x34000 | P_ | RW
        mov eax, cr3                            ; a CR3 load flushes non-global entries
        mov cr3, eax
        CHECK dword [LIN_NG], 0xB2
        mov eax, [LIN_G]                        ; the global one may still be cached (0xA1) or
        mov ecx, 0                              ; not (0xA2): QEMU flushes everything on a CR3
        cmp eax, 0xA1                           ; load, tabvisor keeps global entries
        je .g_ok
        cmp eax, 0xA2
        jne .g_bad
.g_ok:  mov ecx, 1
.g_bad: CHECK ecx, 1
        invlpg [LIN_G]                          ; INVLPG flushes a global entry
        CHECK dword [LIN_G], 0xA2
        SETPTE2 5, 0x31000 | G_BIT | P_ | RW   ; again without INVLPG, then toggle CR4.PGE
        mov eax, cr4
        and eax, ~0x80
        mov cr4, eax
        or eax, 0x80
        mov cr4, eax
        CHECK dword [LIN_G], 0xA1

        GROUP "#PF ring 0: not present"
        PFCASE 0, LIN_NP + 0x10, mov eax, [LIN_NP + 0x10]
        PFCASE 2, LIN_NP + 0x20, mov dword [LIN_NP + 0x20], 1
        PFCASE 0, LIN_NPD + 0x30, mov eax, [LIN_NPD + 0x30]  ; PDE not present
        PFCASE 2, LIN_NPD, mov byte [LIN_NPD], 1
        PFCASE 0, LIN_X1 + 0x1000, mov eax, [LIN_X1 + 0xFFE]  ; crosses into a not-present page
        mov dword [LIN_X1 + 0xFFC], 0x39393939
        PFCASE 2, LIN_X1 + 0x1000, mov dword [LIN_X1 + 0xFFD], 0
        CHECK dword [0x39FFC], 0x39393939       ; no partial write
        PFCASE 0, LIN_X1 + 0x1000, mov ax, [LIN_X1 + 0xFFF]
        mov edi, LIN_X1 + 0xFF0                 ; REP STOSD up to the not-present page
        mov ecx, 8
        mov eax, 0x0F0F0F0F
        PFCASE 2, LIN_X1 + 0x1000, rep stosd
        CHECK edi, LIN_X1 + 0x1000              ; four stored, four left
        CHECK ecx, 4
        CHECK dword [0x39FFC], 0x0F0F0F0F
        mov dword [X_COUNT], 0                  ; a jump into a not-present page
        mov dword [X_RESUME], .jmp_back
        mov [X_KESP], esp
        mov eax, LIN_NP
        jmp eax
.jmp_back:
        CHECK dword [X_VEC], 14
        CHECK dword [X_ERR], 0
        CHECK dword [X_EIP], LIN_NP
        CHECK dword [X_CR2], LIN_NP
        mov eax, 0x12345678                     ; MOV CR2 writes it
        mov cr2, eax
        mov eax, cr2
        CHECK eax, 0x12345678

        GROUP "#PF ring 0: write protect"
        CHECK dword [LIN_RO], 0x36363636        ; reads are fine
        mov eax, cr0                            ; WP = 0: ring 0 writes read-only pages
        and eax, ~0x10000
        mov cr0, eax
        mov dword [LIN_RO + 4], 0x36360004
        CHECK dword [0x36004], 0x36360004
        mov dword [LIN_RO0], 0x3B3B0000         ; read-only in the PDE
        CHECK dword [0x3B000], 0x3B3B0000
        mov eax, cr0                            ; WP = 1
        or eax, 0x10000
        mov cr0, eax
        PFCASE 3, LIN_RO + 8, mov dword [LIN_RO + 8], 1
        PFCASE 3, LIN_RO0 + 0x10, mov dword [LIN_RO0 + 0x10], 1
        PFCASE 3, LIN_RO + 0xC, inc dword [LIN_RO + 0xC]
        CHECK dword [LIN_US0], 0x3A3A3A3A       ; supervisor reads a supervisor-PDE page

        GROUP "#PF ring 3"
        R3PF 5, LIN_SV, mov eax, [LIN_SV]       ; supervisor PTE
        R3PF 7, LIN_SV + 4, mov [LIN_SV + 4], eax
        R3PF 7, LIN_RO + 8, mov [LIN_RO + 8], eax    ; read-only user page
        R3PF 4, LIN_NP + 0xC, mov eax, [LIN_NP + 0xC]
        R3PF 6, LIN_NP + 0x10, mov [LIN_NP + 0x10], eax
        R3PF 4, LIN_NPD, mov eax, [LIN_NPD]
        R3PF 5, LIN_US0, mov eax, [LIN_US0]     ; PDE supervisor, PTE user
        R3PF 7, LIN_RO0, mov [LIN_RO0], eax     ; PDE read-only, PTE writable
        R3PF 5, LIN_SV + 0x100, push dword [LIN_SV + 0x100]
        mov ebx, 0
        mov esi, LIN_RO
        PT_RING3 .r3ok                          ; what ring 3 may do
        jmp .r3ok_done
.r3ok:  mov ax, SEL_DATA3
        mov ds, ax
        mov ebx, [esi]                          ; user read-only page: read
        mov dword [LIN_A + 0x100], 0x33333333   ; user writable page: write
        int PT_VEC_SYS
.r3ok_done:
        CHECK ebx, 0x36363636
        CHECK dword [ALIAS_PHYS + 0x100], 0x33333333
        mov eax, cr0                            ; WP = 0 does not matter for ring 3
        and eax, ~0x10000
        mov cr0, eax
        R3PF 7, LIN_RO + 0x10, mov [LIN_RO + 0x10], eax
        mov eax, cr0
        or eax, 0x10000
        mov cr0, eax
        mov dword [X_COUNT], 0                  ; fetch from a supervisor page
        PT_RING3 LIN_SV
        CHECK dword [X_COUNT], 1
        CHECK dword [X_VEC], 14
        CHECK dword [X_ERR], 5
        CHECK dword [X_EIP], LIN_SV
        CHECK dword [X_CS], SEL_CODE3
        CHECK dword [X_CR2], LIN_SV

        GROUP "#PF handler fixes up and retries"
        PT_GATE 14, pf_fixup, 0x8E
        mov dword [PF_COUNT], 0
        mov eax, 0
.f1:    mov eax, [LIN_DEM + 0x10]               ; demand paging: PT2[10] made present
        CHECK eax, 0xDEADBEEF
        CHECK dword [PF_COUNT], 1
        CHECK dword [PF_CR2], LIN_DEM + 0x10
        CHECK dword [PF_ERR], 0
        CHECK dword [PF_EIP], .f1
        mov dword [LIN_DEM + 0x20], 0x20        ; present now: no fault
        CHECK dword [PF_COUNT], 1
        CHECK dword [0x38020], 0x20
        mov dword [PF_COUNT], 0
.f2:    mov dword [LIN_RO + 0x20], 0x3636FFFF   ; WP=1: the handler makes the page writable
        CHECK dword [PF_COUNT], 1
        CHECK dword [PF_ERR], 3
        CHECK dword [PF_CR2], LIN_RO + 0x20
        CHECK dword [PF_EIP], .f2
        CHECK dword [0x36020], 0x3636FFFF
        mov eax, [PT2 + 8 * 4]
        and eax, RW | DIRTY
        CHECK eax, RW | DIRTY
        SETPTE2 8, 0x36000 | P_ | US            ; read-only again
        invlpg [LIN_RO]
        mov byte [0x3CFFD], 0xB8                ; MOV EAX, imm32 straddling LIN_C1/LIN_C2
        mov word [0x3CFFE], 0x5678
        mov word [0x3D000], 0x1234
        mov byte [0x3D002], 0xC3                ; RET
        mov dword [PF_COUNT], 0
        mov eax, 0
        mov ebx, LIN_C2 - 3
        call ebx                                ; the fetch of the 4th byte faults
        CHECK eax, 0x12345678
        CHECK dword [PF_COUNT], 1
        CHECK dword [PF_CR2], LIN_C2
        CHECK dword [PF_ERR], 0
        CHECK dword [PF_EIP], LIN_C2 - 3        ; the instruction restarts from its first byte
        SETPTE2 12, 0x3E000 | RW | US           ; REP STOSD into a not-present page, fixed up
        mov dword [PF_COUNT], 0
        mov edi, LIN_X1 + 0xFF8
        mov ecx, 4
        mov eax, 0x77777777
        rep stosd
        CHECK dword [PF_COUNT], 1
        CHECK ecx, 0
        CHECK edi, LIN_X1 + 0x1008
        CHECK dword [0x3E004], 0x77777777
        CHECK dword [0x39FFC], 0x77777777
        PT_CATCH 14

        GROUP "paging off again"
        mov eax, cr0
        and eax, 0x7FFFFFFF
        mov cr0, eax
        mov dword [LIN_A], 0x80008000           ; physical 0x800000 now
        CHECK dword [LIN_A], 0x80008000
        CHECK dword [ALIAS_PHYS], 0xA11A1122
        mov eax, [LIN_NP]                       ; no #PF without paging
        mov eax, cr0
        shr eax, 31
        CHECK eax, 0

        HARNESS_PASS

; #PF handler: record, make the page of CR2 present and writable (8-12 MiB only), retry
pf_fixup:
        push eax
        push ebx
        mov eax, [esp + 8]
        mov [PF_ERR], eax
        mov eax, [esp + 12]
        mov [PF_EIP], eax
        mov eax, cr2
        mov [PF_CR2], eax
        inc dword [PF_COUNT]
        cmp eax, 0x00800000
        jb .bad
        cmp eax, 0x00C00000
        jae .bad
        mov ebx, eax
        shr ebx, 12
        and ebx, 0x3FF
        or dword [PT2 + ebx * 4], P_ | RW
        invlpg [eax]
        pop ebx
        pop eax
        add esp, 4                              ; the error code
        iretd
.bad:   FAIL_NOW "#PF outside the fix-up region"

        HARNESS_END
