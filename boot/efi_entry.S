/* The 64-bit entry hv.efi (boot/efi/loader.c) jumps to after
 * ExitBootServices; boot/efi/handoff.h has the contract:
 *   RDI = EFI_HANDOFF_BOOT_MAGIC, RSI = struct boot_info (loader memory),
 *   RDX = its size; long mode on the firmware's identity map.
 * Everything the firmware set up lives in boot-services memory, which the
 * memory map now calls usable RAM: its GDT, IDT, stack and page tables
 * could be handed out by the frame allocator while still in use. So,
 * before any C code: our own GDT and segments, a null IDT (an early
 * exception triple-faults instead of running firmware code), the
 * hypervisor's boot stack, EFER.NXE where the CPU has NX (the
 * hypervisor's page tables use it), CR0.NE/WP as on the multiboot2 path,
 * and the identity map of boot_tables.S the multiboot2 path runs on. Then
 * efi_hv_main(magic, info, size) in C, which copies the boot_info first. */
#include "boot/boot_entry.h"

	.section .text
	.code64
	.globl efi_entry64
efi_entry64:
	cli
	cld
	movq %rdi, %r12			/* callee-saved across the set-up */
	movq %rsi, %r13
	movq %rdx, %r14

	lgdt boot_gdt_ptr(%rip)
	lidt efi_null_idt_ptr(%rip)
	movq $bsp_stack_top, %rsp
	pushq $GDT_SEL_CODE
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	LOAD_BOOT_DATA_SEGMENTS
	ENABLE_NX_IF_PRESENT
	movq %cr0, %rax
	orq $(CR0_NE | CR0_WP), %rax
	movq %rax, %cr0
	leaq boot_pml4(%rip), %rax
	movq %rax, %cr3			/* PCID 0, flushes everything */

	/* Features the firmware may have turned on that the hypervisor does
	 * not manage (the multiboot2 path never has them). */
	movq %cr4, %rax
	andq $~(CR4_PCIDE | CR4_SMEP | CR4_SMAP | CR4_PKE | CR4_CET), %rax
	movq %rax, %cr4

	xorl %ebp, %ebp
	movq %r12, %rdi
	movq %r13, %rsi
	movq %r14, %rdx
	call efi_hv_main
5:	cli
	hlt
	jmp 5b

	.section .rodata
	.balign 8
efi_null_idt_ptr:
	.short 0
	.quad 0
