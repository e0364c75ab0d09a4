/* run_user(): the switch to ring 3 and back. The way down is an IRETQ to
 * a ring-3 trampoline that calls the function; the way back is the
 * trampoline's INT $USER_RETURN_VECTOR, which lands on the TSS's RSP0
 * stack at user_return_entry. That frame is dropped: the kernel stack of
 * run_user's caller, saved in user_saved_rsp, is where execution goes on. */
#include "guests/lib/user.h"

#define RFLAGS_RESERVED 0x2 /* bit 1; IF stays clear */

	.text
	.globl run_user
run_user: /* u64 run_user(u64 (*fn)(u64) in rdi, u64 arg in rsi) */
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, user_saved_rsp(%rip)
	movq %rdi, %r12			/* fn, for the trampoline */
	movq %rsi, %rdi			/* its argument */
	pushq $USER_DS			/* SS */
	pushq user_stack_top(%rip)	/* RSP */
	pushq $RFLAGS_RESERVED		/* RFLAGS */
	pushq $USER_CS			/* CS */
	leaq user_trampoline(%rip), %rax
	pushq %rax			/* RIP */
	iretq

user_trampoline: /* CPL 3 */
	call *%r12
	int $USER_RETURN_VECTOR
	ud2

	.globl user_return_entry
user_return_entry: /* CPL 0 on the RSP0 stack: RIP, CS, RFLAGS, RSP, SS */
	testb $3, 8(%rsp)
	jz 1f
	movl $KERNEL_DS, %ecx
	movl %ecx, %ss			/* an inter-privilege interrupt left SS null */
	movl %ecx, %ds
	movl %ecx, %es
	movq user_saved_rsp(%rip), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret				/* RAX holds fn's result */
1:	subq $8, %rsp			/* the ABI's stack alignment */
	call user_return_from_cpl0

	.bss
	.balign 8
user_saved_rsp:
	.quad 0
