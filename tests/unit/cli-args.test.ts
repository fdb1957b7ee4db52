// CLI option parsing: QEMU's vocabulary and one-line errors.
import { describe, expect, it } from "vitest";
import { parseArgs, parseSize, UsageError } from "../../src/cli/args";

describe("parseArgs", () => {
  it("accepts the QEMU-style options", () => {
    const o = parseArgs(["-bios", "rom.bin", "-m", "32M", "-serial", "stdio", "-debugcon", "file:/tmp/x", "-max-instructions", "1000", "-postcode-port", "0x190"]);
    expect(o).toMatchObject({
      bios: "rom.bin",
      memory: 32 * 1024 * 1024,
      serial: { kind: "stdio" },
      debugcon: { kind: "file", path: "/tmp/x" },
      maxInstructions: 1000,
      postCodePort: 0x190,
    });
  });

  it("reads sizes like QEMU: suffixes, or MiB when plain", () => {
    expect(parseSize("16M")).toBe(16 << 20);
    expect(parseSize("1G")).toBe(1 << 30);
    expect(parseSize("128")).toBe(128 << 20);
    expect(parseSize("2048k")).toBe(2 << 20);
    expect(() => parseSize("lots")).toThrow(/invalid memory size 'lots'/);
  });

  it("names the problem in one line", () => {
    const cases: [string[], RegExp][] = [
      [["-bios"], /option -bios needs a value/],
      [["-bios", "x", "-frobnicate"], /unknown option '-frobnicate'/],
      [["-bios", "x", "stray"], /unexpected argument 'stray'/],
      [[], /no guest to run: give -bios FILE or -kernel FILE/],
      [["-bios", "x", "-append", "quiet"], /-initrd and -append need -kernel/],
      [["-bios", "x", "-serial", "tcp:1234"], /unsupported device 'tcp:1234'/],
      [["-bios", "x", "-max-instructions", "0"], /must be at least 1/],
      [["-bios", "x", "-max-instructions", "ten"], /'ten' is not a number/],
      [["-bios", "x", "-postcode-port", "0x10000"], /above 0xFFFF/],
    ];
    for (const [argv, msg] of cases) {
      let err: unknown;
      try {
        parseArgs(argv);
      } catch (e) {
        err = e;
      }
      expect(err, argv.join(" ")).toBeInstanceOf(UsageError);
      expect((err as Error).message, argv.join(" ")).toMatch(msg);
      expect((err as Error).message).not.toContain("\n");
    }
  });
});
