/* Refilling the CPU's return stack buffer right after a VM exit, so that
 * no RET in the hypervisor is predicted from return addresses a guest
 * left behind (the RSB half of Spectre v2, as Linux KVM does on every
 * exit). 32 calls whose return addresses are speculation traps, then the
 * stack pointer is put back. Needs one scratch register. */
#ifndef ARCH_X86_RSB_H
#define ARCH_X86_RSB_H

#ifdef __ASSEMBLY__
#define RSB_ENTRIES 32

.macro FILL_RETURN_STACK scratch
	movl $(RSB_ENTRIES / 2), \scratch
771:	call 773f
772:	pause
	lfence
	jmp 772b
773:	call 775f
774:	pause
	lfence
	jmp 774b
775:	decl \scratch
	jnz 771b
	addq $(RSB_ENTRIES * 8), %rsp
.endm
#endif

#endif
