/* Multiboot2 entry: the header GRUB looks for, and the 32-bit trampoline
 * into 64-bit long mode. The loader leaves us in 32-bit protected mode with
 * paging off, EAX = magic, EBX = physical address of the boot information.
 * We clear .bss, switch to the temporary identity map of boot_tables.S,
 * enable long mode (and NX where the CPU has it) and call mb2_main() in C,
 * which validates the magic and builds the hypervisor's own page tables. */
#include "boot/boot_entry.h"

#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_ARCH_I386		0
#define MB2_TAG_END		0
#define MB2_TAG_MODULE_ALIGN	6

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
	call enable_long_mode
	lgdt boot_gdt_ptr
	ljmp $GDT_SEL_CODE, $long_mode_entry

/* Returns, or stops when the CPU has no long mode. */
require_long_mode:
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	ret

enable_long_mode:
	ENABLE_LONG_MODE_32
	ret

/* A CPU that cannot run 64-bit code: say so on COM1 and on the 0xE9
 * verdict channel (hv/verdict.h), and stop. */
no_long_mode:
	movl $no_long_mode_msg, %esi
	call serial_puts32
	movl $no_long_mode_verdict, %esi
	movw $DEBUGCON_PORT, %dx
	call port_puts32
	movw $QEMU_DEBUG_EXIT_PORT, %dx
	movl $VERDICT_CODE_UNSUPPORTED, %eax
	outl %eax, %dx
	movl $bochs_shutdown_msg, %esi
	movw $BOCHS_SHUTDOWN_PORT, %dx
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
	movw $(COM1_PORT + UART_REG_LCR), %dx
	movb $UART_LCR_8N1, %al
	outb %al, %dx
1:	lodsb
	testb %al, %al
	jz 3f
	movb %al, %ah
	movw $(COM1_PORT + UART_REG_LSR), %dx
2:	inb %dx, %al
	testb $UART_LSR_THR_EMPTY, %al
	jz 2b
	movw $COM1_PORT, %dx
	movb %ah, %al
	outb %al, %dx
	jmp 1b
3:	ret

	.code64
long_mode_entry:
	LOAD_BOOT_DATA_SEGMENTS
	movq $bsp_stack_top, %rsp
	xorl %ebp, %ebp
	movl mb2_saved_magic, %edi
	movl mb2_saved_info, %esi
	call mb2_main
5:	cli
	hlt
	jmp 5b

	.section .rodata
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

	.section .bss
	.balign 16
	.skip 1024
boot_stack_top:
