/* Multiboot2 entry: the header GRUB looks for, and the 32-bit trampoline
 * into 64-bit long mode. The loader leaves us in 32-bit protected mode with
 * paging off, EAX = magic, EBX = physical address of the boot information.
 * We clear .bss, identity-map the first 4 GiB with temporary 2 MiB pages,
 * enable long mode (and NX where the CPU has it) and call mb2_main() in C,
 * which validates the magic and builds the hypervisor's own page tables. */

#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_ARCH_I386		0
#define MB2_TAG_END		0
#define MB2_TAG_MODULE_ALIGN	6

#define CR0_PE		(1 << 0)
#define CR0_NE		(1 << 5)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)
#define PTE_P_RW	0x03
#define PDE_2M_P_RW	0x83

#define COM1		0x3f8

/* A multiboot (v1) header as well, with load addresses so that QEMU's
 * -kernel and GRUB's `multiboot` can load the image: the C entry then
 * sees the v1 magic and refuses with a message that says to use
 * multiboot2, instead of the loader failing silently. */
#define MB1_HEADER_MAGIC	0x1badb002
#define MB1_FLAG_ADDRESSES	(1 << 16)

	.section .multiboot2, "a"
	.balign 8
mb1_header:
	.long MB1_HEADER_MAGIC
	.long MB1_FLAG_ADDRESSES
	.long -(MB1_HEADER_MAGIC + MB1_FLAG_ADDRESSES)
	.long mb1_header	/* header_addr */
	.long _image_start	/* load_addr */
	.long _data_load_end	/* load_end_addr */
	.long _bss_end		/* bss_end_addr */
	.long mb2_entry		/* entry_addr */

	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* ask for page-aligned modules: guests get loaded from them later */
	.balign 8
	.short MB2_TAG_MODULE_ALIGN, 0
	.long 8
	.balign 8
	.short MB2_TAG_END, 0
	.long 8
mb2_header_end:

	.section .text.boot32, "ax"
	.code32
	.globl mb2_entry
mb2_entry:
	cli
	cld
	movl %eax, mb2_saved_magic
	movl %ebx, mb2_saved_info
	movl $boot_stack_top, %esp

	call require_long_mode
	/* inline, not called: the stack itself lives in .bss */
	movl $_bss_start, %edi
	movl $_bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb
	call build_boot_page_tables
	call enable_long_mode
	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_entry

/* Returns with EDX = CPUID 0x80000001 EDX, or never returns. */
require_long_mode:
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	movl %edx, cpuid_ext1_edx
	ret

/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages. */
build_boot_page_tables:
	movl $boot_pdpt, %eax
	orl $PTE_P_RW, %eax
	movl %eax, boot_pml4

	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	addl $boot_pd, %eax
	orl $PTE_P_RW, %eax
	movl %eax, boot_pdpt(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jb 1b

	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $PDE_2M_P_RW, %eax
	movl %eax, boot_pd(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jb 2b
	ret

enable_long_mode:
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3

	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	btl $20, cpuid_ext1_edx		/* NX supported? */
	jnc 1f
	orl $EFER_NXE, %eax
1:	wrmsr

	movl %cr0, %eax
	orl $(CR0_PE | CR0_NE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0
	ret

/* A CPU that cannot run 64-bit code: say so on COM1 and on the 0xE9
 * verdict channel (hv/verdict.h), and stop. */
no_long_mode:
	movl $no_long_mode_msg, %esi
	call serial_puts32
	movl $no_long_mode_verdict, %esi
	movw $0xe9, %dx
	call port_puts32
	movw $0xf4, %dx
	movl $0x12, %eax
	outl %eax, %dx
	movl $bochs_shutdown_msg, %esi
	movw $0x8900, %dx
	call port_puts32
4:	hlt
	jmp 4b

/* ESI = NUL-terminated string, DX = port: writes each byte to the port. */
port_puts32:
1:	lodsb
	testb %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:	ret

/* ESI = NUL-terminated string; polls the UART, no interrupts. */
serial_puts32:
	movw $(COM1 + 3), %dx
	movb $0x03, %al
	outb %al, %dx
1:	lodsb
	testb %al, %al
	jz 3f
	movb %al, %ah
	movw $(COM1 + 5), %dx
2:	inb %dx, %al
	testb $0x20, %al
	jz 2b
	movw $COM1, %dx
	movb %ah, %al
	outb %al, %dx
	jmp 1b
3:	ret

	.code64
long_mode_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $bsp_stack_top, %rsp
	xorl %ebp, %ebp
	movl mb2_saved_magic, %edi
	movl mb2_saved_info, %esi
	call mb2_main
5:	cli
	hlt
	jmp 5b

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt

no_long_mode_msg:
	.asciz "\r\nhv: this CPU has no 64-bit long mode\r\nHV-RESULT: UNSUPPORTED no 64-bit long mode\r\n"
no_long_mode_verdict:
	.asciz "\nHV-VERDICT: UNSUPPORTED no 64-bit long mode\n"
bochs_shutdown_msg:
	.asciz "Shutdown"

	.section .data
	.balign 4
mb2_saved_magic: .long 0
mb2_saved_info: .long 0
cpuid_ext1_edx: .long 0

	.section .bss
	.balign 4096
boot_pml4: .skip 4096
boot_pdpt: .skip 4096
boot_pd: .skip 4 * 4096
	.balign 16
	.skip 1024
boot_stack_top:
	.globl bsp_stack_bottom, bsp_stack_top
	.balign 4096
bsp_stack_bottom:
	.skip 32768
bsp_stack_top:
