/* What both boot entries (multiboot2.S in 32-bit code, efi_entry.S in
 * 64-bit code) do the same way: the GDT and the identity map they run on
 * are in boot_tables.S, the steps below are assembler macros written to
 * assemble in either mode. */
#ifndef BOOT_BOOT_ENTRY_H
#define BOOT_BOOT_ENTRY_H

#ifdef __ASSEMBLY__
#include "asm_offsets.h"

/* The boot GDT's (boot_tables.S) 32-bit code segment, after GDT_SEL_CODE
 * and GDT_SEL_DATA: BOOT_GDT_ENTRIES descriptors in all. */
#define BOOT_SEL_CODE32 0x18
#define BOOT_GDT_CODE32 0x00cf9a000000ffff
#define BOOT_GDT_ENTRIES 4

/* EFER.NXE where the CPU has NX (CPUID 0x80000001 EDX bit 20): the
 * hypervisor's page tables use it. Clobbers EAX, EBX, ECX and EDX. */
.macro ENABLE_NX_IF_PRESENT
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb .Lno_nx\@
	movl $0x80000001, %eax
	cpuid
	btl $20, %edx
	jnc .Lno_nx\@
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_NXE, %eax
	wrmsr
.Lno_nx\@:
.endm

/* In 32-bit code with paging off: PAE, the boot identity map
 * (boot_tables.S), NX, long mode, then CR0.PG with CR0.NE and WP as the
 * hypervisor runs. Also how the secondary CPUs get there
 * (arch/x86/ap_trampoline.S). Clobbers EAX, EBX, ECX and EDX. */
.macro ENABLE_LONG_MODE_32
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3

	ENABLE_NX_IF_PRESENT
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr

	movl %cr0, %eax
	orl $(CR0_PE | CR0_NE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0
.endm

/* Right after the far jump to the boot GDT's 64-bit code segment: its
 * data segment, FS and GS null. */
.macro LOAD_BOOT_DATA_SEGMENTS
	movw $GDT_SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
.endm
#endif

#endif
