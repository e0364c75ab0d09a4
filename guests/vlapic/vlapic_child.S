/* One access per request, forever (vlapic.h). The #GP handler, reached
 * through the IDT its VMM gives it, skips the 2-byte RDMSR or WRMSR that
 * faulted and notes it in r15. */
#include "guests/vlapic/vlapic.h"

	.section .rodata.vl_child, "a"
	.code64
	.globl vl_child_start, vl_child_gp, vl_child_end
vl_child_start:
	xorl %r15d, %r15d
	inl $VL_PORT_OP, %eax
	movl %eax, %edi
	inl $VL_PORT_ADDR, %eax
	movl %eax, %esi
	inl $VL_PORT_LO, %eax
	movl %eax, %ebx
	inl $VL_PORT_HI, %eax
	movl %eax, %edx
	movl %esi, %ecx
	cmpl $VL_OP_READ, %edi
	je 1f
	cmpl $VL_OP_WRITE, %edi
	je 2f
	cmpl $VL_OP_RDMSR, %edi
	je 3f
	cmpl $VL_OP_WRMSR, %edi
	je 4f
	movl %esi, %eax
	xorl %ecx, %ecx
	cpuid
	cmpl $VL_OP_CPUID, %edi
	je 5f
	movl %ebx, %edx
	jmp 5f
1:	movl (%rsi), %eax
	xorl %edx, %edx
	jmp 5f
2:	movl %ebx, (%rsi)
	xorl %eax, %eax
	xorl %edx, %edx
	jmp 5f
3:	rdmsr
	jmp 5f
4:	movl %ebx, %eax
	wrmsr
	xorl %eax, %eax
	xorl %edx, %edx
	jmp 5f
5:	cmpl $VL_OP_CPUID, %edi
	jne 6f
	movl %ecx, %eax
6:	outl %eax, $VL_PORT_OUT
	movl %edx, %eax
	outl %eax, $VL_PORT_OUT
	movl %r15d, %eax
	outl %eax, $VL_PORT_OUT
	jmp vl_child_start
vl_child_gp:
	addq $8, %rsp
	addq $2, (%rsp)
	movl $1, %r15d
	iretq
vl_child_end:
