/* The addressing of INS/OUTS operands: the segment rules of
 * arch/x86/seg_addr.c (bases, limits, expand-down, types, canonical
 * addresses, #GP versus #SS) and the prefix decoding of
 * arch/x86/insn_len.c (address size, segment overrides). */
#include "check.h"
#include "../../arch/x86/seg_addr.c"
#include "../../arch/x86/insn_len.c"

#define CR0_PE_PG (BIT(0) | BIT(31))
#define EFER_LME_LMA (BIT(8) | BIT(10))
#define CR4_PAE BIT(5)
#define RFLAGS_BASE 0x2ULL

/* Segment attributes: access byte in bits 0-7, AVL/L/DB/G in 8-11. */
#define A_DATA_RW 0xc93      /* present, writable data, B, G */
#define A_DATA_RO 0xc91      /* present, read-only data */
#define A_DATA_RW_DOWN 0xc97 /* present, writable expand-down data, B */
#define A_DATA_RW_DOWN16 0x097 /* as above without B: 64 KiB top */
#define A_CODE_XR 0xc9b      /* present, execute/read code, D */
#define A_CODE_X 0xc99       /* present, execute-only code, D */
#define A_CODE64 0xa9b       /* present, execute/read code, L */
#define A_CODE16 0x09b       /* present, execute/read code, 16-bit */
#define A_NULL 0             /* unusable: a null selector was loaded */

static struct segment flat(u16 attr)
{
	return (struct segment){ .selector = 0x10, .attr = attr, .limit = 0xffffffff };
}

/* Long mode, 64-bit code, flat data segments with the given bases. */
static struct guest_sregs long_mode(void)
{
	struct guest_sregs s = { 0 };

	s.cs = flat(A_CODE64);
	s.ds = s.es = s.fs = s.gs = s.ss = flat(A_DATA_RW);
	s.cr0 = CR0_PE_PG;
	s.cr4 = CR4_PAE;
	s.efer = EFER_LME_LMA;
	return s;
}

/* 32-bit protected mode, paging off, flat segments. */
static struct guest_sregs prot_mode(void)
{
	struct guest_sregs s = { 0 };

	s.cs = flat(A_CODE_XR);
	s.ds = s.es = s.fs = s.gs = s.ss = flat(A_DATA_RW);
	s.cr0 = BIT(0);
	return s;
}

static enum seg_fault try_access(const struct guest_sregs *s, enum seg_reg seg, u64 offset,
			     u8 size, bool write, u64 *linear)
{
	struct seg_access a = { seg, offset, size, write };

	*linear = 0xdeadULL;
	return seg_linear(s, RFLAGS_BASE, &a, linear);
}

TEST(long_mode_ignores_es_cs_ss_ds_bases)
{
	struct guest_sregs s = long_mode();
	enum seg_reg segs[] = { SEG_ES, SEG_CS, SEG_SS, SEG_DS };
	u64 lin;

	s.es.base = s.cs.base = s.ss.base = s.ds.base = 0x100000;
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(try_access(&s, segs[i], 0x2000, 4, false, &lin), SEG_FAULT_NONE);
		CHECK_EQ(lin, 0x2000);
	}
}

