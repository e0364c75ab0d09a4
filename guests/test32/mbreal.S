/* A multiboot (v1) kernel in conventional memory that runs in real mode:
 * a flat image linked at 0x8000 with the header's address fields (flag
 * 16, no ELF), entered in 32-bit protected mode as multiboot requires,
 * it loads its own GDT, steps down through 16-bit protected mode to real
 * mode, reads its message through segment 0x0800, prints on COM1, calls
 * the BIOS with the real-mode IVT (INT 15h E820h until EBX is 0, INT 12h,
 * INT 11h, INT 15h E801h and 88h, INT 10h AH=0Fh, INT 13h AH=41h) and
 * ends through port 0xf4 with 0. Its lines start "mb: " so tests/run can
 * compare them with plain QEMU's; those where SeaBIOS answers otherwise
 * than hvctl for a reason (the e820 map past its first two entries, the
 * extended memory of a smaller child, the equipment of a PC with floppy,
 * parallel port and mouse) start "mbx: " instead. */
#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x10000 /* the address fields */
#define COM1 0x3f8
#define EXIT_PORT 0xf4
#define SEL_CODE16 0x08
#define SEL_DATA16 0x10
#define RM_SEGMENT 0x0800 /* 0x8000 >> 4 */
#define SMAP 0x534d4150

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
	call bios_calls
	xorl %eax, %eax
	outl %eax, $EXIT_PORT
1:	movl $2, %eax
	outl %eax, $EXIT_PORT
2:	hlt
	jmp 2b

/* The BIOS calls, through the IVT at 0 (the IDTR a real-mode kernel
 * loads); ES:DI is the E820 buffer. */
bios_calls:
	lidtl %ds:(rm_idt - _start)
	movw %ds, %ax
	movw %ax, %es
	xorl %ebx, %ebx
	xorw %bp, %bp
e820_next:
	movl $0xe820, %eax
	movl $20, %ecx
	movl $SMAP, %edx
	movw $(e820_buf - _start), %di
	int $0x15
	jc e820_done
	cmpl $SMAP, %eax
	jne e820_done
	pushl %ebx
	call print_e820
	popl %ebx
	incw %bp
	testl %ebx, %ebx
	jnz e820_next
e820_done:
	movw $(msg_e820_end - _start), %si
	call print
	movw %bp, %ax
	call hex4
	call crlf

	int $0x12
	movw $(msg_int12 - _start), %si
	call print_ax

	int $0x11
	movw $(msg_int11 - _start), %si
	call print_ax

	movl $0xe801, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	int $0x15
	pushw %bx
	pushw %ax
	movw $(msg_e801 - _start), %si
	call print
	popw %ax
	call hex4
	movw $(msg_bx - _start), %si
	call print
	popw %ax
	call hex4
	call crlf

	movb $0x88, %ah
	int $0x15
	movw $(msg_88 - _start), %si
	call print_ax

	movb $0x0f, %ah
	int $0x10
	movw $(msg_int10 - _start), %si
	call print_ax

	movb $0x41, %ah
	movw $0x55aa, %bx
	movb $0x80, %dl
	int $0x13
	sbbw %ax, %ax
	andw $1, %ax
	movw $(msg_int13 - _start), %si
	call print_ax
	ret

/* One E820 entry, number BP: "mb: " for the first two (SeaBIOS's agree),
 * "mbx: " for the others. */
print_e820:
	movw $(msg_mbx - _start), %si
	cmpw $2, %bp
	jae 5f
	movw $(msg_mb - _start), %si
5:	call print
	movw $(msg_e820 - _start), %si
	call print
	movl %ds:(e820_buf + 4 - _start), %eax
	call hex8
	movl %ds:(e820_buf - _start), %eax
	call hex8
	movw $(msg_len - _start), %si
	call print
	movl %ds:(e820_buf + 12 - _start), %eax
	call hex8
	movl %ds:(e820_buf + 8 - _start), %eax
	call hex8
	movw $(msg_type - _start), %si
	call print
	movl %ds:(e820_buf + 16 - _start), %eax
	call hex4
	jmp crlf

/* The string at DS:SI, AX in hex, and the line's end. */
print_ax:
	pushw %ax
	call print
	popw %ax
	call hex4
	jmp crlf

crlf:
	movw $(msg_crlf - _start), %si
	jmp print

/* EAX's eight hex digits, or AX's four. */
hex8:
	movw $8, %cx
	jmp hex
hex4:
	movw $4, %cx
	roll $16, %eax
hex:
	roll $4, %eax
	pushl %eax
	andb $0x0f, %al
	addb $'0', %al
	cmpb $'9', %al
	jbe 6f
	addb $('a' - '9' - 1), %al
6:	call putc
	popl %eax
	loop hex
	ret

/* Prints the string at DS:SI on COM1. */
print:
	lodsb
	testb %al, %al
	jz 4f
	call putc
	jmp print
4:	ret

/* AL on COM1 once the transmitter is empty. */
putc:
	pushw %dx
	pushw %ax
	movw $COM1 + 5, %dx
3:	inb %dx, %al
	testb $0x20, %al
	jz 3b
	popw %ax
	movw $COM1, %dx
	outb %al, %dx
	popw %dx
	ret

msg:
	.asciz "mb: real mode: running at 0x8000, data read through segment 0x0800\r\n"
msg_pe0:
	.asciz "mb: real mode: CR0.PE is 0\r\n"
msg_magic:
	.asciz "mb: real mode: the loader's EAX was 0x2badb002\r\n"
msg_mb:
	.asciz "mb: "
msg_mbx:
	.asciz "mbx: "
msg_e820:
	.asciz "real mode: INT 15h E820h: 0x"
msg_len:
	.asciz " +0x"
msg_type:
	.asciz " type 0x"
msg_e820_end:
	.asciz "mbx: real mode: INT 15h E820h: entries 0x"
msg_int12:
	.asciz "mb: real mode: INT 12h: AX 0x"
msg_int11:
	.asciz "mbx: real mode: INT 11h: AX 0x"
msg_e801:
	.asciz "mbx: real mode: INT 15h E801h: AX 0x"
msg_bx:
	.asciz " BX 0x"
msg_88:
	.asciz "mbx: real mode: INT 15h AH=88h: AX 0x"
msg_int10:
	.asciz "mb: real mode: INT 10h AH=0Fh: AX 0x"
msg_int13:
	.asciz "mb: real mode: INT 13h AH=41h DL=80h: CF 0x"
msg_crlf:
	.asciz "\r\n"

	.balign 4
rm_idt:
	.word 0x3ff
	.long 0
e820_buf:
	.space 20

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
