/* Exception and interrupt entry: 256 stubs of 16 bytes each (so the IDT
 * set-up computes a stub's address from its vector), one common path that
 * saves the general registers as a struct trap_frame and calls
 * trap_handler(), which may rewrite the frame (exception fixups). */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
			   (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.section .text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if !HAS_ERROR_CODE(vec)
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr
	.balign 16
	.globl trap_stubs_end
trap_stubs_end:

/* The pushes build struct trap_frame (arch/x86/trap.h) from its end. */
trap_common:
	.irp reg, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	pushq %\reg
	.endr
	cld
	movq %rsp, %rdi
	call trap_handler
	.irp reg, r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax
	popq %\reg
	.endr
	addq $16, %rsp		/* vector and error code */
	iretq
