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
	VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4,
	VEC_BR = 5, VEC_UD = 6, VEC_NM = 7, VEC_DF = 8, VEC_TS = 10,
	VEC_NP = 11, VEC_SS = 12, VEC_GP = 13, VEC_PF = 14, VEC_MF = 16,
	VEC_AC = 17, VEC_MC = 18, VEC_XM = 19, VEC_VE = 20, VEC_CP = 21,
};

void idt_init_this_cpu(void);
void trap_handler(struct trap_frame *f);

/* Resumes at the registered fixup when the faulting RIP has one. */
bool extable_fixup(struct trap_frame *f);

#endif
