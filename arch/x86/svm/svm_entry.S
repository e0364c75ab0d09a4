/* svm_enter_guest(guest_vmcb_pa, host_vmcb_pa, struct guest_regs *regs)
 * Called with GIF clear. Loads the guest's general registers (RAX and
 * RSP live in the VMCB), runs the guest, and on #VMEXIT stores them back
 * and restores the host's VMSAVE-state (FS, GS, TR, LDTR, syscall MSRs),
 * which svm_cpu_enable saved to the host VMCB once. */
#include "arch/x86/guest_gprs.h"
#include "arch/x86/rsb.h"

	.text
	.globl svm_enter_guest
svm_enter_guest:
	PUSH_HOST_REGS
	pushq %rdx			/* regs */
	pushq %rsi			/* host VMCB */

	movq %rdi, %rax			/* guest VMCB, also restored on exit */
	movq %rdx, %rdi
	GUEST_GPRS load
	movq GR_RDI(%rdi), %rdi

	vmload %rax
	vmrun %rax
	vmsave %rax

	pushq %rdi			/* guest RDI; stack: rdi, host VMCB, regs */
	movq 16(%rsp), %rdi
	GUEST_GPRS store
	popq GR_RDI(%rdi)

	popq %rax			/* host VMCB */
	vmload %rax
	FILL_RETURN_STACK
	addq $8, %rsp			/* regs */
	POP_HOST_REGS
	ret
