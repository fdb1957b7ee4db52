; Benchmark guest: a tight loop with no I/O (3 instructions x 40,000,000 iterations), then
; isa-debug-exit. Measures interpreter speed, and that a loop without I/O makes no exits.
bits 16
org 0
ITERATIONS equ 40000000
start:
    cli
    mov ecx, ITERATIONS
    xor eax, eax
.l: add eax, ecx
    dec ecx
    jnz .l
    xor al, al
    out 0xf4, al
    hlt
    times 0xfff0 - ($ - $$) db 0
    jmp 0xf000:start
    times 0x10000 - ($ - $$) db 0
