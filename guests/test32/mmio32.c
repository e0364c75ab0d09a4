/* The MMIO device of hvctl (`vm create ... mmio`) seen from 32-bit
 * protected mode with paging off, as a multiboot (v1) kernel: the
 * decoder's 32-bit defaults (no REX, 0x66 for 16-bit operands, 32-bit
 * ESI/EDI for the string forms) and MOVS's RAM side without paging. The
 * 64-bit forms are guests/child/mmio.c's. Exits 0 through port 0xf4 when
 * every check passed, else 2. */
#include "guests/test32/io32.h"

#define DEV 0xd0000000u
#define EXIT_PORT 0xf4
#define CF 0x01u
#define ZF 0x40u

#define R8(off) (*(volatile uint8_t *)(DEV + (off)))
#define R16(off) (*(volatile uint16_t *)(DEV + (off)))
#define R32(off) (*(volatile uint32_t *)(DEV + (off)))

static uint32_t checks, failed;

static void expect(uint32_t got, uint32_t want, const char *what)
{
	checks++;
	if (got == want)
		return;
	failed++;
	puts32("FAILED: ");
	puts32(what);
	puts32(": ");
	puthex(got);
	puts32(", want ");
	puthex(want);
	puts32("\n");
}

static void moves(void)
{
	uint32_t v;

	asm volatile("movl %1, %0" : "=m"(R32(0)) : "r"(0x80000004u));
	asm volatile("movw %1, %0" : "=m"(R16(4)) : "r"((uint16_t)0x8002));
	asm volatile("movb $0x81, %0" : "=m"(R8(6)));
	v = ~0u;
	asm volatile("movw %1, %w0" : "+r"(v) : "m"(R16(4)));
	expect(v, 0xffff8002u, "mov m16: upper half kept");
	asm volatile("movl %1, %0" : "=r"(v) : "m"(R32(0)));
	expect(v, 0x80000004u, "mov m32");
	asm volatile("movsbl %1, %0" : "=r"(v) : "m"(R8(6)));
	expect(v, 0xffffff81u, "movsx m8");
	asm volatile("movzwl %1, %0" : "=r"(v) : "m"(R16(4)));
	expect(v, 0x8002u, "movzx m16");
}

static void arithmetic(void)
{
	uint32_t fl;

	asm volatile("addl $0x7ffffffc, %0; pushfl; popl %1" : "+m"(R32(0)), "=r"(fl) : : "cc");
	expect(R32(0), 0, "add imm32 to m32");
	expect(fl & (CF | ZF), CF | ZF, "add m32 flags");
	asm volatile("cmpw $0x8002, %1; pushfl; popl %0" : "=r"(fl) : "m"(R16(4)) : "cc");
	expect(fl & (CF | ZF), ZF, "cmp m16, imm16");
}

static void strings(void)
{
	static uint32_t ram = 0x11223344u, back;
	uint32_t esi, edi = DEV + 8;

	asm volatile("cld; stosl" : "+D"(edi) : "a"(0xa5a5a5a5u) : "memory");
	expect(edi, DEV + 12, "stosl: edi advanced");
	expect(R32(8), 0xa5a5a5a5u, "stosl value");
	esi = (uint32_t)&ram;
	asm volatile("movsl" : "+S"(esi), "+D"(edi) : : "memory");
	expect(R32(12), 0x11223344u, "movsl RAM to MMIO");
	esi = DEV + 8;
	edi = (uint32_t)&back;
	asm volatile("movsl" : "+S"(esi), "+D"(edi) : : "memory");
	expect(back, 0xa5a5a5a5u, "movsl MMIO to RAM");
	expect(esi, DEV + 12, "movsl: esi advanced");
}

void mb1_main(uint32_t magic, const void *mb);

void mb1_main(uint32_t magic, const void *mb)
{
	(void)magic;
	(void)mb;
	moves();
	arithmetic();
	strings();
	puts32("mmio32: ");
	putdec(checks);
	puts32(" checks, ");
	putdec(failed);
	puts32(" failed\n");
	outl(EXIT_PORT, failed ? 2 : 0);
}
