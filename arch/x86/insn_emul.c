/* Emulation of the memory-operand instructions of MMIO accesses (see
 * insn_emul.h), on the decode of insn_len.c. */
#include "arch/x86/insn_emul.h"
#include "lib/errno.h"

u64 *gpr_by_number(struct guest_regs *r, u8 n)
{
#define GPR(reg) offsetof(struct guest_regs, reg)
	static const u8 offsets[16] = { GPR(rax), GPR(rcx), GPR(rdx), GPR(rbx),
					GPR(rsp), GPR(rbp), GPR(rsi), GPR(rdi),
					GPR(r8),  GPR(r9),  GPR(r10), GPR(r11),
					GPR(r12), GPR(r13), GPR(r14), GPR(r15) };
#undef GPR
	return (u64 *)((u8 *)r + offsets[n & 15]);
}
