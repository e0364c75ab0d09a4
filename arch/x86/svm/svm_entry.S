/* svm_enter_guest(guest_vmcb_pa, host_vmcb_pa, struct guest_regs *regs)
 * Called with GIF clear. Saves the host's VMSAVE-state (FS, GS, TR, LDTR,
 * syscall MSRs) to the host VMCB, loads the guest's general registers
 * (RAX and RSP live in the VMCB), runs the guest, and on #VMEXIT stores
 * them back and restores the host state. */
#include "arch/x86/regs_offsets.h"
#include "arch/x86/rsb.h"

	.text
	.globl svm_enter_guest
svm_enter_guest:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdx			/* regs */
	pushq %rsi			/* host VMCB */

	movq %rsi, %rax
	vmsave %rax
	movq %rdi, %rax			/* guest VMCB, also restored on exit */

	movq GR_RBX(%rdx), %rbx
	movq GR_RCX(%rdx), %rcx
	movq GR_RSI(%rdx), %rsi
	movq GR_RDI(%rdx), %rdi
	movq GR_RBP(%rdx), %rbp
	movq GR_R8(%rdx), %r8
	movq GR_R9(%rdx), %r9
	movq GR_R10(%rdx), %r10
	movq GR_R11(%rdx), %r11
	movq GR_R12(%rdx), %r12
	movq GR_R13(%rdx), %r13
	movq GR_R14(%rdx), %r14
	movq GR_R15(%rdx), %r15
	movq GR_RDX(%rdx), %rdx

	vmload %rax
	vmrun %rax
	vmsave %rax

	pushq %rdx			/* guest RDX; stack: rdx, host VMCB, regs */
	movq 16(%rsp), %rdx
	movq %rbx, GR_RBX(%rdx)
	movq %rcx, GR_RCX(%rdx)
	movq %rsi, GR_RSI(%rdx)
	movq %rdi, GR_RDI(%rdx)
	movq %rbp, GR_RBP(%rdx)
	movq %r8, GR_R8(%rdx)
	movq %r9, GR_R9(%rdx)
	movq %r10, GR_R10(%rdx)
	movq %r11, GR_R11(%rdx)
	movq %r12, GR_R12(%rdx)
	movq %r13, GR_R13(%rdx)
	movq %r14, GR_R14(%rdx)
	movq %r15, GR_R15(%rdx)
	popq GR_RDX(%rdx)

	popq %rax			/* host VMCB */
	vmload %rax
	FILL_RETURN_STACK %ecx
	addq $8, %rsp			/* regs */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
