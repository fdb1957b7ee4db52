// EFLAGS.TF single-stepping: a #DB trap (vector 1, DR6.BS) after each instruction that started
// with TF set, including one that exits to the host (OUT); none inside the #DB handler (TF is
// cleared on entry); the instruction that sets TF is not itself trapped.
import { describe, expect, it } from "vitest";
import { CoreHarness, nasm, ECX } from "./harness";
import { RP } from "../../src/shared/run-page";

describe("single-step (TF)", () => {
  it("traps after every instruction while TF is set, with the return address past it", () => {
    const h = new CoreHarness();
    // #DB handler at 0:0x3000: log the return IP at [0x700 + 2n], count in [0x600].
    h.load(0x3000, nasm(`push bp\nmov bp, sp\npush bx\nmov bx, [0x600]\nshl bx, 1\npush ax\nmov ax, [bp+2]\nmov [0x700+bx], ax\npop ax\ninc word [0x600]\npop bx\npop bp\niret`, 16, 0x3000));
    new DataView(h.ram.buffer, h.ram.byteOffset).setUint32(1 * 4, 0x3000, true);
    h.load(0x1000, nasm(`
      pushf
      pop ax
      or ax, 0x100
      push ax
      popf            ; sets TF: no trap after this one
    a: nop            ; trap 1, return to b
    b: mov cx, 7      ; trap 2, return to c
    c: out 0x78, al   ; exits to the host, then trap 3, return to d
    d: pushf          ; trap 4
    e: pop ax         ; trap 5
    f: and ax, 0xfeff
       push ax
       popf           ; clears TF (traps once more: TF was set when it started)
       cli
       hlt`, 16, 0x1000));
    h.real16(0x1000);
    const r = h.run(1000);
    expect(r.reason).toBe(RP.EXIT_HLT);
    expect(h.gpr(ECX) & 0xffff).toBe(7);
    const v = new DataView(h.ram.buffer, h.ram.byteOffset);
    const count = v.getUint16(0x600, true);
    const returns = Array.from({ length: count }, (_, i) => v.getUint16(0x700 + 2 * i, true) - 0x1000);
    // Offsets: pushf 1 + pop 1 + or 3 + push 1 + popf 1 → a=7, b=8, c=11 (mov cx is 3), d=13 (out is 2), e=14, f=15.
    expect(returns.slice(0, 5)).toEqual([8, 11, 13, 14, 15]); // b, c, d, e, f: after a, b, c, d, e
    expect(h.outs.map((o) => [o.port, o.size])).toEqual([[0x78, 1]]); // the OUT exited once, and was still stepped
    expect(h.rp.eflags & 0x100).toBe(0);
    expect(count).toBeGreaterThanOrEqual(7); // f..popf were stepped too, nothing after TF cleared
    expect(count).toBeLessThanOrEqual(8);
  });
});
