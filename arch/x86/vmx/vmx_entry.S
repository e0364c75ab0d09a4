/* int vmx_enter_guest(struct guest_regs *regs, int launched)
 * Saves the host's callee-saved registers, points HOST_RSP at this
 * frame, loads the guest's general registers (RSP, RIP and RFLAGS live in
 * the VMCS) and enters with VMLAUNCH or VMRESUME. A VM exit lands in
 * vmx_exit_stub (HOST_RIP), which stores the guest registers and returns
 * 0; a failed entry returns 1 right away. */
#include "arch/x86/regs_offsets.h"
#include "arch/x86/rsb.h"

#define VMCS_HOST_RSP 0x6c14

	.text
	.globl vmx_enter_guest, vmx_exit_stub
vmx_enter_guest:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi			/* regs, found again at 0(%rsp) on exit */

	movq $VMCS_HOST_RSP, %rax
	vmwrite %rsp, %rax
	jbe 2f

	testl %esi, %esi		/* flags survive the moves below */
	movq GR_RAX(%rdi), %rax
	movq GR_RBX(%rdi), %rbx
	movq GR_RCX(%rdi), %rcx
	movq GR_RDX(%rdi), %rdx
	movq GR_RSI(%rdi), %rsi
	movq GR_RBP(%rdi), %rbp
	movq GR_R8(%rdi), %r8
	movq GR_R9(%rdi), %r9
	movq GR_R10(%rdi), %r10
	movq GR_R11(%rdi), %r11
	movq GR_R12(%rdi), %r12
	movq GR_R13(%rdi), %r13
	movq GR_R14(%rdi), %r14
	movq GR_R15(%rdi), %r15
	movq GR_RDI(%rdi), %rdi
	jz 1f
	vmresume
	jmp 2f
1:	vmlaunch
2:	/* VMfail: the guest registers were never live */
	popq %rdi
	movl $1, %eax
	jmp 3f

vmx_exit_stub:
	pushq %rdi			/* guest RDI; regs is at 8(%rsp) */
	movq 8(%rsp), %rdi
	movq %rax, GR_RAX(%rdi)
	movq %rbx, GR_RBX(%rdi)
	movq %rcx, GR_RCX(%rdi)
	movq %rdx, GR_RDX(%rdi)
	movq %rsi, GR_RSI(%rdi)
	movq %rbp, GR_RBP(%rdi)
	movq %r8, GR_R8(%rdi)
	movq %r9, GR_R9(%rdi)
	movq %r10, GR_R10(%rdi)
	movq %r11, GR_R11(%rdi)
	movq %r12, GR_R12(%rdi)
	movq %r13, GR_R13(%rdi)
	movq %r14, GR_R14(%rdi)
	movq %r15, GR_R15(%rdi)
	popq GR_RDI(%rdi)
	FILL_RETURN_STACK %ecx
	addq $8, %rsp			/* regs */
	xorl %eax, %eax
3:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
