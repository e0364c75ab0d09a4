/* A child reading and writing the MMIO device its VMM (hvctl, `vm create
 * ... mmio`) emulates at 0xd0000000: registers that read back what was
 * written. Every form the hypervisor decodes, in every size, with the
 * checks the CPU's own access would pass: the value, zero and sign
 * extension, the bits a narrow load keeps, flags, RIP on the next
 * instruction. An instruction it does not decode (MOVNTI) goes to the
 * VMM, which steps over it. With `fetch` on the command line it runs
 * code at the device instead, which must stop it with a stage-2 fault. */
#include "guests/lib/test.h"
#include "lib/string.h"

const char test_title[] = "MMIO exits: every decoded form, answered by the VMM";

#define DEV 0xd0000000ULL
#define CF 0x001ULL
#define ZF 0x040ULL
#define SF 0x080ULL
#define OF 0x800ULL
#define ARITH (CF | 0x4 | 0x10 | ZF | SF | OF)

#define R8(off) (*(volatile u8 *)(DEV + (off)))
#define R16(off) (*(volatile u16 *)(DEV + (off)))
#define R32(off) (*(volatile u32 *)(DEV + (off)))
#define R64(off) (*(volatile u64 *)(DEV + (off)))

static u32 checks;

#define EXPECT(got, want, what)                                                      \
	do {                                                                         \
		u64 g_ = (got), w_ = (want);                                         \
		checks++;                                                            \
		CHECK(g_ == w_, "%s: 0x%llx, want 0x%llx", what, (unsigned long long)g_, \
		      (unsigned long long)w_);                                       \
	} while (0)

static void stores(void)
{
	u64 fl;

	asm volatile("movb %1, %0" : "=m"(R8(0)) : "q"((u8)0x81));
	asm volatile("movw %1, %0" : "=m"(R16(2)) : "r"((u16)0x8002));
	asm volatile("movl %1, %0" : "=m"(R32(4)) : "r"(0x80000004u));
	asm volatile("movq %1, %0" : "=m"(R64(8)) : "r"(0x8877665544332211ULL));
	EXPECT(R64(0), 0x8000000480020081ULL, "mov r8/r16/r32 to MMIO");
	EXPECT(R64(8), 0x8877665544332211ULL, "mov r64 to MMIO");
	asm volatile("movb $0x5a, %0" : "=m"(R8(16)));
	asm volatile("movw $0x1234, %0" : "=m"(R16(18)));
	asm volatile("movl $0x89abcdef, %0" : "=m"(R32(20)));
	EXPECT(R64(16), 0x89abcdef1234005aULL, "mov imm8/imm16/imm32 to MMIO");
	asm volatile("movq $-2, %0" : "=m"(R64(24)));
	EXPECT(R64(24), 0xfffffffffffffffeULL, "mov imm32 sign-extended to m64");
	asm volatile("movb %%ah, %0" : "=m"(R8(32)) : "a"(0xc3a5u));
	EXPECT(R8(32), 0xc3, "mov ah to MMIO");
	asm volatile("movq %1, %%r12; movq %%r12, %0" : "=m"(R64(40)) : "r"(0x0123456789abcdefULL) : "r12");
	EXPECT(R64(40), 0x0123456789abcdefULL, "mov r12 to MMIO (REX)");
	asm volatile("stc; movl %2, %0; pushfq; popq %1" : "=m"(R32(48)), "=r"(fl) : "r"(7u) : "cc");
	EXPECT(fl & CF, CF, "a store leaves the flags");
}

static void loads(void)
{
	u64 v, fl;

	R64(0) = 0x8000000480020081ULL;
	v = ~0ULL;
	asm volatile("movb %1, %b0" : "+q"(v) : "m"(R8(0)));
	EXPECT(v, 0xffffffffffffff81ULL, "mov m8: upper bits kept");
	v = ~0ULL;
	asm volatile("movw %1, %w0" : "+r"(v) : "m"(R16(2)));
	EXPECT(v, 0xffffffffffff8002ULL, "mov m16: upper bits kept");
	v = ~0ULL;
	asm volatile("movl %1, %k0" : "+r"(v) : "m"(R32(4)));
	EXPECT(v, 0x80000004ULL, "mov m32: zero-extended");
	asm volatile("movq %1, %0" : "=r"(v) : "m"(R64(0)));
	EXPECT(v, 0x8000000480020081ULL, "mov m64");
	v = 0x1111;
	asm volatile("movb %1, %%ah" : "+a"(v) : "m"(R8(0)));
	EXPECT(v, 0x8111, "mov m8 to ah");
	asm volatile("movq %1, %%r9; movq %%r9, %0" : "=r"(v) : "m"(R64(0)) : "r9");
	EXPECT(v, 0x8000000480020081ULL, "mov m64 to r9 (REX)");
	asm volatile("movzbq %1, %0" : "=r"(v) : "m"(R8(0)));
	EXPECT(v, 0x81, "movzx m8");
	asm volatile("movzwl %1, %k0" : "=r"(v) : "m"(R16(2)), "0"(~0ULL));
	EXPECT(v, 0x8002, "movzx m16");
	asm volatile("movsbq %1, %0" : "=r"(v) : "m"(R8(0)));
	EXPECT(v, 0xffffffffffffff81ULL, "movsx m8");
	v = ~0ULL;
	asm volatile("movsbw %1, %w0" : "+r"(v) : "m"(R8(0)));
	EXPECT(v, 0xffffffffffffff81ULL, "movsx m8 to r16");
	asm volatile("movswl %1, %k0" : "=r"(v) : "m"(R16(2)), "0"(~0ULL));
	EXPECT(v, 0xffff8002ULL, "movsx m16 to r32: zero-extended above");
	asm volatile("movslq %1, %0" : "=r"(v) : "m"(R32(4)));
	EXPECT(v, 0xffffffff80000004ULL, "movsxd m32");
	asm volatile("movabs 0xd0000004, %%eax" : "=a"(v)); /* DEV + 4 */
	EXPECT(v, 0x80000004ULL, "mov moffs64 to eax");
	asm volatile("movabs %%al, 0xd0000001" : : "a"(0x42) : "memory"); /* DEV + 1 */
	EXPECT(R8(1), 0x42, "mov al to moffs64");
	asm volatile("stc; movl %2, %k0; pushfq; popq %1" : "=r"(v), "=r"(fl) : "m"(R32(4)) : "cc");
	EXPECT(fl & CF, CF, "a load leaves the flags");
}