TEST(long_mode_applies_fs_and_gs_bases)
{
	struct guest_sregs s = long_mode();
	u64 lin;

	s.fs.base = 0x7f0000001000ULL;
	s.gs.base = 0xffff800000000000ULL;
	CHECK_EQ(try_access(&s, SEG_FS, 0x20, 1, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x7f0000001020ULL);
	CHECK_EQ(try_access(&s, SEG_GS, 0x30, 2, true, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0xffff800000000030ULL);
}

TEST(long_mode_checks_no_limit_nor_type)
{
	struct guest_sregs s = long_mode();
	u64 lin;

	s.ds = (struct segment){ .attr = A_DATA_RO, .limit = 0xf };
	s.es = (struct segment){ .attr = A_NULL };
	CHECK_EQ(try_access(&s, SEG_DS, 0x123456789ULL, 4, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x123456789ULL);
	CHECK_EQ(try_access(&s, SEG_ES, 0x5000, 4, true, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x5000);
}

TEST(non_canonical_is_gp_not_pf)
{
	struct guest_sregs s = long_mode();
	u64 lin;

	CHECK_EQ(try_access(&s, SEG_DS, 0x0000800000000000ULL, 1, false, &lin), SEG_FAULT_GP);
	CHECK_EQ(try_access(&s, SEG_ES, 0x8000000000000000ULL, 1, true, &lin), SEG_FAULT_GP);
	CHECK_EQ(try_access(&s, SEG_DS, 0xffff7fffffffffffULL, 1, false, &lin), SEG_FAULT_GP);
	/* the lowest and highest canonical bytes are fine */
	CHECK_EQ(try_access(&s, SEG_DS, 0x00007fffffffffffULL, 1, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_DS, 0xffff800000000000ULL, 1, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0xffff800000000000ULL);
}

TEST(element_ending_past_canonical_is_gp)
{
	struct guest_sregs s = long_mode();
	u64 lin;

	CHECK_EQ(try_access(&s, SEG_DS, 0x00007ffffffffffeULL, 2, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_DS, 0x00007ffffffffffeULL, 4, false, &lin), SEG_FAULT_GP);
}

TEST(fs_base_can_make_an_address_non_canonical)
{
	struct guest_sregs s = long_mode();
	u64 lin;

	s.fs.base = 0x00007ffffffff000ULL;
	CHECK_EQ(try_access(&s, SEG_FS, 0xfff, 1, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_FS, 0x1000, 1, false, &lin), SEG_FAULT_GP);
}

TEST(non_canonical_through_ss_is_ss)
{
	struct guest_sregs s = long_mode();
	u64 lin;

	CHECK_EQ(try_access(&s, SEG_SS, 0x0000900000000000ULL, 4, false, &lin), SEG_FAULT_SS);
}

TEST(la57_widens_canonical_addresses)
{
	struct guest_sregs s = long_mode();
	u64 lin;

	s.cr4 |= BIT(12);
	CHECK_EQ(try_access(&s, SEG_DS, 0x0000800000000000ULL, 1, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_DS, 0x0100000000000000ULL, 1, false, &lin), SEG_FAULT_GP);
}

TEST(protected_mode_adds_base_and_wraps_at_4g)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	s.ds.base = 0x10000;
	s.es.base = 0xfffff000;
	CHECK_EQ(try_access(&s, SEG_DS, 0x234, 2, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x10234);
	CHECK_EQ(try_access(&s, SEG_ES, 0x2000, 1, true, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x1000);
}

TEST(protected_mode_uses_every_segment_base)
{
	struct guest_sregs s = prot_mode();
	enum seg_reg segs[] = { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };
	struct segment *regs[] = { &s.es, &s.cs, &s.ss, &s.ds, &s.fs, &s.gs };
	u64 lin;

	for (unsigned i = 0; i < 6; i++)
		regs[i]->base = 0x1000 * (i + 1);
	for (unsigned i = 0; i < 6; i++) {
		CHECK_EQ(try_access(&s, segs[i], 0x10, 1, false, &lin), SEG_FAULT_NONE);
		CHECK_EQ(lin, 0x1000 * (i + 1) + 0x10);
	}
}

TEST(compatibility_mode_uses_bases_and_limits)
{
	struct guest_sregs s = long_mode();
	u64 lin;

	s.cs = flat(A_CODE_XR); /* L=0: 32-bit code under long mode */
	s.ds.base = 0x4000;
	s.ds.limit = 0xffff;
	CHECK_EQ(try_access(&s, SEG_DS, 0x10, 4, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x4010);
	CHECK_EQ(try_access(&s, SEG_DS, 0xfffe, 4, false, &lin), SEG_FAULT_GP);
}

TEST(expand_up_limit_covers_every_byte)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	s.ds.limit = 0xfff;
	CHECK_EQ(try_access(&s, SEG_DS, 0xffc, 4, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_DS, 0xffd, 4, false, &lin), SEG_FAULT_GP);
	CHECK_EQ(try_access(&s, SEG_DS, 0x1000, 1, false, &lin), SEG_FAULT_GP);
	CHECK_EQ(try_access(&s, SEG_DS, 0xfff, 1, false, &lin), SEG_FAULT_NONE);
}

TEST(limit_violation_through_ss_is_ss)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	s.ss.limit = 0xfff;
	CHECK_EQ(try_access(&s, SEG_SS, 0xfff, 2, false, &lin), SEG_FAULT_SS);
	CHECK_EQ(try_access(&s, SEG_SS, 0xffe, 2, false, &lin), SEG_FAULT_NONE);
}

TEST(flat_segment_access_past_4g_is_gp)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	CHECK_EQ(try_access(&s, SEG_DS, 0xfffffffc, 4, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_DS, 0xfffffffe, 4, false, &lin), SEG_FAULT_GP);
}

TEST(expand_down_allows_only_above_the_limit)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	s.es = (struct segment){ .attr = A_DATA_RW_DOWN, .limit = 0xfff, .base = 0x100000 };
	CHECK_EQ(try_access(&s, SEG_ES, 0xfff, 1, true, &lin), SEG_FAULT_GP);
	CHECK_EQ(try_access(&s, SEG_ES, 0xffe, 4, true, &lin), SEG_FAULT_GP);
	CHECK_EQ(try_access(&s, SEG_ES, 0x1000, 4, true, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x101000);
	CHECK_EQ(try_access(&s, SEG_ES, 0xfffffffc, 4, true, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_ES, 0xfffffffe, 4, true, &lin), SEG_FAULT_GP);
}

TEST(expand_down_without_b_ends_at_64k)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	s.ds = (struct segment){ .attr = A_DATA_RW_DOWN16, .limit = 0x7fff };
	CHECK_EQ(try_access(&s, SEG_DS, 0x8000, 2, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_DS, 0xfffe, 2, false, &lin), SEG_FAULT_NONE);
	CHECK_EQ(try_access(&s, SEG_DS, 0xffff, 2, false, &lin), SEG_FAULT_GP);
	CHECK_EQ(try_access(&s, SEG_DS, 0x7fff, 1, false, &lin), SEG_FAULT_GP);
}

TEST(expand_down_stack_faults_are_ss)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	s.ss = (struct segment){ .attr = A_DATA_RW_DOWN, .limit = 0xffff };
	CHECK_EQ(try_access(&s, SEG_SS, 0xfffe, 2, false, &lin), SEG_FAULT_SS);
	CHECK_EQ(try_access(&s, SEG_SS, 0x10000, 2, false, &lin), SEG_FAULT_NONE);
}

TEST(ins_into_read_only_or_code_segment_is_gp)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	s.es = flat(A_DATA_RO);
	CHECK_EQ(try_access(&s, SEG_ES, 0x1000, 1, true, &lin), SEG_FAULT_GP);
	CHECK_EQ(try_access(&s, SEG_ES, 0x1000, 1, false, &lin), SEG_FAULT_NONE);
	s.es = flat(A_CODE_XR);
	CHECK_EQ(try_access(&s, SEG_ES, 0x1000, 1, true, &lin), SEG_FAULT_GP);
}

TEST(outs_from_code_segment_needs_read_permission)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	CHECK_EQ(try_access(&s, SEG_CS, 0x1000, 4, false, &lin), SEG_FAULT_NONE);
	s.cs = flat(A_CODE_X);
	CHECK_EQ(try_access(&s, SEG_CS, 0x1000, 4, false, &lin), SEG_FAULT_GP);
}

TEST(null_segment_is_gp_in_protected_mode)
{
	struct guest_sregs s = prot_mode();
	u64 lin;

	s.fs = (struct segment){ .attr = A_NULL, .limit = 0xffffffff };
	CHECK_EQ(try_access(&s, SEG_FS, 0x1000, 1, false, &lin), SEG_FAULT_GP);
}

TEST(real_mode_checks_limits_but_not_types)
{
	struct guest_sregs s = { 0 };
	u64 lin;

	s.cs = (struct segment){ .attr = A_CODE16, .limit = 0xffff, .base = 0xf0000 };
	s.ds = (struct segment){ .attr = A_DATA_RO, .limit = 0xffff, .base = 0x12340 };
	CHECK_EQ(try_access(&s, SEG_DS, 0x10, 1, true, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x12350);
	CHECK_EQ(try_access(&s, SEG_DS, 0xffff, 2, true, &lin), SEG_FAULT_GP);
}

TEST(virtual_8086_mode_checks_no_types)
{
	struct guest_sregs s = prot_mode();
	struct seg_access a = { SEG_ES, 0x10, 1, true };
	u64 lin;

	s.es = (struct segment){ .attr = A_DATA_RO, .limit = 0xffff, .base = 0x20000 };
	CHECK_EQ(seg_linear(&s, RFLAGS_BASE | BIT(17), &a, &lin), SEG_FAULT_NONE);
	CHECK_EQ(lin, 0x20010);
	CHECK_EQ(seg_linear(&s, RFLAGS_BASE, &a, &lin), SEG_FAULT_GP);
}

TEST(code_mode_follows_efer_lma_and_cs)
{
	struct guest_sregs s = long_mode();

	CHECK_EQ(seg_code_mode(&s), CPU_MODE_64);
	s.cs.attr = A_CODE_XR;
	CHECK_EQ(seg_code_mode(&s), CPU_MODE_32);
	s.cs.attr = A_CODE16;
	CHECK_EQ(seg_code_mode(&s), CPU_MODE_16);
	s = prot_mode();
	s.cs.attr = A_CODE64; /* L without LMA: not 64-bit */
	CHECK_EQ(seg_code_mode(&s), CPU_MODE_16);
}

/* ---- prefixes ---- */

struct prefix_case {
	enum cpu_mode mode;
	u8 n;
	u8 b[16];
	int rc;
	u8 addr_size;
	enum seg_reg seg;
};

static const struct prefix_case prefix_cases[] = {
	/* defaults of each code size */
	{ CPU_MODE_64, 1, { 0x6e }, 0, 8, SEG_DS },
	{ CPU_MODE_32, 1, { 0x6f }, 0, 4, SEG_DS },
	{ CPU_MODE_16, 1, { 0x6c }, 0, 2, SEG_DS },
	/* 0x67 toggles the address size */
	{ CPU_MODE_64, 2, { 0x67, 0x6e }, 0, 4, SEG_DS },
	{ CPU_MODE_32, 2, { 0x67, 0x6d }, 0, 2, SEG_DS },
	{ CPU_MODE_16, 2, { 0x67, 0x6f }, 0, 4, SEG_DS },
	/* REP and operand-size prefixes change neither */
	{ CPU_MODE_64, 3, { 0xf3, 0x66, 0x6f }, 0, 8, SEG_DS },
	{ CPU_MODE_64, 4, { 0xf3, 0x67, 0x65, 0x6e }, 0, 4, SEG_GS },
	/* overrides: FS/GS in every mode, the others outside 64-bit mode */
	{ CPU_MODE_64, 2, { 0x64, 0x6e }, 0, 8, SEG_FS },
	{ CPU_MODE_64, 2, { 0x65, 0x6f }, 0, 8, SEG_GS },
	{ CPU_MODE_64, 2, { 0x2e, 0x6e }, 0, 8, SEG_DS },
	{ CPU_MODE_64, 2, { 0x36, 0x6e }, 0, 8, SEG_DS },
	{ CPU_MODE_64, 2, { 0x26, 0x6e }, 0, 8, SEG_DS },
	{ CPU_MODE_32, 2, { 0x2e, 0x6e }, 0, 4, SEG_CS },
	{ CPU_MODE_32, 2, { 0x36, 0x6e }, 0, 4, SEG_SS },
	{ CPU_MODE_32, 2, { 0x26, 0x6e }, 0, 4, SEG_ES },
	{ CPU_MODE_16, 2, { 0x64, 0x6e }, 0, 2, SEG_FS },
	/* the last override wins; an ignored one does not undo FS */
	{ CPU_MODE_32, 3, { 0x64, 0x65, 0x6e }, 0, 4, SEG_GS },
	{ CPU_MODE_64, 3, { 0x64, 0x3e, 0x6e }, 0, 8, SEG_FS },
	/* REX is a prefix only in 64-bit mode */
	{ CPU_MODE_64, 3, { 0x64, 0x48, 0x6e }, 0, 8, SEG_FS },
	{ CPU_MODE_32, 2, { 0x48, 0x6e }, -EINVAL, 0, SEG_DS },
	/* not INS/OUTS, cut short, or longer than 15 bytes */
	{ CPU_MODE_64, 1, { 0xe6 }, -EINVAL, 0, SEG_DS },
	{ CPU_MODE_64, 2, { 0x64, 0x90 }, -EINVAL, 0, SEG_DS },
	{ CPU_MODE_64, 2, { 0x64, 0x67 }, -EINVAL, 0, SEG_DS },
	{ CPU_MODE_64, 0, { 0x6e }, -EINVAL, 0, SEG_DS },
	{ CPU_MODE_64, 15, { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
			     0x66, 0x66, 0x66, 0x66, 0x66, 0x64, 0x6e }, 0, 8, SEG_FS },
	{ CPU_MODE_64, 16, { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
			     0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x64, 0x6e }, -EINVAL, 0, SEG_DS },
};

TEST(prefix_cases)
{
	for (size_t i = 0; i < sizeof(prefix_cases) / sizeof(prefix_cases[0]); i++) {
		const struct prefix_case *c = &prefix_cases[i];
		struct string_insn out = { 0, SEG_UNKNOWN };
		int rc = string_insn_decode(c->b, c->n, c->mode, &out);

		if (rc != c->rc || (!rc && (out.addr_size != c->addr_size || out.seg != c->seg)))
			printf("  prefix case %zu: rc %d size %u seg %d\n", i, rc,
			       out.addr_size, out.seg);
		CHECK_EQ(rc, c->rc);
		if (!c->rc) {
			CHECK_EQ(out.addr_size, c->addr_size);
			CHECK_EQ(out.seg, c->seg);
		}
	}
}

TEST(decode_reads_no_byte_past_avail)
{
	u8 *b = malloc(3); /* ASan reports a read past it */
	struct string_insn out;

	b[0] = 0x64;
	b[1] = 0x67;
	b[2] = 0x66;
	CHECK_EQ(string_insn_decode(b, 3, CPU_MODE_64, &out), -EINVAL);
	free(b);
}

RUN_TESTS("string_io", T(long_mode_ignores_es_cs_ss_ds_bases),
	  T(long_mode_applies_fs_and_gs_bases), T(long_mode_checks_no_limit_nor_type),
	  T(non_canonical_is_gp_not_pf), T(element_ending_past_canonical_is_gp),
	  T(fs_base_can_make_an_address_non_canonical), T(non_canonical_through_ss_is_ss),
	  T(la57_widens_canonical_addresses), T(protected_mode_adds_base_and_wraps_at_4g),
	  T(protected_mode_uses_every_segment_base), T(compatibility_mode_uses_bases_and_limits),
	  T(expand_up_limit_covers_every_byte), T(limit_violation_through_ss_is_ss),
	  T(flat_segment_access_past_4g_is_gp), T(expand_down_allows_only_above_the_limit),
	  T(expand_down_without_b_ends_at_64k), T(expand_down_stack_faults_are_ss),
	  T(ins_into_read_only_or_code_segment_is_gp),
	  T(outs_from_code_segment_needs_read_permission),
	  T(null_segment_is_gp_in_protected_mode), T(real_mode_checks_limits_but_not_types),
	  T(virtual_8086_mode_checks_no_types), T(code_mode_follows_efer_lma_and_cs),
	  T(prefix_cases), T(decode_reads_no_byte_past_avail))
