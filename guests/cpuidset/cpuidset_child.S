/* CPUID (or RDTSC) on request, forever (cpuidset.h). */
#include "guests/cpuidset/cpuidset.h"

	.section .rodata.cs_child, "a"
	.code64
	.globl cs_child_start, cs_child_end
cs_child_start:
	inl $CS_PORT_LEAF, %eax
	movl %eax, %esi
	inl $CS_PORT_SUB, %eax
	movl %eax, %ecx
	movl %esi, %eax
	cmpl $CS_RDTSC, %eax
	je 1f
	cpuid
	jmp 2f
1:	rdtsc
	movl %edx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
2:	outl %eax, $CS_PORT_OUT
	movl %ebx, %eax
	outl %eax, $CS_PORT_OUT
	movl %ecx, %eax
	outl %eax, $CS_PORT_OUT
	movl %edx, %eax
	outl %eax, $CS_PORT_OUT
	jmp cs_child_start
cs_child_end:
