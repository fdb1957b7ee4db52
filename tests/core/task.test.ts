// Hardware task switching: INT through a task gate to a second 32-bit TSS, and IRET (NT=1) back.
import { describe, expect, it } from "vitest";
import { CoreHarness, nasm, EAX, EBX, ECX, EDX, ESI } from "./harness";
import { RP } from "../../src/shared/run-page";

const PROGRAM = `
  lgdt [gdtr]
  lidt [idtr]
  jmp 0x08:flat
flat:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x9000
  mov ax, 0x18            ; TSS A (this task)
  ltr ax
  mov eax, 0x11111111
  mov ebx, 0xaaaa0001
  int 0x40                ; task gate -> TSS B
  ; back in task A after task B's IRET
  mov esi, eax            ; EAX was saved and restored across the switch
  mov edi, ebx
  mov ecx, [tssb]         ; task B's back link must name task A
  str dx                  ; TR is task A again
  hlt

task_b:                   ; runs with the registers from TSS B
  mov ebp, eax            ; 0x22222222 from TSS B
  pushfd
  pop eax                 ; NT must be set (nested task)
  mov [0x600], eax
  mov [0x604], ebp
  iret                    ; NT=1: back to task A through the back link
  jmp task_b              ; a later INT 0x40 would resume here

times 0x200-($-$$) db 0   ; the GDT sits at 0x1200 (the test reads its busy bits)
gdt:
  dq 0
  dq 0x00cf9b000000ffff   ; 0x08 flat code
  dq 0x00cf93000000ffff   ; 0x10 flat data
  dw 0x67, tssa, 0x8900, 0  ; 0x18 TSS A (available; base fits 16 bits here)
  dw 0x67, tssb, 0x8900, 0  ; 0x20 TSS B
gdt_end:
gdtr: dw gdt_end - gdt - 1
      dd gdt
idt:
  times 0x40 dq 0
  dw 0, 0x20, 0x8500, 0   ; 0x40: task gate -> TSS B
idt_end:
idtr: dw idt_end - idt - 1
      dd idt

align 16
tssa: times 0x68 db 0
align 16
tssb:
  dd 0                    ; back link
  times 6 dd 0            ; ESP0..SS2
  dd 0                    ; CR3
  dd task_b               ; EIP
  dd 0x2                  ; EFLAGS
  dd 0x22222222, 0, 0, 0  ; EAX ECX EDX EBX
  dd 0x8800, 0, 0, 0      ; ESP EBP ESI EDI
  dd 0x10, 0x08, 0x10, 0x10, 0x10, 0x10  ; ES CS SS DS FS GS
  dd 0                    ; LDT
  dd 0
`;

describe("hardware task switch", () => {
  it("INT through a task gate runs the new task; IRET with NT returns through the back link", () => {
    const h = new CoreHarness();
    const code = nasm(PROGRAM, 32, 0x1000);
    h.load(0x1000, code);
    h.flat32(0x1000);
    const r = h.run(10_000);
    expect(r.reason).toBe(RP.EXIT_HLT);
    const v = new DataView(h.ram.buffer, h.ram.byteOffset);
    expect(v.getUint32(0x604, true)).toBe(0x22222222); // task B got EAX from its TSS
    expect(v.getUint32(0x600, true) & 0x4000).toBe(0x4000); // NT set in task B
    expect(h.gpr(ESI)).toBe(0x11111111); // task A's EAX restored from TSS A
    expect(h.gpr(7)).toBe(0xaaaa0001); // EDI = task A's EBX
    expect(h.gpr(ECX) & 0xffff).toBe(0x18); // back link = TSS A
    expect(h.gpr(EDX) & 0xffff).toBe(0x18); // TR = TSS A
    expect(h.rp.eflags & 0x4000).toBe(0); // NT clear in task A
    expect(h.rp.cr0 & 8).toBe(8); // CR0.TS set by the switches
    // Busy bits: A busy again (type 0xB), B available again (type 9) after the IRET.
    const gdt = 0x1200;
    expect(h.ram[gdt + 8 + 5]).toBe(0x9b); // sanity: this is the GDT (flat code descriptor)
    expect(h.ram[gdt + 0x18 + 5] & 0x0f).toBe(0x0b);
    expect(h.ram[gdt + 0x20 + 5] & 0x0f).toBe(0x09);
    expect(h.gpr(EAX)).toBe(0x11111111);
    expect(h.gpr(EBX)).toBe(0xaaaa0001);
  });
});
