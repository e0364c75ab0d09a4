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
 * and 4 GiB identity-mapped with 2 MiB pages from tables in .bss, as
 * boot/multiboot2.S does. Then efi_hv_main(magic, info, size) in C,
 * which copies the boot_info first. */

#define CR0_NE		(1 << 5)
#define CR0_WP		(1 << 16)
#define CR4_PCIDE	(1 << 17)
#define CR4_SMEP	(1 << 20)
#define CR4_SMAP	(1 << 21)
#define CR4_PKE		(1 << 22)
#define CR4_CET		(1 << 23)
#define MSR_EFER	0xc0000080
#define EFER_NXE	(1 << 11)
#define PTE_P_RW	0x03
#define PDE_2M_P_RW	0x83

	.section .text
	.code64
	.globl efi_entry64
efi_entry64:
	cli
	cld
	movq %rdi, %r12			/* callee-saved across the set-up */
	movq %rsi, %r13
	movq %rdx, %r14

	lgdt efi_gdt_ptr(%rip)
	lidt efi_null_idt_ptr(%rip)
	movq $bsp_stack_top, %rsp
	pushq $0x08
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs

	/* NX, if the CPU has it (CPUID 0x80000001 EDX bit 20). */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb 2f
	movl $0x80000001, %eax
	cpuid
	btl $20, %edx
	jnc 2f
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_NXE, %eax
	wrmsr
2:
	movq %cr0, %rax
	orq $(CR0_NE | CR0_WP), %rax
	movq %rax, %cr0

	/* PML4[0] -> PDPT; PDPT[0..3] -> four directories of 2 MiB pages.
	 * .bss came zeroed from the loader (memsz beyond filesz). */
	leaq efi_boot_pdpt(%rip), %rax
	orq $PTE_P_RW, %rax
	movq %rax, efi_boot_pml4(%rip)
	leaq efi_boot_pdpt(%rip), %rdi
	leaq efi_boot_pd(%rip), %rax
	orq $PTE_P_RW, %rax
	xorl %ecx, %ecx
3:	movq %rax, (%rdi, %rcx, 8)
	addq $4096, %rax
	incl %ecx
	cmpl $4, %ecx
	jb 3b
	leaq efi_boot_pd(%rip), %rdi
	movq $PDE_2M_P_RW, %rax
	xorl %ecx, %ecx
4:	movq %rax, (%rdi, %rcx, 8)
	addq $0x200000, %rax
	incl %ecx
	cmpl $2048, %ecx
	jb 4b
	leaq efi_boot_pml4(%rip), %rax
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
efi_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
efi_gdt_end:
	.balign 8
	.short 0, 0, 0
efi_gdt_ptr:
	.short efi_gdt_end - efi_gdt - 1
	.quad efi_gdt
	.balign 8
	.short 0, 0, 0
efi_null_idt_ptr:
	.short 0
	.quad 0

	.section .bss
	.balign 4096
efi_boot_pml4: .skip 4096
efi_boot_pdpt: .skip 4096
efi_boot_pd: .skip 4 * 4096
