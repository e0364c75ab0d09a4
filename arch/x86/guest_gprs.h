/* Moving a guest's general registers between the CPU and its struct
 * guest_regs (hv/virt.h), for both VM-entry stubs, and keeping the host's
 * callee-saved ones on the stack meanwhile. The struct is at (%rdi). RAX,
 * RSP and RDI itself are left to the stub: RSP (and RAX on AMD) live in
 * the guest's control block, and RDI holds the address until the last
 * move. */
#ifndef ARCH_X86_GUEST_GPRS_H
#define ARCH_X86_GUEST_GPRS_H

#ifdef __ASSEMBLY__
#include "asm_offsets.h"

/* dir: load (struct to register) or store (register to struct). */
.macro GUEST_GPR dir, offset, reg
	.ifc \dir, load
	movq \offset(%rdi), \reg
	.else
	movq \reg, \offset(%rdi)
	.endif
.endm

.macro GUEST_GPRS dir
	GUEST_GPR \dir, GR_RBX, %rbx
	GUEST_GPR \dir, GR_RCX, %rcx
	GUEST_GPR \dir, GR_RDX, %rdx
	GUEST_GPR \dir, GR_RSI, %rsi
	GUEST_GPR \dir, GR_RBP, %rbp
	GUEST_GPR \dir, GR_R8, %r8
	GUEST_GPR \dir, GR_R9, %r9
	GUEST_GPR \dir, GR_R10, %r10
	GUEST_GPR \dir, GR_R11, %r11
	GUEST_GPR \dir, GR_R12, %r12
	GUEST_GPR \dir, GR_R13, %r13
	GUEST_GPR \dir, GR_R14, %r14
	GUEST_GPR \dir, GR_R15, %r15
.endm

/* The host's callee-saved registers, kept on the stack while the guest's
 * values are in them. */
.macro PUSH_HOST_REGS
	.irp reg, rbp, rbx, r12, r13, r14, r15
	pushq %\reg
	.endr
.endm

.macro POP_HOST_REGS
	.irp reg, r15, r14, r13, r12, rbx, rbp
	popq %\reg
	.endr
.endm
#endif

#endif
