#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

#include "lib/types.h"

/* What trap_entry.S saves, lowest address first. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");

enum {
	VEC_DB = 1, VEC_NMI = 2, VEC_UD = 6, VEC_DF = 8, VEC_SS = 12,
	VEC_GP = 13, VEC_PF = 14, VEC_AC = 17, VEC_MC = 18,
};

void idt_init_this_cpu(void);
void trap_handler(struct trap_frame *f);

/* Resumes at the registered fixup when the faulting RIP has one. */
bool extable_fixup(struct trap_frame *f);

#endif
