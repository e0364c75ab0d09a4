/* Saving and loading struct leak_state (leak.h), and the child's
 * program. Everything between leak_child_start and leak_child_end is
 * position-independent: VM 0 calls the two routines where they are, its
 * VMM copies the whole block into the child, which calls them there. */
#include "guests/leak/leak.h"

#define OFF_YMM 256
#define OFF_MXCSR 768
#define OFF_DR 776
#define OFF_DR6 808
#define OFF_DR7 816
#define OFF_MSR 824
#define OFF_CR8 888
#define OFF_XCR0 896
#define OFF_SYSCALL_OK 904

	.text
	.code64
	.globl leak_child_start, leak_child_end, leak_state_save, leak_state_load
leak_child_start:
	/* RDI: LEAK_AREA (three struct leak_state), ESI: LEAK_USE_* flags */
	movq %rdi, %rbx
	movl %esi, %r12d
	movq %cr4, %rax
	orq $0x600, %rax		/* OSFXSR, OSXMMEXCPT */
	testl $LEAK_USE_XSAVE, %r12d
	jz 1f
	orq $0x40000, %rax		/* OSXSAVE */
1:	movq %rax, %cr4

	movq %rbx, %rdi			/* what the child finds at first */
	movl %r12d, %esi
	andl $LEAK_USE_XSAVE, %esi	/* XCR0 is x87 only: no YMM yet */
	call leak_state_save

	movl $0xc0000082, %ecx		/* SYSCALL goes to this VM's LSTAR */
	leaq 3f(%rip), %rax
	movq %rax, %rdx
	shrq $32, %rdx
	wrmsr
	movl $0xc0000081, %ecx
	xorl %eax, %eax
	movl $0x00100008, %edx		/* STAR: kernel CS 0x08 */
	wrmsr
	movl $0xc0000084, %ecx
	xorl %eax, %eax
	xorl %edx, %edx
	wrmsr
	syscall
	jmp 4f
3:	movq $1, OFF_SYSCALL_OK(%rbx)
	jmp *%rcx
4:
	leaq LEAK_STATE_SIZE(%rbx), %rdi /* the child's own values */
	movl %r12d, %esi
	andl $LEAK_USE_XSAVE, %esi
	call leak_state_load
	outb %al, $LEAK_PORT_DONE

	testl $LEAK_USE_AVX, %r12d	/* now with AVX on: its state is new */
	jz 5f
	xorl %ecx, %ecx
	movl $7, %eax
	xorl %edx, %edx
	xsetbv
5:	leaq 2 * LEAK_STATE_SIZE(%rbx), %rdi
	movl %r12d, %esi
	call leak_state_save
	outb %al, $LEAK_PORT_DONE2
6:	hlt
	jmp 6b

/* void leak_state_save(struct leak_state *s, u32 flags) */
leak_state_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu %xmm\n, 16 * \n(%rdi)
	.endr
	testl $LEAK_USE_AVX, %esi
	jz 1f
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqa %ymm\n, OFF_YMM + 32 * \n(%rdi)
	.endr
1:	stmxcsr OFF_MXCSR(%rdi)
	.irp n, 0,1,2,3
	movq %dr\n, %rax
	movq %rax, OFF_DR + 8 * \n(%rdi)
	.endr
	movq %dr6, %rax
	movq %rax, OFF_DR6(%rdi)
	movq %dr7, %rax
	movq %rax, OFF_DR7(%rdi)
	leaq msr_list(%rip), %r8
	xorl %r9d, %r9d
2:	movl (%r8, %r9, 4), %ecx
	rdmsr
	movl %eax, OFF_MSR(%rdi, %r9, 8)
	movl %edx, OFF_MSR + 4(%rdi, %r9, 8)
	incl %r9d
	cmpl $LEAK_MSR_COUNT, %r9d
	jb 2b
	movq %cr8, %rax
	movq %rax, OFF_CR8(%rdi)
	testl $LEAK_USE_XSAVE, %esi
	jz 3f
	xorl %ecx, %ecx
	xgetbv
	movl %eax, OFF_XCR0(%rdi)
	movl %edx, OFF_XCR0 + 4(%rdi)
3:	ret

/* void leak_state_load(const struct leak_state *s, u32 flags) */
leak_state_load:
	movq OFF_DR7(%rdi), %rax
	movq %rax, %dr7
	.irp n, 0,1,2,3
	movq OFF_DR + 8 * \n(%rdi), %rax
	movq %rax, %dr\n
	.endr
	movq OFF_DR6(%rdi), %rax
	movq %rax, %dr6
	leaq msr_list(%rip), %r8
	xorl %r9d, %r9d
1:	movl (%r8, %r9, 4), %ecx
	movl OFF_MSR(%rdi, %r9, 8), %eax
	movl OFF_MSR + 4(%rdi, %r9, 8), %edx
	wrmsr
	incl %r9d
	cmpl $LEAK_MSR_COUNT, %r9d
	jb 1b
	movq OFF_CR8(%rdi), %rax
	movq %rax, %cr8
	ldmxcsr OFF_MXCSR(%rdi)
	testl $LEAK_USE_XSAVE, %esi
	jz 2f
	xorl %ecx, %ecx
	movl OFF_XCR0(%rdi), %eax
	movl OFF_XCR0 + 4(%rdi), %edx
	xsetbv
2:	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu 16 * \n(%rdi), %xmm\n
	.endr
	testl $LEAK_USE_AVX, %esi
	jz 3f
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqa OFF_YMM + 32 * \n(%rdi), %ymm\n
	.endr
3:	ret

	.balign 4
msr_list:
	.long 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000102
	.long 0x174, 0x175, 0x176
leak_child_end:
