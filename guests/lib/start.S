/* Guest entry, in 64-bit long mode as the hypervisor's loader leaves it:
 * RDI = guest-physical address of struct hv_boot_info. */
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	leaq guest_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	call guest_entry
1:	cli
	hlt
	jmp 1b

	.bss
	.balign 16
	.skip 16384
guest_stack_top:
