/* Entry of a 32-bit guest: protected mode, paging off, flat segments, as
 * a multiboot loader leaves the machine. EAX = HV_BOOT_MAGIC, EBX = the
 * guest-physical address of struct hv_boot_info. */
	.section .text.start, "ax"
	.code32
	.globl _start
_start:
	cli
	movl $stack_top, %esp
	pushl %ebx
	pushl %eax
	call guest32_main
1:	hlt
	jmp 1b

	.bss
	.balign 16
	.skip 8192
stack_top:
