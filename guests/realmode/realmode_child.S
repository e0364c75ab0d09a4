/* A real-mode program: RDMSR of an MSR every guest is refused raises #GP,
 * which in real mode pushes FLAGS, CS and IP and no error code. The
 * handler reports its SP (so the frame's size) and the pushed IP. */
#include "guests/realmode/realmode.h"

#define GP_VECTOR 13

	.section .rodata.rm_child, "a"
	.code16
	.globl rm_child_start, rm_child_end, rm_child_rdmsr
rm_child_start:
	xorw %ax, %ax
	movw %ax, %ds
	movw %ax, %ss
	movw $RM_STACK, %sp
	movw $(gp_handler - rm_child_start + RM_CODE), GP_VECTOR * 4
	movw $0, GP_VECTOR * 4 + 2
	movl $0xc0010117, %ecx		/* VM_HSAVE_PA */
rm_child_rdmsr:
	rdmsr
	outw %ax, $RM_PORT_FAIL
1:	hlt
	jmp 1b
gp_handler:
	movw %sp, %ax
	outw %ax, $RM_PORT_SP
	popw %ax
	outw %ax, $RM_PORT_IP
2:	hlt
	jmp 2b
rm_child_end:
	.code64
