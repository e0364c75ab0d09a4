/* Port I/O exits: IN and OUT of 1, 2 and 4 bytes, the string forms with
 * and without REP, both directions, buffers crossing a page, more
 * iterations than one exit handles, and unclaimed ports. */
#include "guests/lib/test.h"
#include "hv/string.h"

const char test_title[] = "Port I/O: sizes 1/2/4, string and REP forms";

#define S HV_PORT_SCRATCH
#define UNCLAIMED 0x5f0

static u8 buf[3 * 4096] __attribute__((aligned(4096)));

static void check_sizes(void)
{
	outl(S, 0x11223344);
	CHECK(inl(S) == 0x11223344, "inl after outl: 0x%x", inl(S));
	CHECK(inb(S + 1) == 0x33, "inb of byte 1: 0x%x", inb(S + 1));
	outw(S + 2, 0xbeef);
	CHECK(inl(S) == 0xbeef3344, "inl after outw: 0x%x", inl(S));
	outb(S + 3, 0x5a);
	CHECK(inw(S + 2) == 0x5aef, "inw after outb: 0x%x", inw(S + 2));
}

static void check_unclaimed(void)
{
	outb(UNCLAIMED, 0x12); /* ignored, counted */
	CHECK(inb(UNCLAIMED) == 0xff, "inb unclaimed 0x%x", inb(UNCLAIMED));
	CHECK(inw(UNCLAIMED) == 0xffff, "inw unclaimed 0x%x", inw(UNCLAIMED));
	CHECK(inl(UNCLAIMED) == 0xffffffffu, "inl unclaimed 0x%x", inl(UNCLAIMED));
}

static void check_outs(void)
{
	static const u16 words[3] = { 0x1111, 0x2222, 0x3333 };
	const u16 *p = words;
	u64 n = 3;

	asm volatile("rep outsw" : "+S"(p), "+c"(n) : "d"(S + 4) : "memory");
	CHECK(n == 0 && p == words + 3, "rep outsw left rcx %llu", (unsigned long long)n);
	CHECK(inw(S + 4) == 0x3333, "last word out: 0x%x", inw(S + 4));
	p = words;
	asm volatile("outsw" : "+S"(p) : "d"(S + 4) : "memory");
	CHECK(inw(S + 4) == 0x1111 && p == words + 1, "single outsw");
}

/* rep insb across two page boundaries, more than one exit's batch. */
static void check_ins_long(void)
{
	u8 *p = buf + 100;
	u64 n = sizeof(buf) - 200;

	outb(S + 8, 0xa7);
	memset(buf, 0, sizeof(buf));
	asm volatile("rep insb" : "+D"(p), "+c"(n) : "d"(S + 8) : "memory");
	CHECK(n == 0, "rep insb left rcx %llu", (unsigned long long)n);
	CHECK(buf[99] == 0 && buf[100] == 0xa7 && buf[4096] == 0xa7 &&
	      buf[sizeof(buf) - 101] == 0xa7 && buf[sizeof(buf) - 100] == 0,
	      "rep insb wrote the wrong bytes");
}

/* Backwards (DF=1) dword input from an unclaimed port. */
static void check_ins_backwards(void)
{
	u32 dw[4] = { 0, 0, 0, 0 };
	u32 *p = &dw[2];
	u64 n = 2;

	asm volatile("std; rep insl; cld" : "+D"(p), "+c"(n) : "d"(UNCLAIMED) : "memory");
	CHECK(dw[0] == 0 && dw[1] == 0xffffffffu && dw[2] == 0xffffffffu && dw[3] == 0,
	      "std rep insl: %x %x %x %x", dw[0], dw[1], dw[2], dw[3]);
	CHECK(p == &dw[0], "rdi after backwards insl");
}

void test_main(void)
{
	check_sizes();
	check_unclaimed();
	check_outs();
	check_ins_long();
	check_ins_backwards();
}