/* One read-modify-write or compare: its result in MMIO and the flags. */
#define RMW(insn, size_suffix, mem, src, start, want, flags_want)                       \
	do {                                                                         \
		u64 fl_;                                                             \
		mem = start;                                                         \
		asm volatile(insn size_suffix " %2, %0; pushfq; popq %1"             \
			     : "+m"(mem), "=r"(fl_) : src : "cc");                  \
		EXPECT(mem, want, insn " " #start " result");                        \
		EXPECT(fl_ & ARITH & ~0x14ULL, flags_want, insn " " #start " flags"); \
	} while (0)

static void read_modify_write(void)
{
	u64 v, fl;

	RMW("add", "b", R8(0), "i"(0x20), 0xf0, 0x10, CF);
	RMW("add", "l", R32(4), "r"(0x7fffffffu), 1, 0x80000000u, SF | OF);
	RMW("sub", "q", R64(8), "r"(5ULL), 5, 0, ZF);
	RMW("sub", "w", R16(2), "i"(1), 0, 0xffff, CF | SF);
	RMW("and", "w", R16(2), "i"(0x0f0f), 0x1234, 0x0204, 0);
	RMW("or", "q", R64(8), "r"(0x8000000000000000ULL), 1, 0x8000000000000001ULL, SF);
	RMW("xor", "l", R32(4), "i"(0x5a5a5a5a), 0x5a5a5a5a, 0, ZF);
	RMW("xor", "b", R8(0), "q"((u8)0xff), 0x0f, 0xf0, SF);
	/* register destination: reads only */
	R32(4) = 40;
	v = 2;
	asm volatile("addl %2, %k0; pushfq; popq %1" : "+r"(v), "=r"(fl) : "m"(R32(4)) : "cc");
	EXPECT(v, 42, "add m32 to r32");
	R64(8) = 0xff;
	v = 0x0f;
	asm volatile("andq %1, %0" : "+r"(v) : "m"(R64(8)) : "cc");
	EXPECT(v, 0x0f, "and m64 to r64");
	/* flags only */
	R32(4) = 0x80000000u;
	asm volatile("testl $0x80000000, %1; pushfq; popq %0" : "=r"(fl) : "m"(R32(4)) : "cc");
	EXPECT(fl & (ZF | SF), SF, "test m32, imm");
	asm volatile("testl $1, %1; pushfq; popq %0" : "=r"(fl) : "m"(R32(4)) : "cc");
	EXPECT(fl & ZF, ZF, "test m32, imm: zero");
	R64(8) = 3;
	asm volatile("cmpq %2, %1; pushfq; popq %0" : "=r"(fl) : "m"(R64(8)), "r"(4ULL) : "cc");
	EXPECT(fl & (CF | ZF | SF), CF | SF, "cmp m64, r64 (below)");
	asm volatile("cmpb $3, %1; pushfq; popq %0" : "=r"(fl) : "m"(R8(8)) : "cc");
	EXPECT(fl & (CF | ZF), ZF, "cmp m8, imm (equal)");
	RMW("add", "l", R32(4), "i"(-1), 1, 0, CF | ZF);
	asm volatile("cmpq %2, %1; pushfq; popq %0" : "=r"(fl) : "r"(2ULL), "m"(R64(8)) : "cc");
	EXPECT(fl & (CF | ZF | SF), CF | SF, "cmp r64, m64 (below)");
	v = 0x0f;
	asm volatile("orb %1, %b0" : "+q"(v) : "m"(R8(8)) : "cc");
	EXPECT(v, 0x0f, "or m8 to r8");
	R32(4) = 8;
	asm volatile("testl %2, %1; pushfq; popq %0" : "=r"(fl) : "m"(R32(4)), "r"(8u) : "cc");
	EXPECT(fl & ZF, 0, "test m32, r32");
	asm volatile("btl %2, %1; pushfq; popq %0" : "=r"(fl) : "m"(R32(4)), "r"(3u) : "cc");
	EXPECT(fl & CF, CF, "bt m32, r32");
	asm volatile("btl $3, %1; pushfq; popq %0" : "=r"(fl) : "m"(R32(4)) : "cc");
	EXPECT(fl & CF, CF, "bt m32, 3");
	asm volatile("btl $2, %1; pushfq; popq %0" : "=r"(fl) : "m"(R32(4)) : "cc");
	EXPECT(fl & CF, 0, "bt m32, 2");
}

static void strings(void)
{
	static u64 ram_src = 0x1122334455667788ULL;
	static u32 ram_dst;
	u64 rdi = DEV + 16, rsi;

	asm volatile("cld; stosb" : "+D"(rdi) : "a"(0x77) : "memory");
	EXPECT(rdi, DEV + 17, "stosb: rdi advanced");
	EXPECT(R8(16), 0x77, "stosb value");
	rdi = DEV + 24;
	asm volatile("stosq" : "+D"(rdi) : "a"(0xa5a5a5a5a5a5a5a5ULL) : "memory");
	EXPECT(rdi, DEV + 32, "stosq: rdi advanced");
	EXPECT(R64(24), 0xa5a5a5a5a5a5a5a5ULL, "stosq value");
	rdi = DEV + 40;
	asm volatile("stosw; stosl" : "+D"(rdi) : "a"(0x44332211) : "memory");
	EXPECT(rdi, DEV + 46, "stosw, stosl: rdi advanced");
	EXPECT(R64(40) & 0xffffffffffffULL, 0x443322112211ULL, "stosw, stosl values");
	rsi = (u64)&ram_src;
	rdi = DEV + 48;
	asm volatile("movsb; movsw" : "+S"(rsi), "+D"(rdi) : : "memory");
	EXPECT(R32(48) & 0xffffff, 0x667788, "movsb, movsw RAM to MMIO");
	rsi = (u64)&ram_src;
	rdi = DEV + 8;
	asm volatile("movsq" : "+S"(rsi), "+D"(rdi) : : "memory");
	EXPECT(R64(8), 0x1122334455667788ULL, "movsq RAM to MMIO");
	EXPECT(rsi, (u64)&ram_src + 8, "movsq: rsi advanced");
	EXPECT(rdi, DEV + 16, "movsq: rdi advanced");
	rsi = DEV + 8;
	rdi = (u64)&ram_dst;
	asm volatile("movsl" : "+S"(rsi), "+D"(rdi) : : "memory");
	EXPECT(ram_dst, 0x55667788u, "movsl MMIO to RAM");
	EXPECT(rsi, DEV + 12, "movsl: rsi advanced");
	EXPECT(rdi, (u64)&ram_dst + 4, "movsl: rdi advanced");
}

/* RIP: the instruction right after each access runs, once. */
static void next_instruction(void)
{
	u32 n = 0;

	asm volatile("movl %1, %%eax; incl %0; movl %%eax, %2; incl %0"
		     : "+r"(n) : "m"(R32(4)), "m"(R32(0)) : "eax", "memory");
	EXPECT(n, 2, "RIP after a load and a store");
}

/* MOVNTI is no form the hypervisor emulates: the VMM steps over it. */
static void undecoded(void)
{
	u32 n = 0;

	R32(56) = 1;
	asm volatile("movnti %2, %0; incl %1" : "=m"(R32(56)), "+r"(n) : "r"(0xdeadu) : "memory");
	asm volatile("" : "+r"(n));
	EXPECT(n, 1, "the instruction after the undecoded one");
	EXPECT(R32(56), 1, "the undecoded store did nothing");
	gprintf("undecoded MOVNTI skipped by the VMM\n");
}

static bool fetch_wanted(void)
{
	for (const char *c = boot_info->cmdline; *c; c++)
		if (!strncmp(c, "fetch", 5))
			return true;
	return false;
}

void test_main(void)
{
	if (fetch_wanted()) {
		((void (*)(void))DEV)();
		test_fail("code at the MMIO device ran");
		return;
	}
	stores();
	loads();
	read_modify_write();
	strings();
	next_instruction();
	undecoded();
	gprintf("%u MMIO checks done\n", checks);
}
