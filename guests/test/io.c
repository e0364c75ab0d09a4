/* Port I/O exits: IN and OUT of 1, 2 and 4 bytes, the string forms with
 * and without REP, both directions, buffers crossing a page, more
 * iterations than one exit handles, and unclaimed ports. String forms
 * address memory as the CPU does: FS/GS bases apply in 64-bit mode and
 * the ES base does not, 0x67 selects 32-bit addressing, a non-canonical
 * address is #GP, and an element crossing into a non-present page is a
 * #PF that leaves the element undone and the iterations before it done. */
#include "guests/lib/test.h"
#include "lib/string.h"
#include "lib/x86_desc.h"

const char test_title[] = "Port I/O: sizes 1/2/4, string and REP forms";

#define S HV_PORT_SCRATCH
#define UNCLAIMED 0x5f0
#define VEC_GP 13
#define VEC_PF 14
#define PF_ERR_W 0x2

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

/* ---- segment bases: a private GDT with one based data segment ---- */

#define SEL_DATA 0x10  /* the flat data segment VM 0 starts with */
#define SEL_BASED 0x20 /* gdt[4], the test's own */
#define GDT_KEEP 4     /* entries of VM 0's GDT */

struct gdtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

static u64 gdt[GDT_KEEP + 1] __attribute__((aligned(16)));

static u64 data_descriptor(u32 base)
{
	return X86_DESC_DATA | ((u64)(base & 0xffffff) << 16) |
	       ((u64)(base >> 24) << 56);
}

/* Loads a copy of the current GDT with SEL_BASED at `base`; false (and
 * nothing loaded) when the current GDT is not the one VM 0 starts with. */
static bool load_based_gdt(u32 base, struct gdtr *old)
{
	struct gdtr now = { sizeof(gdt) - 1, (u64)gdt };

	asm volatile("sgdt %0" : "=m"(*old));
	if (old->limit != GDT_KEEP * 8 - 1)
		return false;
	memcpy(gdt, (const void *)old->base, GDT_KEEP * 8);
	gdt[GDT_KEEP] = data_descriptor(base);
	asm volatile("lgdt %0" : : "m"(now));
	return true;
}

static void set_fs(u16 sel) { asm volatile("movw %0, %%fs" : : "r"(sel)); }
static void set_gs(u16 sel) { asm volatile("movw %0, %%gs" : : "r"(sel)); }
static void set_es(u16 sel) { asm volatile("movw %0, %%es" : : "r"(sel) : "memory"); }

/* OUTSB through FS: RSI is an offset from the FS base. */
static bool outs_fs_uses_base(struct gdtr *old)
{
	static const u8 src[4] = { 0x11, 0x6e, 0x22, 0x33 };
	u64 p = 0x40;

	if (!load_based_gdt((u32)(u64)&src[1] - 0x40, old))
		return false;
	outb(S + 12, 0);
	set_fs(SEL_BASED);
	asm volatile("outsb %%fs:(%%rsi), (%%dx)" : "+S"(p) : "d"(S + 12) : "memory");
	set_fs(SEL_DATA);
	return inb(S + 12) == 0x6e && p == 0x41;
}

/* REP OUTSL through GS. */
static bool outs_gs_uses_base(void)
{
	static const u32 src[2] = { 0x12345678, 0x9abcdef0 };
	u64 p = 0x80, n = 2;

	gdt[GDT_KEEP] = data_descriptor((u32)(u64)src - 0x80);
	set_gs(SEL_BASED);
	asm volatile("rep outsl %%gs:(%%rsi), (%%dx)" : "+S"(p), "+c"(n) : "d"(S + 12) : "memory");
	set_gs(SEL_DATA);
	return inl(S + 12) == 0x9abcdef0 && p == 0x88 && n == 0;
}

/* INSB with an ES whose descriptor has a base: 64-bit mode ignores it, so
 * the byte lands at RDI and not at base + RDI. */
static bool ins_es_ignores_base(void)
{
	static u8 area[2][64];
	u8 *p = area[0];

	memset(area, 0, sizeof(area));
	gdt[GDT_KEEP] = data_descriptor(sizeof(area[0]));
	outb(S + 12, 0x9d);
	set_es(SEL_BASED);
	asm volatile("insb (%%dx), %%es:(%%rdi)" : "+D"(p) : "d"(S + 12) : "memory");
	set_es(SEL_DATA);
	return area[0][0] == 0x9d && area[1][0] == 0 && p == area[0] + 1;
}

static const char *used(bool yes) { return yes ? "used" : "NOT used"; }

static void check_segment_bases(void)
{
	struct gdtr old;
	bool fs = outs_fs_uses_base(&old), gs, es;

	if (old.limit != GDT_KEEP * 8 - 1) {
		test_fail("VM 0's GDT has limit 0x%x, not %u entries", old.limit, GDT_KEEP);
		return;
	}
	gs = outs_gs_uses_base();
	es = ins_es_ignores_base();
	asm volatile("lgdt %0" : : "m"(old));
	CHECK(fs && gs && es, "segment bases: fs %d gs %d es %d", fs, gs, es);
	gprintf("string I/O: fs base %s, gs base %s, es base %s\n", used(fs), used(gs),
		es ? "ignored" : "NOT ignored");
}

/* 0x67 in 64-bit mode: ESI and ECX, written back zero-extended. */
static void check_addr32(void)
{
	static const u8 src[3] = { 0x6b, 0x7c, 0x8d };
	u64 p = 0xffffffff00000000ULL | (u32)(u64)src;
	u64 n = 0xffffffff00000002ULL;

	asm volatile("rep outsb (%%esi), (%%dx)" : "+S"(p), "+c"(n) : "d"(S + 12) : "memory");
	CHECK(inb(S + 12) == 0x7c && p == (u32)(u64)src + 2 && n == 0,
	      "addr32 rep outsb: port 0x%x rsi 0x%llx rcx 0x%llx", inb(S + 12),
	      (unsigned long long)p, (unsigned long long)n);
	gprintf("string I/O: addr32 rep outsb: port 0x%x, rcx 0x%llx, rsi upper half 0x%llx\n",
		inb(S + 12), (unsigned long long)n, (unsigned long long)(p >> 32));
}

/* ---- faulting string instructions; each returns the vector or -1 ---- */

static int outsb_at(u64 *p, u64 *n)
{
	int ok = 1;

	last_fixup_vector = -1;
	asm volatile(FIXUP_ASM("rep outsb")
		     : [ok] "+r"(ok), "+S"(*p), "+c"(*n) : "d"(S + 12) : "memory");
	return ok ? -1 : last_fixup_vector;
}

static int insb_at(u64 *p)
{
	int ok = 1;

	last_fixup_vector = -1;
	asm volatile(FIXUP_ASM("insb") : [ok] "+r"(ok), "+D"(*p) : "d"(S + 12) : "memory");
	return ok ? -1 : last_fixup_vector;
}

static int insw_at(u64 *p)
{
	int ok = 1;

	last_fixup_vector = -1;
	asm volatile(FIXUP_ASM("insw") : [ok] "+r"(ok), "+D"(*p) : "d"(S + 12) : "memory");
	return ok ? -1 : last_fixup_vector;
}

static int rep_insl_at(u64 *p, u64 *n)
{
	int ok = 1;

	last_fixup_vector = -1;
	asm volatile(FIXUP_ASM("rep insl")
		     : [ok] "+r"(ok), "+D"(*p), "+c"(*n) : "d"(S + 12) : "memory");
	return ok ? -1 : last_fixup_vector;
}

static int outsl_at(u64 *p)
{
	int ok = 1;

	last_fixup_vector = -1;
	asm volatile(FIXUP_ASM("outsl") : [ok] "+r"(ok), "+S"(*p) : "d"(S + 12) : "memory");
	return ok ? -1 : last_fixup_vector;
}

static void check_non_canonical(void)
{
	u64 p = 0x8000000000000000ULL, n = 1;
	int outs, ins, rep;

	outs = outsb_at(&p, &n);
	CHECK(outs == VEC_GP && last_fixup_error == 0 && p == 0x8000000000000000ULL,
	      "outsb at non-canonical rsi: vector %d", outs);
	p = 0x0000800000000000ULL;
	ins = insb_at(&p);
	CHECK(ins == VEC_GP && last_fixup_error == 0 && p == 0x0000800000000000ULL,
	      "insb at non-canonical rdi: vector %d", ins);
	p = 0xffff000000000000ULL;
	n = 5;
	rep = outsb_at(&p, &n);
	CHECK(rep == VEC_GP && n == 5 && p == 0xffff000000000000ULL,
	      "rep outsb at non-canonical rsi: vector %d rcx %llu", rep, (unsigned long long)n);
	gprintf("string I/O: non-canonical: outsb vector %d, insb vector %d, "
		"rep outsb vector %d rcx %llu\n", outs, ins, rep, (unsigned long long)n);
}

/* ---- a window whose last page is mapped and whose next one is not ---- */

#define PTE_ADDR 0x000ffffffffff000ULL
#define WINDOW 0x80000000ULL           /* linear 2 GiB, remapped by the test */
#define WINDOW_END (WINDOW + 0x200000) /* first byte of the non-present page */

static u64 window_pt[512] __attribute__((aligned(4096)));
static u8 window_page[4096] __attribute__((aligned(4096)));
static u64 saved_pde[2];

/* The page directory of WINDOW in the identity map VM 0 starts with. */
static u64 *window_pd(void)
{
	u64 cr3, *pml4, *pdpt;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (u64 *)(cr3 & PTE_ADDR);
	pdpt = (u64 *)(pml4[0] & PTE_ADDR);
	return (u64 *)(pdpt[WINDOW >> 30] & PTE_ADDR);
}

static void flush_window(void)
{
	asm volatile("invlpg (%0)" : : "r"(WINDOW_END - 4096) : "memory");
	asm volatile("invlpg (%0)" : : "r"(WINDOW_END) : "memory");
}

static void map_window(void)
{
	u64 *pd = window_pd();

	saved_pde[0] = pd[0];
	saved_pde[1] = pd[1];
	memset(window_pt, 0, sizeof(window_pt));
	window_pt[511] = (u64)window_page | 3; /* present, writable */
	pd[0] = (u64)window_pt | 3;
	pd[1] = 0;
	flush_window();
}

static void unmap_window(void)
{
	u64 *pd = window_pd();

	pd[0] = saved_pde[0];
	pd[1] = saved_pde[1];
	flush_window();
}

static u64 read_cr2(void)
{
	u64 v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static bool page_fault_at_end(int vec, u64 error)
{
	return vec == VEC_PF && last_fixup_error == error && read_cr2() == WINDOW_END;
}

/* Bytes [from, 4096) of the window page still hold the fill pattern. */
static bool tail_untouched(unsigned from)
{
	for (unsigned i = from; i < sizeof(window_page); i++)
		if (window_page[i] != 0x5a)
			return false;
	return true;
}

static int ins_word_across(void)
{
	u64 p = WINDOW_END - 1;
	int vec = insw_at(&p);

	CHECK(page_fault_at_end(vec, PF_ERR_W) && p == WINDOW_END - 1,
	      "insw across: vector %d error 0x%llx cr2 0x%llx", vec,
	      (unsigned long long)last_fixup_error, (unsigned long long)read_cr2());
	CHECK(tail_untouched(4095), "insw across wrote the byte before the boundary");
	return vec;
}

/* Two dwords fit, the third crosses: RCX and RDI stop at the third. */
static int rep_ins_dwords_across(u64 *left)
{
	static const u8 dw[4] = { 0x11, 0x22, 0x33, 0x44 };
	u64 p = WINDOW_END - 10;
	int vec;

	*left = 3;
	vec = rep_insl_at(&p, left);
	CHECK(page_fault_at_end(vec, PF_ERR_W) && *left == 1 && p == WINDOW_END - 2,
	      "rep insl across: vector %d rcx %llu", vec, (unsigned long long)*left);
	for (unsigned i = 0; i < 8; i++)
		CHECK(window_page[4086 + i] == dw[i % 4], "rep insl: byte %u not written", i);
	CHECK(tail_untouched(4094), "rep insl across wrote bytes before the boundary");
	return vec;
}

/* An OUTSL whose source crosses: nothing reaches the port. */
static int outs_dword_across(void)
{
	u64 p = WINDOW_END - 2;
	int vec;

	outl(S + 12, 0x0badf00d);
	vec = outsl_at(&p);
	CHECK(page_fault_at_end(vec, 0) && p == WINDOW_END - 2 && inl(S + 12) == 0x0badf00d,
	      "outsl across: vector %d port 0x%x", vec, inl(S + 12));
	return vec;
}

static void check_fault_at_page_boundary(void)
{
	int insw, insl, outsl;
	u64 left;

	map_window();
	memset(window_page, 0x5a, sizeof(window_page));
	outl(S + 12, 0x44332211);
	insw = ins_word_across();
	insl = rep_ins_dwords_across(&left);
	outsl = outs_dword_across();
	unmap_window();
	gprintf("string I/O: across into a non-present page: insw vector %d, rep insl "
		"vector %d rcx %llu, outsl vector %d\n", insw, insl,
		(unsigned long long)left, outsl);
}

void test_main(void)
{
	check_sizes();
	check_unclaimed();
	check_outs();
	check_ins_long();
	check_ins_backwards();
	check_segment_bases();
	check_addr32();
	check_non_canonical();
	check_fault_at_page_boundary();
}
