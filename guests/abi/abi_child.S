/* The unprivileged child's program: 64-bit, position-independent, copied
 * to child-physical 1 MiB by its VMM. See abi_child.h for the ports. */
#include "guests/abi/abi_child.h"

	.section .rodata.child, "a"
	.code64
	.globl child_code_start, child_code_end, child_info_buf
child_code_start:
	movl $3, %ebx			/* every management call must be -EPERM */
1:	cmpl $4, %ebx			/* 4 is console_write: allowed */
	je 2f
	movl %ebx, %eax
	xorl %edi, %edi
	vmcall
	outl %eax, $CHILD_PORT_EPERM
2:	incl %ebx
	cmpl $14, %ebx
	jb 1b

	xorl %eax, %eax			/* abi_version: allowed */
	vmcall
	outl %eax, $CHILD_PORT_RESULT

	leaq message(%rip), %rax	/* console_write: allowed */
	movq %rax, console_buf(%rip)
	leaq console(%rip), %rdi
	movl $4, %eax
	vmcall
	outl %eax, $CHILD_PORT_RESULT

	leaq child_info_buf(%rip), %rdi	/* info: the child's own figures */
	movl $1, %eax
	vmcall
	outl %eax, $CHILD_PORT_RESULT

	leaq max_vms(%rip), %rdi	/* check_extension(MAX_VMS): not a child's */
	movl $2, %eax
	vmcall
	outl %eax, $CHILD_PORT_RESULT

	inl $CHILD_PORT_IN, %eax	/* the VMM supplies the value */
	outl %eax, $CHILD_PORT_ECHO

	movl $CHILD_UNKNOWN_CALL, %eax	/* forwarded only when enabled */
	movl $CHILD_UNKNOWN_ARG, %edi
	vmcall
	outl %eax, $CHILD_PORT_FWD

	hlt				/* to the VMM */

	movq $CHILD_FAULT_GPA, %rax	/* outside the child's RAM */
	movq (%rax), %rax
	hlt

	.balign 8
console:
	.long 24, 0, message_end - message, 0
console_buf:
	.quad 0
max_vms:
	.long 16, 0, 3, 0
message:
	.ascii CHILD_MESSAGE
message_end:
	.balign 8
child_info_buf:
	.long CHILD_INFO_SIZE		/* argsz */
	.skip CHILD_INFO_SIZE - 4
child_code_end:
