/* Keeps the assembly's view of struct guest_regs honest. */
#include "arch/x86/regs_offsets.h"
#include "hv/virt.h"

#define CHECK_OFF(field, off)                                                \
	_Static_assert(__builtin_offsetof(struct guest_regs, field) == (off),   \
		       "guest_regs." #field " offset")

CHECK_OFF(rax, GR_RAX);
CHECK_OFF(rbx, GR_RBX);
CHECK_OFF(rcx, GR_RCX);
CHECK_OFF(rdx, GR_RDX);
CHECK_OFF(rsi, GR_RSI);
CHECK_OFF(rdi, GR_RDI);
CHECK_OFF(rbp, GR_RBP);
CHECK_OFF(rsp, GR_RSP);
CHECK_OFF(r8, GR_R8);
CHECK_OFF(r9, GR_R9);
CHECK_OFF(r10, GR_R10);
CHECK_OFF(r11, GR_R11);
CHECK_OFF(r12, GR_R12);
CHECK_OFF(r13, GR_R13);
CHECK_OFF(r14, GR_R14);
CHECK_OFF(r15, GR_R15);
