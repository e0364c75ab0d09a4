/* Where a secondary CPU starts after INIT-SIPI-SIPI. arch/x86/smp.c
 * copies the ap_trampoline_size bytes at ap_trampoline to a page below
 * 1 MiB, whose number is the SIPI's vector: the CPU runs it in real mode
 * with CS at that page and IP 0, so the 16-bit code addresses itself
 * relative to CS. It loads the boot GDT (boot/boot_tables.S, which has a
 * 32-bit code segment for this), enters protected mode, takes the
 * multiboot2 entry's way into long mode on the boot identity map
 * (ENABLE_LONG_MODE_32, boot/boot_entry.h) and jumps to ap_long_mode in
 * the image. That claims the start (arch/x86/smp.h), loads the
 * hypervisor's page tables and the stack smp.c prepared and calls
 * ap_main(struct percpu *) (smp_ap.c). The ap_start_* words are written
 * by the boot CPU before each start, one CPU at a time. */
#include "arch/x86/smp.h"
#include "boot/boot_entry.h"

#define TR(sym) ((sym) - ap_trampoline)

	.section .rodata
/* Copied, never run in place. */
	.balign 16
	.globl ap_trampoline, ap_trampoline_size
	.code16
ap_trampoline:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movzwl %ax, %esi
	shll $4, %esi			/* the page's physical address */
	leal TR(ap_protected)(%esi), %eax
	movl %eax, TR(ap_far32)
	lgdtl TR(ap_gdt_ptr)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *TR(ap_far32)

	.code32
ap_protected:
	movw $GDT_SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	ENABLE_LONG_MODE_32
	ljmp $GDT_SEL_CODE, $ap_long_mode

	.balign 4
ap_far32:			/* the linear address of ap_protected, filled in */
	.long 0
	.word BOOT_SEL_CODE32
ap_gdt_ptr:
	.word BOOT_GDT_ENTRIES * 8 - 1
	.long boot_gdt
ap_trampoline_end:

	.balign 4
ap_trampoline_size:
	.long ap_trampoline_end - ap_trampoline

	.section .data
	.balign 8
	.globl ap_start_cr3, ap_start_stack, ap_start_percpu
ap_start_cr3:
	.quad 0
ap_start_stack:
	.quad 0
ap_start_percpu:
	.quad 0

	.section .text
	.code64
ap_long_mode:
	LOAD_BOOT_DATA_SEGMENTS
	movl $AP_OFF, %eax
	movl $AP_CHECKED_IN, %ecx
	lock cmpxchgl %ecx, ap_state(%rip)
	jne 1f				/* not this CPU's start: stay out */
	movq ap_start_cr3(%rip), %rax
	movq %rax, %cr3
	movq ap_start_stack(%rip), %rsp
	movq ap_start_percpu(%rip), %rdi
	xorl %ebp, %ebp
	call ap_main
1:	cli
	hlt
	jmp 1b
