; Benchmark guest: 20,000 OUTs to the debug console (port 0xE9), each a full exit to the host,
; then isa-debug-exit. The host timestamps every byte to measure the exit round trip.
bits 16
org 0
EXITS equ 20000
start:
    cli
    mov cx, EXITS
    mov al, '.'
.l: out 0xe9, al
    loop .l
    xor al, al
    out 0xf4, al
    hlt
    times 0xfff0 - ($ - $$) db 0
    jmp 0xf000:start
    times 0x10000 - ($ - $$) db 0
