/*
 * Reference x87 executor for tests/core/fpu-native.test.ts: runs x87 instruction bytes on the
 * host's real FPU (x86-64) and prints the resulting FPU state, so the test can compare tabvisor
 * with hardware bit for bit.
 *
 * Input, one case per line (hex, no 0x):  CW FLAGS OPBYTES A B MEM
 *   CW     control word loaded after FNINIT          FLAGS  EFLAGS loaded (POPF) before the op
 *   OPBYTES the instruction bytes (1..32); a memory operand must be [rdi]/[edi] (ModR/M rm=7,
 *          mod=0), which both the host (64-bit) and the guest (32-bit) decode the same way
 *   A, B   80-bit operands as 20 hex digits (little-endian bytes); the op runs with ST0=A, ST1=B
 *   MEM    10 bytes placed in the memory slot [rdi] before the op (the slot is 512 bytes,
 *          16-byte aligned, zero beyond the 10 bytes, so FNSAVE/FXSAVE fit)
 * Output, one line per case: FNSAVE image (108 bytes, 32-bit protected-mode layout), the first 160
 * bytes of the memory slot, EFLAGS (4 bytes, little-endian), all as hex.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

struct io {
  uint16_t cw;        /* 0 */
  uint16_t flags;     /* 2 */
  uint32_t pad;       /* 4 */
  uint8_t a[10];      /* 8 */
  uint8_t b[10];      /* 18 */
};

/* run_case(io *c, uint8_t *save, uint8_t *mem, void (*op)(void)) */
__asm__(
  ".text\n"
  ".globl run_case\n"
  "run_case:\n"
  "  mov %rdi, %r8\n"
  "  mov %rdx, %rdi\n"
  "  fninit\n"
  "  fldcw (%r8)\n"
  "  fldt 18(%r8)\n"
  "  fldt 8(%r8)\n"
  "  movzwq 2(%r8), %rax\n"
  "  push %rax\n"
  "  popfq\n"
  "  call *%rcx\n"
  "  pushfq\n"
  "  pop %rax\n"
  "  mov %eax, 108(%rsi)\n"
  "  fnsave (%rsi)\n"
  "  fninit\n"
  "  ret\n");
void run_case(struct io *c, uint8_t *save, uint8_t *mem, void (*op)(void));

static int hexbytes(const char *s, uint8_t *out, int max) {
  int n = 0;
  while (s[0] && s[1] && n < max) {
    unsigned v;
    if (sscanf(s, "%2x", &v) != 1) return -1;
    out[n++] = (uint8_t)v;
    s += 2;
  }
  return n;
}

int main(void) {
  uint8_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) { perror("mmap"); return 1; }
  char cw[8], fl[8], ops[72], a[32], b[32], m[32];
  while (scanf("%7s %7s %71s %31s %31s %31s", cw, fl, ops, a, b, m) == 6) {
    struct io c;
    uint8_t save[112];
    static uint8_t mem[512] __attribute__((aligned(16)));
    unsigned v;
    memset(&c, 0, sizeof c);
    sscanf(cw, "%x", &v); c.cw = (uint16_t)v;
    sscanf(fl, "%x", &v); c.flags = (uint16_t)v;
    int n = hexbytes(ops, code, 32);
    if (n <= 0) { fprintf(stderr, "bad op %s\n", ops); return 1; }
    code[n] = 0xc3; /* ret */
    hexbytes(a, c.a, 10);
    hexbytes(b, c.b, 10);
    memset(mem, 0, sizeof mem);
    hexbytes(m, mem, 10);
    memset(save, 0, sizeof save);
    __builtin___clear_cache((char *)code, (char *)code + 16);
    run_case(&c, save, mem, (void (*)(void))code);
    for (int i = 0; i < 108; i++) printf("%02x", save[i]);
    printf(" ");
    for (int i = 0; i < 160; i++) printf("%02x", mem[i]);
    printf(" %02x%02x%02x%02x\n", save[108], save[109], save[110], save[111]);
  }
  return 0;
}
