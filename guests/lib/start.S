/* Guest entry, in 64-bit long mode as the hypervisor's loader leaves it:
 * RDI = guest-physical address of struct hv_boot_info, which goes into
 * boot_info and on to guest_entry(info) once the IDT is installed; RSI =
 * the VM's id, which goes into boot_vm_id (hvctl passes a child's id,
 * the hypervisor's loader leaves RSI zero: VM 0). */
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	leaq guest_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	movq %rdi, boot_info(%rip)
	movl %esi, boot_vm_id(%rip)
	call traps_init
	movq boot_info(%rip), %rdi
	call guest_entry
1:	cli
	hlt
	jmp 1b

	.bss
	.balign 8
	.globl boot_info
boot_info:
	.skip 8
	.globl boot_vm_id
boot_vm_id:
	.skip 4

	.balign 16
	.skip 16384
guest_stack_top:
