/* MOV to CR0/CR4 (hv/cr.c): the CR4 bits each CPUID feature offers, the
 * architecture's #GP rules for both registers, the state a legal write
 * leaves, and the decoder of the instructions that write CR0 and CR4. */
#include "check.h"
#include "../../hv/cr.c"

/* CPUID as guests see it, for cr4_guest_allowed. */
static struct cpuid_result fake_leaf1, fake_leaf7;

void guest_cpuid(const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		 struct cpuid_result *r)
{
	(void)st;
	(void)subleaf;
	*r = leaf == 1 ? fake_leaf1 : leaf == 7 ? fake_leaf7 : (struct cpuid_result){ 0 };
}

#define CR0_LONG (CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG)
#define ALL_CR4 0x1ffffffULL

/* 64-bit mode: paging, PAE, LME/LMA, a 64-bit code segment. */
static struct guest_sregs long_mode(void)
{
	struct guest_sregs s = { .cr0 = CR0_LONG, .cr3 = 0x1000, .cr4 = CR4_PAE,
				 .efer = EFER_LME | EFER_LMA | EFER_NXE };

	s.cs.attr = 0x9b | SEG_ATTR_L;
	return s;
}

/* Whether the write is refused, leaving the state exactly as it was. */
static bool refused(struct guest_sregs s, u8 cr, u64 value, u64 allowed)
{
	struct guest_sregs before = s;

	return !cr_write(&s, cr, value, allowed) && !memcmp(&s, &before, sizeof(s));
}

TEST(cr4_offered_by_cpuid)
{
	struct cpuid_result none = { 0 }, l1 = { 0 }, l7 = { 0 };

	CHECK_EQ(cr4_offered(&none, &none), BIT(2) | BIT(8) | BIT(10));
	l1.ecx = BIT(5) | BIT(26);      /* VMX, XSAVE */
	l1.edx = BIT(1) | BIT(6);       /* VME, PAE */
	l7.ebx = BIT(7) | BIT(20);      /* SMEP, SMAP */
	l7.ecx = BIT(3);                /* PKU */
	CHECK_EQ(cr4_offered(&l1, &l7), BIT(2) | BIT(8) | BIT(10) | BIT(13) | CR4_OSXSAVE |
		 BIT(0) | BIT(1) | CR4_PAE | CR4_SMEP | CR4_SMAP | CR4_PKE);
	l1 = (struct cpuid_result){ .ecx = BIT(6) | BIT(17), .edx = BIT(2) | BIT(3) | BIT(7) |
				    BIT(13) | BIT(24) };
	l7 = (struct cpuid_result){ .ebx = BIT(0), .ecx = BIT(2) | BIT(7) | BIT(16) | BIT(31) };
	CHECK_EQ(cr4_offered(&l1, &l7), BIT(2) | BIT(8) | BIT(10) | BIT(14) | CR4_PCIDE |
		 BIT(3) | BIT(4) | BIT(6) | BIT(7) | BIT(9) | BIT(16) | BIT(11) | CR4_CET |
		 CR4_LA57 | BIT(24));
}

TEST(cr4_guest_allowed_reads_the_guest_cpuid)
{
	fake_leaf1 = (struct cpuid_result){ .ecx = BIT(26), .edx = BIT(6) | BIT(13) };
	fake_leaf7 = (struct cpuid_result){ .ebx = BIT(7) };
	CHECK_EQ(cr4_guest_allowed(), BIT(2) | BIT(8) | BIT(10) | CR4_OSXSAVE | CR4_PAE |
		 BIT(7) | CR4_SMEP);
}

TEST(cr0_refused)
{
	struct guest_sregs s = long_mode(), compat = long_mode(), legacy = { 0 };

	CHECK(refused(s, 0, CR0_LONG | BIT(32), ALL_CR4));
	CHECK(refused(s, 0, CR0_LONG | CR0_NW, ALL_CR4));
	CHECK(refused(s, 0, CR0_LONG & ~CR0_PE, ALL_CR4));
	CHECK(refused(s, 0, CR0_LONG & ~CR0_PG, ALL_CR4)); /* in 64-bit mode */
	s.cr4 |= CR4_CET;
	CHECK(refused(s, 0, CR0_LONG & ~CR0_WP, ALL_CR4));
	compat.cs.attr &= ~SEG_ATTR_L;
	compat.cr4 |= CR4_PCIDE;
	CHECK(refused(compat, 0, CR0_LONG & ~CR0_PG, ALL_CR4));
	/* paging on with LME and without PAE */
	legacy.cr0 = CR0_PE | CR0_ET;
	legacy.efer = EFER_LME;
	CHECK(refused(legacy, 0, CR0_PE | CR0_PG, ALL_CR4));
	CHECK(refused(legacy, 0, CR0_PG, ALL_CR4));
}

TEST(cr0_accepted)
{
	struct guest_sregs s = long_mode(), compat = long_mode(), legacy = { 0 };

	CHECK(cr_write(&s, 0, CR0_LONG | CR0_CD | CR0_NW, ALL_CR4));
	CHECK_EQ(s.cr0, CR0_LONG | CR0_CD | CR0_NW);
	/* reserved low bits are ignored, ET reads 1 */
	CHECK(cr_write(&s, 0, (CR0_LONG & ~CR0_ET) | BIT(6) | BIT(20), ALL_CR4));
	CHECK_EQ(s.cr0, CR0_LONG);
	/* compatibility mode may leave long mode */
	compat.cs.attr &= ~SEG_ATTR_L;
	CHECK(cr_write(&compat, 0, CR0_PE | CR0_ET, ALL_CR4));
	CHECK_EQ(compat.efer, EFER_LME | EFER_NXE);
	/* and a 32-bit operand has no bit 32 */
	CHECK(cr_write(&compat, 0, BIT(32) | CR0_PE | CR0_TS, ALL_CR4));
	CHECK_EQ(compat.cr0, CR0_PE | CR0_ET | CR0_TS);
	/* paging on with LME and PAE activates long mode */
	legacy.cr0 = CR0_PE | CR0_ET;
	legacy.cr4 = CR4_PAE;
	legacy.efer = EFER_LME;
	CHECK(cr_write(&legacy, 0, CR0_PE | CR0_PG, ALL_CR4));
	CHECK_EQ(legacy.efer, EFER_LME | EFER_LMA);
	CHECK_EQ(legacy.cr0, CR0_PE | CR0_ET | CR0_PG);
}

TEST(cr4_refused)
{
	struct guest_sregs s = long_mode(), legacy = { .cr0 = CR0_PE | CR0_ET, .cr4 = 0 };
	u64 allowed = ALL_CR4 & ~(BIT(13) | CR4_PKE);

	CHECK(refused(s, 4, CR4_PAE | BIT(13), allowed)); /* not offered */
	CHECK(refused(s, 4, CR4_PAE | CR4_PKE, allowed));
	CHECK(refused(s, 4, CR4_PAE | BIT(15), ALL_CR4 & ~BIT(15)));
	CHECK(refused(s, 4, CR4_PAE | BIT(32), allowed));
	CHECK(refused(s, 4, 0, allowed));                  /* PAE clear in long mode */
	CHECK(refused(s, 4, CR4_PAE | CR4_LA57, allowed)); /* LA57 in long mode */
	s.cr0 &= ~CR0_WP;
	CHECK(refused(s, 4, CR4_PAE | CR4_CET, allowed)); /* CET with WP clear */
	s = long_mode();
	s.cr3 = 0x1008;
	CHECK(refused(s, 4, CR4_PAE | CR4_PCIDE, allowed)); /* CR3[11:0] != 0 */
	CHECK(refused(legacy, 4, CR4_PCIDE, allowed));      /* outside long mode */
}

TEST(cr4_accepted)
{
	struct guest_sregs s = long_mode(), legacy = { .cr0 = CR0_PE | CR0_ET };

	CHECK(cr_write(&s, 4, CR4_PAE | CR4_PCIDE | CR4_OSXSAVE | BIT(7), ALL_CR4));
	CHECK_EQ(s.cr4, CR4_PAE | CR4_PCIDE | CR4_OSXSAVE | BIT(7));
	CHECK_EQ(s.efer, EFER_LME | EFER_LMA | EFER_NXE);
	CHECK(cr_write(&s, 4, CR4_PAE, ALL_CR4)); /* PCIDE off again */
	CHECK(cr_write(&legacy, 4, CR4_LA57 | CR4_PAE, ALL_CR4)); /* outside long mode */
	CHECK_EQ(legacy.cr4, CR4_LA57 | CR4_PAE);
}

TEST(decode)
{
	struct guest_sregs m64 = long_mode(), m32 = { .cr0 = CR0_PE | CR0_ET };
	u8 gpr = 0xee;

	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x22, 0xe0 }, 3, &m64, 4, &gpr), CR_INSN_MOV);
	CHECK_EQ(gpr, 0);
	CHECK_EQ(cr_decode((const u8[]){ 0x41, 0x0f, 0x22, 0xe1 }, 4, &m64, 4, &gpr), CR_INSN_MOV);
	CHECK_EQ(gpr, 9);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x22, 0xc3 }, 3, &m32, 0, &gpr), CR_INSN_MOV);
	CHECK_EQ(gpr, 3);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x22, 0x26 }, 3, &m64, 4, &gpr), CR_INSN_MOV);
	CHECK_EQ(gpr, 6); /* mod is ignored */
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x01, 0xf2 }, 3, &m64, 0, &gpr), CR_INSN_LMSW);
	CHECK_EQ(gpr, 2);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x06 }, 2, &m64, 0, &gpr), CR_INSN_CLTS);
	/* REX is INC/DEC outside 64-bit mode; CR8 is not CR4; LMSW from
	 * memory, CLTS and LMSW for CR4, and short reads are not decoded */
	CHECK_EQ(cr_decode((const u8[]){ 0x41, 0x0f, 0x22, 0xe1 }, 4, &m32, 4, &gpr), CR_INSN_NONE);
	CHECK_EQ(cr_decode((const u8[]){ 0x44, 0x0f, 0x22, 0xc0 }, 4, &m64, 4, &gpr), CR_INSN_NONE);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x22, 0xc0 }, 3, &m64, 4, &gpr), CR_INSN_NONE);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x01, 0x30 }, 3, &m64, 0, &gpr), CR_INSN_NONE);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x06 }, 2, &m64, 4, &gpr), CR_INSN_NONE);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x01, 0xf0 }, 3, &m64, 4, &gpr), CR_INSN_NONE);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f, 0x22 }, 2, &m64, 4, &gpr), CR_INSN_NONE);
	CHECK_EQ(cr_decode((const u8[]){ 0x0f }, 0, &m64, 4, &gpr), CR_INSN_NONE);
}

TEST(insn_value)
{
	u64 cr0 = CR0_PE | CR0_PG | CR0_TS | CR0_MP;

	CHECK_EQ(cr_insn_value(CR_INSN_MOV, cr0, 0x1234), 0x1234);
	CHECK_EQ(cr_insn_value(CR_INSN_CLTS, cr0, 0x1234), CR0_PE | CR0_PG | CR0_MP);
	CHECK_EQ(cr_insn_value(CR_INSN_LMSW, cr0, 0), CR0_PE | CR0_PG);
	CHECK_EQ(cr_insn_value(CR_INSN_LMSW, CR0_PG, 0xfff5), CR0_PG | CR0_PE | CR0_EM);
}

RUN_TESTS("cr", T(cr4_offered_by_cpuid), T(cr4_guest_allowed_reads_the_guest_cpuid),
	  T(cr0_refused), T(cr0_accepted), T(cr4_refused), T(cr4_accepted), T(decode),
	  T(insn_value))
