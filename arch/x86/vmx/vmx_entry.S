/* int vmx_enter_guest(struct guest_regs *regs, int launched)
 * Saves the host's callee-saved registers, points HOST_RSP at this
 * frame, loads the guest's general registers (RSP, RIP and RFLAGS live in
 * the VMCS) and enters with VMLAUNCH or VMRESUME. A VM exit lands in
 * vmx_exit_stub (HOST_RIP), which stores the guest registers and returns
 * 0; a failed entry returns 1 right away. */
#include "arch/x86/guest_gprs.h"
#include "arch/x86/rsb.h"

	.text
	.globl vmx_enter_guest, vmx_exit_stub
vmx_enter_guest:
	PUSH_HOST_REGS
	pushq %rdi			/* regs, found again at 0(%rsp) on exit */

	movq $VMCS_HOST_RSP, %rax
	vmwrite %rsp, %rax
	jbe 2f

	testl %esi, %esi		/* flags survive the moves below */
	movq GR_RAX(%rdi), %rax
	GUEST_GPRS load
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
	GUEST_GPRS store
	popq GR_RDI(%rdi)
	FILL_RETURN_STACK
	addq $8, %rsp			/* regs */
	xorl %eax, %eax
3:
	POP_HOST_REGS
	ret
