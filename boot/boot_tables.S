/* What both boot entries (multiboot2.S, efi_entry.S) run on until the
 * hypervisor has built its own: a GDT with a 64-bit code and a data
 * segment (and the 32-bit code segment the secondary CPUs pass through,
 * arch/x86/ap_trampoline.S), the first 4 GiB identity-mapped with 2 MiB pages (the entries
 * filled in by the assembler), and the boot CPU's stack. */
#include "boot/boot_entry.h"

#define BOOT_PDS 4 /* page directories, one per GiB */

	.section .rodata
	.balign 8
	.globl boot_gdt
boot_gdt:
	.quad 0
	.quad GDT_CODE64		/* GDT_SEL_CODE */
	.quad GDT_DATA			/* GDT_SEL_DATA */
	.quad BOOT_GDT_CODE32		/* BOOT_SEL_CODE32 */
boot_gdt_end:
/* lgdt takes a 32-bit base in 32-bit code, all 64 bits in long mode. */
	.globl boot_gdt_ptr
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

/* In .data: the entries are contents of the image, loaded with it. */
	.section .data
	.balign PAGE_SIZE
	.globl boot_pml4
boot_pml4:
	.quad boot_pdpt + PTE_P + PTE_RW
	.balign PAGE_SIZE
boot_pdpt:
	.set pd, 0
	.rept BOOT_PDS
	.quad boot_pd + pd * PAGE_SIZE + PTE_P + PTE_RW
	.set pd, pd + 1
	.endr
	.balign PAGE_SIZE
boot_pd:
	.set page, 0
	.rept BOOT_PDS * PAGE_SIZE / 8
	.quad page * LARGE_PAGE_SIZE + PTE_P + PTE_RW + PTE_PS
	.set page, page + 1
	.endr

/* The boot CPU's stack from either entry on (arch/x86/percpu.c records
 * its bounds for the backtracer). */
	.section .bss
	.globl bsp_stack_bottom, bsp_stack_top
	.balign PAGE_SIZE
bsp_stack_bottom:
	.skip 32768
bsp_stack_top:
