; real-string.asm - real-mode string instructions: MOVS STOS LODS CMPS SCAS (byte/word/dword)
; with REP/REPE/REPNE, DF=0 and DF=1, 16-bit addressing (SI/DI/CX; the upper halves of
; ESI/EDI/ECX must not change) and 32-bit addressing (67 prefix: ESI/EDI/ECX), segment overrides
; on the source (FS, GS, CS; prefix before and after REP), ES as the fixed destination, count 0,
; early termination of REPE/REPNE with the flags of the last comparison, and 16-bit offset
; wrap-around at 0xFFFF. MOVS/STOS/LODS must leave the flags alone.
%define TEST_NAME "real-string"
%include "harness.inc"

SRC equ 0x9000                          ; 256 bytes, SRC[i] = i
DST equ 0xA000                          ; 256 bytes, refilled with 0xEE by clear_dst

start:
        HARNESS_INIT
        call fill_src
        call clear_dst

; ---------------------------------------------------------------------------------------------
        GROUP "rep movsb DF=0 a16"
        mov esi, 0x12340000 + SRC + 1
        mov edi, 0x56780000 + DST + 3
        mov ecx, 0xABCD0007
        SETF ZF|CF|OF
        rep movsb
        CHECKF ZF|CF|OF, ARITH|DF
        CHECK esi, 0x12340000 + SRC + 8
        CHECK edi, 0x56780000 + DST + 10
        CHECK ecx, 0xABCD0000
        CHECK dword [DST], 0x01EEEEEE
        CHECK dword [DST+4], 0x05040302
        CHECK dword [DST+8], 0xEEEE0706

        GROUP "rep movsw DF=1 a16"
        call clear_dst
        mov esi, SRC + 0x10
        mov edi, DST + 0x20
        mov ecx, 3
        SETF DF|SF|PF
        rep movsw
        CHECKF DF|SF|PF, ARITH|DF
        cld
        CHECK esi, SRC + 0x0A
        CHECK edi, DST + 0x1A
        CHECK ecx, 0
        CHECK dword [DST+0x18], 0xEEEEEEEE
        CHECK dword [DST+0x1C], 0x0F0E0D0C
        CHECK dword [DST+0x20], 0xEEEE1110

        GROUP "rep movsd a32"
        mov esi, SRC + 0x20
        mov edi, DST + 0x40
        mov ecx, 2
        a32 rep movsd
        CHECK esi, SRC + 0x28
        CHECK edi, DST + 0x48
        CHECK ecx, 0
        CHECK dword [DST+0x40], 0x23222120
        CHECK dword [DST+0x44], 0x27262524
        CHECK dword [DST+0x48], 0xEEEEEEEE
        mov esi, SRC + 0x34
        mov edi, DST + 0x6C
        mov ecx, 2
        std
        a32 rep movsd
        cld
        CHECK esi, SRC + 0x2C
        CHECK edi, DST + 0x64
        CHECK ecx, 0
        CHECK dword [DST+0x64], 0xEEEEEEEE
        CHECK dword [DST+0x68], 0x33323130
        CHECK dword [DST+0x6C], 0x37363534

        GROUP "movs source override"
        mov ax, 0x0100                  ; FS base 0x1000
        mov fs, ax
        mov ax, DST >> 4                ; ES base DST
        mov es, ax
        mov esi, SRC - 0x1000 + 0x40
        mov edi, 0x0080
        mov ecx, 4
        fs rep movsb                    ; F3 64 A4
        CHECK esi, SRC - 0x1000 + 0x44
        CHECK edi, 0x0084
        CHECK dword [DST+0x80], 0x43424140
        mov ecx, 2
        db 0x64, 0xF3, 0xA5             ; fs rep movsw (segment prefix first)
        CHECK esi, SRC - 0x1000 + 0x48
        CHECK dword [DST+0x84], 0x47464544
        mov esi, rom_str
        mov edi, 0x0090
        mov ecx, 4
        cs rep movsb
        CHECK dword [DST+0x90], 0x214D4F52  ; "ROM!"
        mov ax, SRC >> 4                ; GS base SRC
        mov gs, ax
        mov esi, 0x10
        gs lodsd
        CHECK eax, 0x13121110
        CHECK esi, 0x14
        xor ax, ax
        mov es, ax
        mov fs, ax
        mov gs, ax

        GROUP "stos"
        mov edi, DST + 0xA0
        mov eax, 0x11221234
        mov ecx, 0xFFFF0004
        SETF CF|AF
        rep stosw
        CHECKF CF|AF
        CHECK edi, DST + 0xA8
        CHECK ecx, 0xFFFF0000
        CHECK dword [DST+0xA0], 0x12341234
        CHECK dword [DST+0xA4], 0x12341234
        CHECK dword [DST+0xA8], 0xEEEEEEEE
        std
        mov edi, DST + 0xB0
        mov eax, 0xCAFEBABE
        stosd
        CHECK edi, DST + 0xAC
        CHECK dword [DST+0xB0], 0xCAFEBABE
        mov edi, DST + 0xC3
        mov ecx, 3
        mov al, 0x77
        a32 rep stosb
        cld
        CHECK edi, DST + 0xC0
        CHECK ecx, 0
        CHECK dword [DST+0xC0], 0x777777EE

        GROUP "lods"
        mov eax, 0xAAAAAAAA
        mov esi, SRC + 5
        SETF DF|ZF
        lodsb
        CHECKF DF|ZF, ARITH|DF
        cld
        CHECK eax, 0xAAAAAA05
        CHECK esi, SRC + 4
        mov esi, SRC
        mov ecx, 3
        rep lodsw
        CHECK eax, 0xAAAA0504
        CHECK esi, SRC + 6
        CHECK ecx, 0
        mov esi, SRC + 8
        a32 lodsd
        CHECK eax, 0x0B0A0908
        CHECK esi, SRC + 12
        mov esi, rom_str + 1
        cs lodsb
        CHECK eax, 0x0B0A094F           ; 'O'

        GROUP "cmps"
        mov esi, SRC                    ; DST[0..15] = SRC[0..15] except DST[5] = 0x80
        mov edi, DST
        mov ecx, 16
        rep movsb
        mov byte [DST+5], 0x80
        mov esi, SRC
        mov edi, DST
        mov ecx, 10
        SETF ZF
        repe cmpsb                      ; stops after 05 vs 80
        CHECKF CF|SF|OF
        CHECK ecx, 4
        CHECK esi, SRC + 6
        CHECK edi, DST + 6
        mov ecx, 10                     ; 06..0F all equal: runs out
        repe cmpsb
        CHECKF ZF|PF
        CHECK ecx, 0
        CHECK esi, SRC + 0x10
        CHECK edi, DST + 0x10
        mov byte [DST+0x13], 0x03
        mov esi, SRC
        mov edi, DST + 0x10             ; EE EE EE 03 ...
        mov ecx, 0x55550000 + 10
        repne cmpsb                     ; stops at the first equal pair
        CHECKF ZF|PF
        CHECK ecx, 0x55550000 + 6
        CHECK esi, SRC + 4
        CHECK edi, DST + 0x14
        mov esi, SRC + 0x0E
        mov edi, DST + 0x0E
        mov ecx, 8
        std
        repe cmpsw                      ; backwards until word 4: 0504 vs 8004
        cld
        CHECKF CF|SF|OF|PF
        CHECK ecx, 2
        CHECK esi, SRC + 2
        CHECK edi, DST + 2
        mov ecx, 0                      ; count 0: no comparison, flags unchanged
        mov esi, SRC
        mov edi, DST + 0x10
        SETF CF|ZF|AF
        repe cmpsb
        CHECKF CF|ZF|AF
        CHECK esi, SRC
        CHECK edi, DST + 0x10
        mov ax, 0x0100
        mov fs, ax
        mov esi, SRC - 0x1000 + 7
        mov edi, DST + 7
        SETF 0
        fs cmpsb                        ; 07 vs 07
        CHECKF ZF|PF
        mov esi, SRC + 6                ; a32 cmpsd: 09080706 - 80040302
        mov edi, DST + 2
        mov ecx, 1
        a32 repe cmpsd
        CHECKF CF|SF|OF
        CHECK esi, SRC + 10
        xor ax, ax
        mov fs, ax

        GROUP "scas"
        mov edi, SRC
        mov ecx, 0x100
        mov eax, 0x42
        repne scasb
        CHECKF ZF|PF
        CHECK edi, SRC + 0x43
        CHECK ecx, 0xBD
        mov edi, SRC
        mov ecx, 0x10
        mov al, 0x99
        repne scasb                     ; not found
        CHECKF SF|AF
        CHECK edi, SRC + 0x10
        CHECK ecx, 0
        mov edi, DST + 0x100            ; 5 x 0707, then 1234
        mov ax, 0x0707
        mov ecx, 5
        rep stosw
        mov word [DST+0x10A], 0x1234
        mov edi, DST + 0x100
        mov ecx, 8
        repe scasw
        CHECKF CF|SF
        CHECK ecx, 2
        CHECK edi, DST + 0x10C
        mov edi, SRC + 8
        mov eax, 0x0B0A0908
        std
        a32 scasd
        cld
        CHECKF ZF|PF
        CHECK edi, SRC + 4

        GROUP "16-bit offset wrap"
        mov ax, 0x0800                  ; DS base 0x8000: DS:FFFF = 0x17FFF, DS:0000 = 0x8000
        mov fs, ax
        mov byte [fs:0xFFFF], 0xAB
        mov byte [fs:0x0000], 0xCD
        mov ax, 0x0B00                  ; ES base 0xB000: ES:FFFF = 0x1AFFF, ES:0000 = 0xB000
        mov es, ax
        mov byte [es:0xFFFF], 0
        mov byte [es:0x0000], 0
        mov esi, 0x0000FFFF
        mov edi, 0x0000FFFF
        mov ecx, 2
        push ds
        push fs
        pop ds
        rep movsb
        pop ds
        CHECK esi, 1
        CHECK edi, 1
        xor eax, eax
        mov al, [es:0xFFFF]
        mov ah, [es:0x0000]
        CHECK eax, 0xCDAB
        mov esi, 0                      ; DF=1 from offset 0 wraps to FFFF
        std
        lodsb
        cld
        CHECK esi, 0x0000FFFF
        xor ax, ax
        mov es, ax
        mov fs, ax

        GROUP "rep with CX=0"
        call clear_dst
        mov esi, SRC
        mov edi, DST
        mov ecx, 0xFFFF0000             ; a16: CX=0 means no iteration
        rep movsb
        rep stosd
        CHECK esi, SRC
        CHECK edi, DST
        CHECK dword [DST], 0xEEEEEEEE
        mov ecx, 0
        a32 rep movsw
        CHECK edi, DST

        HARNESS_PASS

fill_src:                               ; SRC[i] = i, i = 0..255
        mov bx, 0
.l:     mov [SRC+bx], bl
        inc bx
        cmp bx, 0x100
        jne .l
        ret

clear_dst:                              ; DST[0..0x11F] = 0xEE
        mov bx, 0
.l:     mov byte [DST+bx], 0xEE
        inc bx
        cmp bx, 0x120
        jne .l
        ret

rom_str: db "ROM!"

        HARNESS_END
