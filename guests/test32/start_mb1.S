/* A multiboot (v1) kernel's header and entry: the loader (here the
 * management guest) enters in 32-bit protected mode, paging off, with
 * EAX = 0x2BADB002 and EBX = the multiboot information. */
#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x3 /* page-aligned modules, memory information */

	.section .text.start, "ax"
	.code32
	.balign 4
mb1_header:
	.long MB1_MAGIC, MB1_FLAGS, -(MB1_MAGIC + MB1_FLAGS)

	.globl _start
_start:
	cli
	movl $stack_top, %esp
	pushl %ebx
	pushl %eax
	call mb1_main
1:	hlt
	jmp 1b

	.bss
	.balign 16
	.skip 8192
stack_top:
