/*
 * Native reference for the integer differential tests (tests/diff/*.test.ts): executes one x86
 * instruction (a few bytes assembled for 32-bit mode, which decode the same in 64-bit mode when
 * they use 8/16/32-bit operands, no INC/DEC short forms and no stack) on this x86-64 host with a
 * given register file and EFLAGS, and reports the registers and EFLAGS afterwards.
 *
 * Binary protocol, little-endian, fixed-size records.
 *   stdin, 80 bytes per case:
 *     0  op[24]     instruction bytes (the harness appends RET after `len` bytes)
 *     24 u8 len
 *     28 u32 flags  EFLAGS loaded with POPFQ before the instruction
 *     32 u32 eax ecx edx ebx ebp esi edi   (zero-extended into the 64-bit registers)
 *     64 u8 mem[8]  copied to MEM_SLOT (a fixed low address, so [edi] means the same on both sides)
 *   stdout, 48 bytes per case:
 *     0  u32 eax ecx edx ebx ebp esi edi
 *     28 u32 flags  EFLAGS after (PUSHFQ), or at the fault
 *     32 u8 mem[8]  MEM_SLOT after
 *     40 u32 fault  0 none, 1 #DE (SIGFPE), 2 #UD (SIGILL), 3 other (SIGSEGV/SIGBUS)
 * On a fault the registers and EFLAGS are those of the faulting context (from the signal frame).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define MEM_SLOT 0x200000UL

struct ctx { uint32_t flags, eax, ecx, edx, ebx, ebp, esi, edi; };

/* run_op(struct ctx *c, void *code): load the registers and flags, call code, store them back. */
__asm__(
  ".intel_syntax noprefix\n"
  ".text\n"
  ".globl run_op\n"
  "run_op:\n"
  "  push rbx\n  push rbp\n  push r12\n  push r13\n  push r14\n  push r15\n"
  "  mov r12, rdi\n"
  "  mov r11, rsi\n"
  "  mov eax, [r12]\n"
  "  push rax\n"
  "  mov eax, [r12+4]\n  mov ecx, [r12+8]\n  mov edx, [r12+12]\n  mov ebx, [r12+16]\n"
  "  mov ebp, [r12+20]\n  mov esi, [r12+24]\n  mov edi, [r12+28]\n"
  "  popfq\n"
  "  call r11\n"
  "  pushfq\n"
  "  mov [r12+4], eax\n  mov [r12+8], ecx\n  mov [r12+12], edx\n  mov [r12+16], ebx\n"
  "  mov [r12+20], ebp\n  mov [r12+24], esi\n  mov [r12+28], edi\n"
  "  pop rax\n"
  "  mov [r12], eax\n"
  "  pop r15\n  pop r14\n  pop r13\n  pop r12\n  pop rbp\n  pop rbx\n"
  "  ret\n"
  ".att_syntax prefix\n");
void run_op(struct ctx *c, void *code);

static sigjmp_buf jb;
static struct ctx faulted;
static volatile int fault_kind;

static void on_fault(int sig, siginfo_t *si, void *uc_) {
  (void)si;
  ucontext_t *uc = uc_;
  greg_t *g = uc->uc_mcontext.gregs;
  faulted.flags = (uint32_t)g[REG_EFL];
  faulted.eax = (uint32_t)g[REG_RAX]; faulted.ecx = (uint32_t)g[REG_RCX];
  faulted.edx = (uint32_t)g[REG_RDX]; faulted.ebx = (uint32_t)g[REG_RBX];
  faulted.ebp = (uint32_t)g[REG_RBP]; faulted.esi = (uint32_t)g[REG_RSI];
  faulted.edi = (uint32_t)g[REG_RDI];
  fault_kind = sig == SIGFPE ? 1 : sig == SIGILL ? 2 : 3;
  siglongjmp(jb, 1);
}

static int read_all(uint8_t *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(0, buf + got, n - got);
    if (r <= 0) return got == 0 ? 0 : -1;
    got += (size_t)r;
  }
  return 1;
}

int main(void) {
  uint8_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uint8_t *slot = mmap((void *)MEM_SLOT, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (code == MAP_FAILED || slot != (uint8_t *)MEM_SLOT) { perror("mmap"); return 1; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGFPE, &sa, NULL);
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);

  static uint8_t in[80], out[48], last_op[25];
  static uint8_t obuf[48 * 1024];
  size_t opos = 0;
  int r;
  while ((r = read_all(in, sizeof in)) == 1) {
    uint8_t len = in[24];
    if (len > 23) { fprintf(stderr, "op too long\n"); return 1; }
    if (memcmp(last_op, in, 25) != 0) {
      memcpy(code, in, len);
      code[len] = 0xc3; /* ret */
      memcpy(last_op, in, 25);
      __builtin___clear_cache((char *)code, (char *)code + 32);
    }
    struct ctx c;
    memcpy(&c, in + 28, sizeof c);
    memcpy(slot, in + 64, 8);
    uint32_t fault = 0;
    if (sigsetjmp(jb, 1) == 0) {
      run_op(&c, code);
    } else {
      c = faulted;
      fault = (uint32_t)fault_kind;
    }
    memcpy(out, &c.eax, 28);
    memcpy(out + 28, &c.flags, 4);
    memcpy(out + 32, slot, 8);
    memcpy(out + 40, &fault, 4);
    memset(out + 44, 0, 4);
    memcpy(obuf + opos, out, 48);
    opos += 48;
    if (opos == sizeof obuf) { fwrite(obuf, 1, opos, stdout); opos = 0; }
  }
  if (opos) fwrite(obuf, 1, opos, stdout);
  return r < 0 ? 1 : 0;
}
