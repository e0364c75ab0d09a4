/* A multiboot (v1) kernel in conventional memory that runs in real mode:
 * a flat image linked at 0x8000 with the header's address fields (flag
 * 16, no ELF), entered in 32-bit protected mode as multiboot requires,
 * it loads its own GDT, steps down through 16-bit protected mode to real
 * mode, reads its message through segment 0x0800, prints on COM1 and
 * ends through port 0xf4 with 0. Its lines start "mb: " so tests/run can
 * compare them with plain QEMU's. */
#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x10000 /* the address fields */
#define COM1 0x3f8
#define EXIT_PORT 0xf4
#define SEL_CODE16 0x08
#define SEL_DATA16 0x10
#define RM_SEGMENT 0x0800 /* 0x8000 >> 4 */

	.text
	.code32
	.globl _start
_start:
	jmp entry

	.balign 4
mb1_header:
	.long MB1_MAGIC, MB1_FLAGS, -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header, _start, load_end, bss_end, entry

entry:
	cli
	movl %eax, magic
	lgdt gdt_desc
	ljmp $SEL_CODE16, $pm16

	.code16
pm16:
	movw $SEL_DATA16, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr0, %eax
	andl $~1, %eax
	movl %eax, %cr0
	ljmp $0, $real

real:
	xorw %ax, %ax
	movw %ax, %ss
	movw $0x7c00, %sp
	movw $RM_SEGMENT, %ax
	movw %ax, %ds
	movw $(msg - _start), %si
	call print
	smsw %ax
	testw $1, %ax
	jnz 1f
	movw $(msg_pe0 - _start), %si
	call print
	movl %ds:(magic - _start), %eax
	cmpl $0x2badb002, %eax
	jne 1f
	movw $(msg_magic - _start), %si
	call print
	xorl %eax, %eax
	outl %eax, $EXIT_PORT
1:	movl $2, %eax
	outl %eax, $EXIT_PORT
2:	hlt
	jmp 2b

/* Prints the string at DS:SI on COM1 once the transmitter is empty. */
print:
	movw $COM1 + 5, %dx
3:	inb %dx, %al
	testb $0x20, %al
	jz 3b
	lodsb
	testb %al, %al
	jz 4f
	movw $COM1, %dx
	outb %al, %dx
	jmp print
4:	ret

msg:
	.asciz "mb: real mode: running at 0x8000, data read through segment 0x0800\r\n"
msg_pe0:
	.asciz "mb: real mode: CR0.PE is 0\r\n"
msg_magic:
	.asciz "mb: real mode: the loader's EAX was 0x2badb002\r\n"

	.balign 8
gdt:
	.quad 0
	.quad 0x00009b000000ffff /* 0x08: 16-bit code, base 0, limit 64 KiB */
	.quad 0x000093000000ffff /* 0x10: 16-bit data */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt
load_end:
magic:
	.long 0
bss_end:
