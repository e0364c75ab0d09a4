/* Refilling the CPU's return stack buffer right after a VM exit, so that
 * no RET in the hypervisor is predicted from return addresses a guest
 * left behind (the RSB half of Spectre v2, as Linux KVM does on every
 * exit). 32 calls whose return addresses are speculation traps, then the
 * stack pointer is put back. Unrolled: one instruction per entry. */
#ifndef ARCH_X86_RSB_H
#define ARCH_X86_RSB_H

#ifdef __ASSEMBLY__
#define RSB_ENTRIES 32

.macro FILL_RETURN_STACK
	.rept RSB_ENTRIES
	call 772f
771:	pause
	lfence
	jmp 771b
772:
	.endr
	addq $(RSB_ENTRIES * 8), %rsp
.endm
#endif

#endif
