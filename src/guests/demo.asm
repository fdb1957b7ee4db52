; tabvisor demo guest: a 64 KiB BIOS ROM that talks over COM1 (16550A at 0x3F8).
; It programs the UART like a real driver (divisor, 8N1, FIFOs, RX interrupt enable, OUT2),
; greets, then echoes every byte typed. Enter starts a new line and reports how many lines and
; bytes it has seen; the byte count also goes to the POST code port 0x80, so the exit panel
; shows it. Idle time is spent in HLT with interrupts enabled: the guest programs the 8259A PICs
; (which live in the vCPU worker: those port writes never exit) and unmasks IRQ 4, so the UART's
; receive interrupt wakes it. An idle guest costs no host CPU.
; Built with nasm at set-up (scripts/build-asm.mjs) into public/guests/demo.bin.

bits 16
org 0

COM1     equ 0x3f8
RBR      equ COM1 + 0        ; receive buffer (DLAB=0)
THR      equ COM1 + 0        ; transmit holding (DLAB=0)
DLL      equ COM1 + 0        ; divisor latch low (DLAB=1)
IER      equ COM1 + 1        ; interrupt enable (DLAB=0)
DLM      equ COM1 + 1        ; divisor latch high (DLAB=1)
FCR      equ COM1 + 2        ; FIFO control
LCR      equ COM1 + 3        ; line control
MCR      equ COM1 + 4        ; modem control
LSR      equ COM1 + 5        ; line status
LSR_DR   equ 0x01            ; data ready
LSR_THRE equ 0x20            ; transmit holding register empty

RAM_SEG  equ 0x0000
LINES    equ 0x0500          ; u16 line counter (in RAM)
BYTES    equ 0x0502          ; u16 byte counter (in RAM)

start:
    cli
    xor ax, ax
    mov ss, ax
    mov sp, 0x7000
    mov ds, ax
    mov word [LINES], 0
    mov word [BYTES], 0

    ; IVT entry for IRQ 4 (vector 0x0C with the PIC based at 0x08), then the PICs:
    ; ICW1 edge/cascade/ICW4, ICW2 vector base, ICW3 wiring, ICW4 8086 mode; OCW1 masks.
    mov word [0x0c * 4], irq4
    mov word [0x0c * 4 + 2], 0xf000
    mov al, 0x11
    out 0x20, al
    out 0xa0, al
    mov al, 0x08
    out 0x21, al
    mov al, 0x70
    out 0xa1, al
    mov al, 0x04
    out 0x21, al
    mov al, 0x02
    out 0xa1, al
    mov al, 0x01
    out 0x21, al
    out 0xa1, al
    mov al, 0xef            ; only IRQ 4 (COM1) unmasked
    out 0x21, al
    mov al, 0xff
    out 0xa1, al

    ; 115200 baud 8N1, FIFOs on (trigger 1), RX-data interrupt, DTR+RTS+OUT2.
    mov dx, LCR
    mov al, 0x80
    out dx, al
    mov dx, DLL
    mov al, 1
    out dx, al
    mov dx, DLM
    xor al, al
    out dx, al
    mov dx, LCR
    mov al, 0x03
    out dx, al
    mov dx, FCR
    mov al, 0x07
    out dx, al
    mov dx, IER
    mov al, 0x01
    out dx, al
    mov dx, MCR
    mov al, 0x0b
    out dx, al

    mov si, greeting
    call puts
    call prompt

.idle:
    mov dx, LSR
    in al, dx
    test al, LSR_DR
    jnz .got
    sti                     ; STI's shadow covers HLT: an IRQ arriving now still wakes us
    hlt                     ; sleep until IRQ 4
    cli
    jmp .idle


.got:
    mov dx, RBR
    in al, dx
    inc word [BYTES]
    push ax
    mov ax, [BYTES]
    out 0x80, al            ; POST code port: the low byte of the byte count
    pop ax
    cmp al, 13              ; Enter
    je .enter
    cmp al, 10
    je .enter
    cmp al, 127             ; Backspace (DEL) -> erase on screen
    je .backspace
    call putc
    jmp .idle
.backspace:
    mov si, erase
    call puts
    jmp .idle
.enter:
    inc word [LINES]
    mov si, crlf
    call puts
    mov si, stat1
    call puts
    mov ax, [LINES]
    call putdec
    mov si, stat2
    call puts
    mov ax, [BYTES]
    call putdec
    mov si, stat3
    call puts
    call prompt
    jmp .idle

prompt:
    mov si, promptstr
    ; fall through
; puts: print the NUL-terminated string at CS:SI
puts:
    push ax
.next:
    cs lodsb
    test al, al
    jz .done
    call putc
    jmp .next
.done:
    pop ax
    ret

; putc: send AL, waiting for THRE like a real driver does
putc:
    push dx
    push ax
    mov dx, LSR
.wait:
    in al, dx
    test al, LSR_THRE
    jz .wait
    pop ax
    mov dx, THR
    out dx, al
    pop dx
    ret

; putdec: print AX in decimal
putdec:
    push ax
    push bx
    push cx
    push dx
    mov bx, 10
    xor cx, cx
.div:
    xor dx, dx
    div bx
    push dx
    inc cx
    test ax, ax
    jnz .div
.out:
    pop ax
    add al, '0'
    call putc
    loop .out
    pop dx
    pop cx
    pop bx
    pop ax
    ret

; IRQ 4: just acknowledge; the main loop drains the UART.
irq4:
    push ax
    mov al, 0x20            ; non-specific EOI
    out 0x20, al
    pop ax
    iret

greeting:  db 13, 10, "Hello from tabvisor! This guest is a 64 KiB ROM in the project's own assembly.", 13, 10
           db "Type, and it echoes; every byte you type is an exit the panel counts.", 13, 10, 0
promptstr: db "demo> ", 0
crlf:      db 13, 10, 0
erase:     db 8, " ", 8, 0
stat1:     db "[lines: ", 0
stat2:     db ", bytes typed: ", 0
stat3:     db "]", 13, 10, 0

    times 0xfff0 - ($ - $$) db 0
reset_vector:
    jmp 0xf000:start
    times 0x10000 - ($ - $$) db 0
