/* The guest's CPUID view computed from recorded host tables: a
 * Skylake-X-like Intel CPU (as a Linux host sees it, microcode with the
 * speculation-control bits) and an EPYC-like (Rome) AMD CPU. The expected
 * values are worked out by hand from the SDM/APM bit positions, not from
 * the masks of the code under test. */
#include "check.h"
#include "../../hv/cpuid_policy.c"
#include "../../arch/x86/xcr0.c"

#define ANY 0xffffffffu /* a leaf that ignores the subleaf */
#define MAX_ENTRIES 64

struct entry {
	u32 leaf, subleaf;
	struct cpuid_result r;
};

struct cpu {
	struct entry e[MAX_ENTRIES];
	size_t n;
	/* Intel answers a leaf beyond its maximum with the data of the
	 * highest basic leaf; AMD with zeros. */
	bool intel_beyond_max;
	bool all_ones; /* every leaf reads 0xffffffff in every register */
};

static const struct entry skylake_x[] = {
	{ 0x0, ANY, { 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 } }, /* GenuineIntel */
	{ 0x1, ANY, { 0x00050654, 0x0c100800, 0x7ffefbff, 0xbfebfbff } },
	{ 0x2, ANY, { 0x76036301, 0x00f0b5ff, 0x00000000, 0x00c30000 } },
	{ 0x4, 0, { 0x7c004121, 0x01c0003f, 0x0000003f, 0x00000000 } },
	{ 0x4, 1, { 0x7c004122, 0x01c0003f, 0x0000003f, 0x00000000 } },
	{ 0x4, 2, { 0x7c004143, 0x03c0003f, 0x000003ff, 0x00000000 } },
	{ 0x4, 3, { 0x7c0fc163, 0x0280003f, 0x00002fff, 0x00000004 } },
	{ 0x5, ANY, { 0x40, 0x40, 0x3, 0x00002020 } },
	{ 0x6, ANY, { 0x77, 0x2, 0x9, 0x0 } },
	{ 0x7, 0, { 0x0, 0xd39ffffb, 0x00000018, 0xbc000400 } },
	{ 0xa, ANY, { 0x07300404, 0x0, 0x0, 0x00000603 } },
	{ 0xb, 0, { 0x1, 0x2, 0x100, 0x0c } },
	{ 0xb, 1, { 0x5, 0xc, 0x201, 0x0c } },
	{ 0xd, 0, { 0x2ff, 0xa88, 0xa88, 0x0 } },
	{ 0xd, 1, { 0xf, 0xa08, 0x100, 0x0 } },
	{ 0xd, 2, { 0x100, 0x240, 0x0, 0x0 } },  /* AVX */
	{ 0xd, 3, { 0x40, 0x3c0, 0x0, 0x0 } },   /* MPX BNDREGS */
	{ 0xd, 4, { 0x40, 0x400, 0x0, 0x0 } },   /* MPX BNDCSR */
	{ 0xd, 5, { 0x40, 0x440, 0x0, 0x0 } },   /* opmask */
	{ 0xd, 6, { 0x200, 0x480, 0x0, 0x0 } },  /* ZMM_Hi256 */
	{ 0xd, 7, { 0x400, 0x680, 0x0, 0x0 } },  /* Hi16_ZMM */
	{ 0xd, 8, { 0x80, 0x0, 0x1, 0x0 } },     /* PT (supervisor) */
	{ 0xd, 9, { 0x8, 0xa80, 0x0, 0x0 } },    /* PKRU */
	{ 0xf, 0, { 0x0, 0xbf, 0x0, 0x2 } },
	{ 0x10, 0, { 0x0, 0xa, 0x0, 0x0 } },
	{ 0x14, 0, { 0x1, 0xf, 0x7, 0x0 } },
	{ 0x15, ANY, { 0x2, 0xe0, 0x0, 0x0 } },
	{ 0x16, ANY, { 0xdac, 0xfa0, 0x64, 0x0 } },
	{ 0x80000000, ANY, { 0x80000008, 0x0, 0x0, 0x0 } },
	{ 0x80000001, ANY, { 0x0, 0x0, 0x00000121, 0x2c100800 } },
	{ 0x80000006, ANY, { 0x0, 0x0, 0x01006040, 0x0 } },
	{ 0x80000007, ANY, { 0x0, 0x0, 0x0, 0x100 } },
	{ 0x80000008, ANY, { 0x0000302e, 0x0, 0x0, 0x0 } },
};

static const struct entry epyc[] = {
	{ 0x0, ANY, { 0x10, 0x68747541, 0x444d4163, 0x69746e65 } }, /* AuthenticAMD */
	{ 0x1, ANY, { 0x00830f10, 0x2a800800, 0x7ef8320b, 0x178bfbff } },
	{ 0x5, ANY, { 0x40, 0x40, 0x3, 0x11 } },
	{ 0x6, ANY, { 0x4, 0x0, 0x1, 0x0 } },
	{ 0x7, 0, { 0x0, 0x219c91a9, 0x00400004, 0x0 } },
	{ 0xb, 0, { 0x1, 0x2, 0x100, 0x2a } },
	{ 0xb, 1, { 0x7, 0x80, 0x201, 0x2a } },
	{ 0xd, 0, { 0x7, 0x340, 0x340, 0x0 } },
	{ 0xd, 1, { 0xf, 0x340, 0x0, 0x0 } },
	{ 0xd, 2, { 0x100, 0x240, 0x0, 0x0 } },
	{ 0xf, 0, { 0x0, 0xff, 0x0, 0x2 } },
	{ 0x10, 0, { 0x0, 0x2, 0x0, 0x0 } },
	{ 0x80000000, ANY, { 0x8000001f, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x80000001, ANY, { 0x00830f10, 0x40000000, 0x75c237ff, 0x2fd3fbff } },
	{ 0x80000005, ANY, { 0xff40ff40, 0xff40ff40, 0x20080140, 0x20080140 } },
	{ 0x80000006, ANY, { 0x48006400, 0x68006400, 0x02006140, 0x01009140 } },
	{ 0x80000007, ANY, { 0x0, 0x1b, 0x0, 0x6799 } },
	{ 0x80000008, ANY, { 0x00003030, 0x0104d217, 0x0000707f, 0x00010000 } },
	{ 0x8000000a, ANY, { 0x1, 0x8000, 0x0, 0x0001bcff } },
	{ 0x8000001d, 0, { 0x00004121, 0x01c0003f, 0x3f, 0x0 } },
	{ 0x8000001e, ANY, { 0x2a, 0x0115, 0x0, 0x0 } },
	{ 0x8000001f, ANY, { 0x0001000f, 0x16f, 0x1fd, 0x1 } },
};

static void add_brand(struct cpu *c, const char *brand)
{
	char s[48] = { 0 };

	memcpy(s, brand, strlen(brand));
	for (u32 i = 0; i < 3; i++) {
		struct entry *e = &c->e[c->n++];

		e->leaf = 0x80000002 + i;
		e->subleaf = ANY;
		memcpy(&e->r, s + 16 * i, 16);
	}
}

static struct cpu make_cpu(const struct entry *e, size_t n, const char *brand,
			   bool intel)
{
	struct cpu c = { .n = n, .intel_beyond_max = intel };

	memcpy(c.e, e, n * sizeof(*e));
	add_brand(&c, brand);
	return c;
}

static struct cpu intel(void)
{
	return make_cpu(skylake_x, ARRAY_SIZE(skylake_x),
			"Intel(R) Core(TM) i7-7800X CPU @ 3.50GHz", true);
}

static struct cpu amd(void)
{
	return make_cpu(epyc, ARRAY_SIZE(epyc), "AMD EPYC 7742 64-Core Processor", false);
}

static struct cpu all_ones(void)
{
	return (struct cpu){ .all_ones = true };
}

static const struct entry *lookup(const struct cpu *c, u32 leaf, u32 subleaf)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].leaf == leaf &&
		    (c->e[i].subleaf == ANY || c->e[i].subleaf == subleaf))
			return &c->e[i];
	return NULL;
}

/* The register set of an entry, for a test to change the table. */
static struct cpuid_result *reg(struct cpu *c, u32 leaf, u32 subleaf)
{
	struct entry *e = (struct entry *)lookup(c, leaf, subleaf);

	if (!e) {
		e = &c->e[c->n++];
		*e = (struct entry){ leaf, subleaf, { 0, 0, 0, 0 } };
	}
	return &e->r;
}

static bool beyond_max(const struct cpu *c, u32 leaf)
{
	const struct entry *max = lookup(c, leaf & 0x80000000, 0);

	return !max || leaf > max->r.eax;
}

static struct cpuid_result table_read(const void *ctx, u32 leaf, u32 subleaf)
{
	const struct cpu *c = ctx;
	const struct entry *e;

	if (c->all_ones)
		return (struct cpuid_result){ ALL, ALL, ALL, ALL };
	if (c->intel_beyond_max && beyond_max(c, leaf))
		leaf = lookup(c, 0, 0)->r.eax;
	e = lookup(c, leaf, subleaf);
	return e ? e->r : (struct cpuid_result){ 0, 0, 0, 0 };
}

#define TSC_KHZ 2893421u /* what the host's TSC leaf reports */

static const struct cpuid_vcpu_state vcpu0 = { .vcpu_id = 0, .cr4 = 0x20, .xcr0 = 1 };

static struct cpuid_result ask_as(const struct cpu *c, const struct cpuid_vcpu_state *st,
				  u32 leaf, u32 subleaf)
{
	struct cpuid_host h = { table_read, c, TSC_KHZ };
	struct cpuid_result r;

	memset(&r, 0xa5, sizeof(r));
	cpuid_guest_view(&h, st, leaf, subleaf, &r);
	return r;
}

static struct cpuid_result ask(const struct cpu *c, u32 leaf, u32 subleaf)
{
	return ask_as(c, &vcpu0, leaf, subleaf);
}

static u64 offered_xcr0(const struct cpu *c)
{
	struct cpuid_host h = { table_read, c, TSC_KHZ };

	return cpuid_offered_xcr0(&h);
}

static bool is_zero(struct cpuid_result r)
{
	return !(r.eax | r.ebx | r.ecx | r.edx);
}

#define CHECK_REGS(r, a, b, c, d)                                            \
	do {                                                                 \
		struct cpuid_result r_ = (r);                                \
		CHECK_EQ(r_.eax, a);                                         \
		CHECK_EQ(r_.ebx, b);                                         \
		CHECK_EQ(r_.ecx, c);                                         \
		CHECK_EQ(r_.edx, d);                                         \
	} while (0)

/* --- ranges ------------------------------------------------------------ */

TEST(max_leaf_capped)
{
	struct cpu c = intel();

	CHECK_REGS(ask(&c, 0, 0), 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	for (u32 leaf = 0xe; leaf <= 0x16; leaf++)
		for (u32 sub = 0; sub < 2; sub++)
			CHECK(is_zero(ask(&c, leaf, sub)));
}

TEST(ext_max_leaf_capped)
{
	struct cpu c = amd();

	CHECK_REGS(ask(&c, 0x80000000, 0), 0x80000008, 0x68747541, 0x444d4163, 0x69746e65);
	for (u32 leaf = 0x80000009; leaf <= 0x80000020; leaf++)
		CHECK(is_zero(ask(&c, leaf, 0)));
}

TEST(leaf_above_host_max_zero)
{
	struct cpu c = intel();

	reg(&c, 0, 0)->eax = 0x7; /* an older CPU: leaves 8.. answer as leaf 7 */
	CHECK_EQ(ask(&c, 0, 0).eax, 0x7);
	CHECK(is_zero(ask(&c, 0xd, 0)));
	CHECK(is_zero(ask(&c, 0xd, 2)));
	CHECK_EQ(offered_xcr0(&c), 0);
	CHECK_EQ(ask(&c, 7, 0).ebx, 0xd19f23e9);
}

TEST(ext_leaf_above_host_max_zero)
{
	struct cpu c = intel();

	reg(&c, 0x80000000, 0)->eax = 0x80000004;
	CHECK_EQ(ask(&c, 0x80000000, 0).eax, 0x80000004);
	CHECK(is_zero(ask(&c, 0x80000006, 0)));
	CHECK(is_zero(ask(&c, 0x80000007, 0)));
	CHECK(is_zero(ask(&c, 0x80000008, 0)));
	reg(&c, 0x80000000, 0)->eax = 0; /* no extended leaves at all */
	CHECK(is_zero(ask(&c, 0x80000000, 0)));
	CHECK(is_zero(ask(&c, 0x80000001, 0)));
}

TEST(unlisted_ranges_zero)
{
	struct cpu c = intel(); /* answers them with leaf 0x16's data */
	static const u32 leaves[] = { 0x20000000, 0x40010000, 0x7fffffff,
				      0x8fffffff, 0xc0000000, 0xc0000001, 0xffffffff };

	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++)
		CHECK(is_zero(ask(&c, leaves[i], 0)));
}

TEST(hypervisor_leaves_unchanged)
{
	struct cpu c = intel();
	struct cpuid_result r = ask(&c, 0x40000000, 0);
	char sig[13] = { 0 };

	CHECK_EQ(r.eax, 0x40000010);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	CHECK_STR(sig, "MicroHVisor!");
	CHECK_REGS(ask(&c, 0x40000001, 0), HV_ABI_VERSION, 0, 0, 0);
	CHECK(is_zero(ask(&c, 0x40000002, 0)));
	CHECK(is_zero(ask(&c, 0x4000000f, 0)));
	CHECK_REGS(ask(&c, 0x40000010, 0), TSC_KHZ, 0, 0, 0);
	CHECK(is_zero(ask(&c, 0x40000011, 0)));
	CHECK(is_zero(ask(&c, 0x4000ffff, 0)));
}

/* --- leaf 1 ------------------------------------------------------------ */

TEST(leaf1_ecx_allowlist_intel)
{
	struct cpu c = intel();

	/* 0x7ffefbff less DTES64, MONITOR, DS-CPL, VMX, SMX, EST, TM2, SDBG,
	 * xTPR, PDCM, DCA, x2APIC, TSC-deadline, OSXSAVE; plus bit 31. */
	CHECK_EQ(ask(&c, 1, 0).ecx, 0xf6da3203);
}

TEST(leaf1_ecx_allowlist_amd)
{
	struct cpu c = amd();

	CHECK_EQ(ask(&c, 1, 0).ecx, 0xf6d83203);
}

TEST(leaf1_hides_x2apic)
{
	struct cpu c = intel();

	CHECK(reg(&c, 1, 0)->ecx & B(21));
	CHECK(!(ask(&c, 1, 0).ecx & B(21)));
	c = amd();
	CHECK(!(ask(&c, 1, 0).ecx & B(21)));
}

TEST(leaf1_hides_vmx)
{
	struct cpu c = intel();

	CHECK(!(ask(&c, 1, 0).ecx & B(5)));
}

TEST(leaf1_hides_monitor_pdcm_tsc_deadline)
{
	struct cpu c = intel();
	u32 ecx = ask(&c, 1, 0).ecx;

	CHECK(!(ecx & B(3)));
	CHECK(!(ecx & B(15)));
	CHECK(!(ecx & B(24)));
}

TEST(leaf1_sets_hypervisor_bit)
{
	struct cpu c = amd();

	CHECK(ask(&c, 1, 0).ecx & B(31));
}

TEST(leaf1_edx_hides_msr_backed_intel)
{
	struct cpu c = intel();

	/* 0xbfebfbff less MCE, APIC, MTRR, MCA, PAT, DS, ACPI, HTT, TM, PBE. */
	CHECK_EQ(ask(&c, 1, 0).edx, 0x0f8aa97f);
}

TEST(leaf1_edx_hides_htt_amd)
{
	struct cpu c = amd();
	u32 edx = ask(&c, 1, 0).edx;

	CHECK_EQ(edx, 0x078aa97f);
	CHECK(!(edx & B(28)));
}

TEST(leaf1_ebx_apic_id_is_vcpu)
{
	struct cpu c = intel();
	struct cpuid_vcpu_state st = vcpu0;

	CHECK_EQ(ask(&c, 1, 0).ebx, 0x00010800);
	st.vcpu_id = 3;
	CHECK_EQ(ask_as(&c, &st, 1, 0).ebx, 0x03010800);
}

TEST(leaf1_ebx_hides_host_topology)
{
	struct cpu c = amd();

	/* Host: APIC id 0x2a, 128 logical CPUs; guest: id 0, one CPU. */
	CHECK_EQ(ask(&c, 1, 0).ebx, 0x00010800);
	CHECK_EQ(ask(&c, 1, 0).eax, 0x00830f10);
}

TEST(osxsave_follows_guest_cr4)
{
	struct cpu c = intel(); /* the host has CR4.OSXSAVE set */
	struct cpuid_vcpu_state st = vcpu0;

	CHECK(reg(&c, 1, 0)->ecx & B(27));
	CHECK(!(ask_as(&c, &st, 1, 0).ecx & B(27)));
	st.cr4 |= BIT(18);
	CHECK(ask_as(&c, &st, 1, 0).ecx & B(27));
	c = amd();
	reg(&c, 1, 0)->ecx &= ~B(27); /* a host that never set it */
	CHECK(ask_as(&c, &st, 1, 0).ecx & B(27));
	st.cr4 &= ~BIT(18);
	CHECK(!(ask_as(&c, &st, 1, 0).ecx & B(27)));
}

TEST(osxsave_needs_xsave)
{
	struct cpu c = intel();
	struct cpuid_vcpu_state st = vcpu0;

	reg(&c, 1, 0)->ecx &= ~B(26);
	st.cr4 |= BIT(18);
	CHECK(!(ask_as(&c, &st, 1, 0).ecx & B(27)));
}

/* --- leaves 2 to 0xC ---------------------------------------------------- */

TEST(leaf2_passes)
{
	struct cpu c = intel();

	CHECK_REGS(ask(&c, 2, 0), 0x76036301, 0x00f0b5ff, 0, 0x00c30000);
}

TEST(leaf4_hides_core_counts)
{
	struct cpu c = intel();

	CHECK_REGS(ask(&c, 4, 0), 0x121, 0x01c0003f, 0x3f, 0);
	CHECK_REGS(ask(&c, 4, 3), 0x163, 0x0280003f, 0x2fff, 4);
	CHECK(is_zero(ask(&c, 4, 4)));
}

TEST(zero_leaves_intel)
{
	struct cpu c = intel();
	static const u32 leaves[] = { 3, 5, 6, 8, 9, 0xc };

	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++)
		CHECK(is_zero(ask(&c, leaves[i], 0)));
}

TEST(pmu_leaf_hidden)
{
	struct cpu c = intel();

	CHECK(!is_zero(table_read(&c, 0xa, 0)));
	CHECK(is_zero(ask(&c, 0xa, 0)));
}

TEST(topology_hidden_intel)
{
	struct cpu c = intel();

	CHECK(is_zero(ask(&c, 0xb, 0)));
	CHECK(is_zero(ask(&c, 0xb, 1)));
	CHECK_EQ(ask(&c, 4, 2).eax >> 14, 0);
	CHECK_EQ(ask(&c, 1, 0).ebx >> 16, 0x1);
}

TEST(topology_hidden_amd)
{
	struct cpu c = amd();

	CHECK(is_zero(ask(&c, 0xb, 0)));
	CHECK(is_zero(ask(&c, 0x8000001d, 0)));
	CHECK(is_zero(ask(&c, 0x8000001e, 0)));
	CHECK_EQ(ask(&c, 0x80000008, 0).ecx, 0);
	CHECK(!(ask(&c, 0x80000001, 0).ecx & (B(1) | B(22))));
	CHECK_EQ(ask(&c, 1, 0).ebx >> 16, 0x1);
}

/* --- leaf 7 ------------------------------------------------------------ */

TEST(leaf7_allowlist_intel)
{
	struct cpu c = intel();

	/* 0xd39ffffb less TSC_ADJUST, HLE, INVPCID, RTM, PQM, MPX, PQE, PT. */
	CHECK_REGS(ask(&c, 7, 0), 0, 0xd19f23e9, 0, 0);
}

TEST(leaf7_allowlist_amd)
{
	struct cpu c = amd();

	/* 0x219c91a9 less PQM and PQE; ECX keeps UMIP, not RDPID. */
	CHECK_REGS(ask(&c, 7, 0), 0, 0x219c01a9, 0x4, 0);
}

TEST(leaf7_hides_pku)
{
	struct cpu c = intel();

	CHECK_EQ(reg(&c, 7, 0)->ecx, 0x18);
	CHECK(!(ask(&c, 7, 0).ecx & (B(3) | B(4))));
}

TEST(leaf7_other_subleaves_zero)
{
	struct cpu c = intel();

	reg(&c, 7, 0)->eax = 1; /* a newer CPU with subleaf 1 */
	*reg(&c, 7, 1) = (struct cpuid_result){ 0x20, 0, 0, 0 };
	CHECK_EQ(ask(&c, 7, 0).eax, 0);
	CHECK(is_zero(ask(&c, 7, 1)));
	CHECK(is_zero(ask(&c, 7, 2)));
}

TEST(spec_ctrl_hidden_intel)
{
	struct cpu c = intel();

	reg(&c, 7, 0)->edx |= B(30); /* and CORE_CAPABILITIES */
	CHECK_EQ(ask(&c, 7, 0).edx, 0);
	CHECK_EQ(ask(&c, 0x80000008, 0).ebx, 0);
}

TEST(spec_ctrl_hidden_amd)
{
	struct cpu c = amd();

	reg(&c, 0x80000008, 0)->ebx |= B(25); /* VIRT_SSBD, as from a hypervisor below */
	/* CLZERO, XSAVEERPTR, WBNOINVD stay; IRPERF, RDPRU, IBPB, IBRS,
	 * STIBP, IBRS-preferred, SSBD, VIRT_SSBD go. */
	CHECK_EQ(ask(&c, 0x80000008, 0).ebx, 0x205);
}

/* --- leaf 0xD ----------------------------------------------------------- */

TEST(xcr0_mask_intel)
{
	struct cpu c = intel();

	/* Host 0x2ff: MPX and PKRU are not offered. */
	CHECK_EQ(offered_xcr0(&c), 0xe7);
	CHECK_REGS(ask(&c, 0xd, 0), 0xe7, 0x240, 0xa80, 0);
}

TEST(xcr0_mask_amd)
{
	struct cpu c = amd();

	CHECK_EQ(offered_xcr0(&c), 0x7);
	CHECK_REGS(ask(&c, 0xd, 0), 0x7, 0x240, 0x340, 0);
}

TEST(xcr0_mask_without_avx512)
{
	struct cpu c = intel();

	reg(&c, 7, 0)->ebx &= ~B(16);
	CHECK_EQ(offered_xcr0(&c), 0x7);
	CHECK_EQ(ask(&c, 0xd, 0).ecx, 0x340);
	CHECK(is_zero(ask(&c, 0xd, 5)));
}

TEST(xcr0_mask_without_avx)
{
	struct cpu c = intel();

	reg(&c, 1, 0)->ecx &= ~B(28);
	/* AVX-512 state needs AVX state: neither is offered. */
	CHECK_EQ(offered_xcr0(&c), 0x3);
	CHECK_REGS(ask(&c, 0xd, 0), 0x3, 0x240, 0x240, 0);
}

TEST(xcr0_mask_limited_by_host)
{
	struct cpu c = intel();

	reg(&c, 0xd, 0)->eax = 0x27; /* opmask only, not ZMM state */
	CHECK_EQ(offered_xcr0(&c), 0x7);
}

TEST(xcr0_mask_without_xsave)
{
	struct cpu c = amd();

	reg(&c, 1, 0)->ecx &= ~B(26);
	CHECK_EQ(offered_xcr0(&c), 0);
	CHECK(is_zero(ask(&c, 0xd, 0)));
	CHECK(is_zero(ask(&c, 0xd, 1)));
	CHECK(is_zero(ask(&c, 0xd, 2)));
}

TEST(xsave_size_for_guest_xcr0)
{
	struct cpu c = intel();
	struct cpuid_vcpu_state st = vcpu0;

	st.xcr0 = 0x1;
	CHECK_EQ(ask_as(&c, &st, 0xd, 0).ebx, 576);
	st.xcr0 = 0x3;
	CHECK_EQ(ask_as(&c, &st, 0xd, 0).ebx, 576);
	st.xcr0 = 0x7;
	CHECK_EQ(ask_as(&c, &st, 0xd, 0).ebx, 832);
	st.xcr0 = 0xe7;
	CHECK_EQ(ask_as(&c, &st, 0xd, 0).ebx, 2688);
	st.xcr0 = 0x2ff; /* bits not offered do not count */
	CHECK_EQ(ask_as(&c, &st, 0xd, 0).ebx, 2688);
	CHECK_EQ(ask_as(&c, &st, 0xd, 0).ecx, 2688);
}

/* Subleaf 1 keeps XSAVEOPT, XSAVEC and XGETBV 1, never XSAVES: EBX is
 * then the XSAVEC image of the guest's XCR0 (x87 alone: legacy area and
 * header), ECX/EDX (IA32_XSS) stay 0. */
TEST(xsave_subleaf1_hides_xsaves)
{
	struct cpu c = intel();

	CHECK_REGS(ask(&c, 0xd, 1), 0x7, 576, 0, 0);
	c = amd();
	CHECK_REGS(ask(&c, 0xd, 1), 0x7, 576, 0, 0);
}

/* SDM vol. 1, 13.4.3: the compacted image packs the enabled components
 * after the 576 bytes of legacy area and header, each in order, with no
 * gaps unless leaf 0xD marks one 64-byte aligned; only the guest's XCR0
 * counts. Without XSAVEC there is no compacted size. */
TEST(xsave_subleaf1_compacted_size)
{
	struct cpu c = intel();
	struct cpuid_vcpu_state st = vcpu0;

	st.xcr0 = 0x7;
	CHECK_EQ(ask_as(&c, &st, 0xd, 1).ebx, 576 + 256);
	st.xcr0 = 0xe7;
	CHECK_EQ(ask_as(&c, &st, 0xd, 1).ebx, 576 + 256 + 64 + 512 + 1024);
	reg(&c, 0xd, 5)->eax = 8; /* an opmask of 8 bytes: packed, no gap */
	CHECK_EQ(ask_as(&c, &st, 0xd, 1).ebx, 576 + 256 + 8 + 512 + 1024);
	reg(&c, 0xd, 6)->ecx |= B(1); /* ZMM_Hi256 aligned: 840 up to 896 */
	CHECK_EQ(ask_as(&c, &st, 0xd, 1).ebx, 896 + 512 + 1024);
	reg(&c, 0xd, 1)->eax &= ~B(1);
	CHECK_EQ(ask_as(&c, &st, 0xd, 1).ebx, 0);
}

TEST(xsave_components_only_offered)
{
	struct cpu c = intel();

	CHECK_REGS(ask(&c, 0xd, 2), 0x100, 0x240, 0, 0);
	CHECK(is_zero(ask(&c, 0xd, 3)));
	CHECK(is_zero(ask(&c, 0xd, 4)));
	CHECK_REGS(ask(&c, 0xd, 5), 0x40, 0x440, 0, 0);
	CHECK_REGS(ask(&c, 0xd, 6), 0x200, 0x480, 0, 0);
	CHECK_REGS(ask(&c, 0xd, 7), 0x400, 0x680, 0, 0);
	CHECK(is_zero(ask(&c, 0xd, 8)));
	CHECK(is_zero(ask(&c, 0xd, 9)));
	CHECK(is_zero(ask(&c, 0xd, 63)));
	CHECK(is_zero(ask(&c, 0xd, 64)));
	CHECK(is_zero(ask(&c, 0xd, 0xffffffff)));
}

/* --- extended leaves ------------------------------------------------------ */

TEST(ext1_allowlist_amd)
{
	struct cpu c = amd();

	/* ECX 0x75c237ff keeps LAHF, ABM, SSE4A, MisAlignSse, 3DNowPrefetch;
	 * EDX 0x2fd3fbff loses MCE, APIC, MTRR, MCA, PAT and RDTSCP. */
	CHECK_REGS(ask(&c, 0x80000001, 0), 0x00830f10, 0, 0x1e1, 0x27d2a97f);
}

TEST(ext1_allowlist_intel)
{
	struct cpu c = intel();

	CHECK_REGS(ask(&c, 0x80000001, 0), 0, 0, 0x121, 0x24100800);
}

TEST(ext1_hides_svm)
{
	struct cpu c = amd();

	CHECK(!(ask(&c, 0x80000001, 0).ecx & B(2)));
}

TEST(svm_and_sev_leaves_hidden)
{
	struct cpu c = amd();

	CHECK(is_zero(ask(&c, 0x8000000a, 0)));
	CHECK(is_zero(ask(&c, 0x8000001f, 0)));
}

TEST(brand_string_passes)
{
	struct cpu c = amd();
	char brand[49] = { 0 };

	for (u32 i = 0; i < 3; i++) {
		struct cpuid_result r = ask(&c, 0x80000002 + i, 0);

		memcpy(brand + 16 * i, &r, 16);
	}
	CHECK_STR(brand, "AMD EPYC 7742 64-Core Processor");
}

TEST(cache_leaves_pass)
{
	struct cpu c = amd();

	CHECK_REGS(ask(&c, 0x80000005, 0), 0xff40ff40, 0xff40ff40, 0x20080140, 0x20080140);
	CHECK_REGS(ask(&c, 0x80000006, 0), 0x48006400, 0x68006400, 0x02006140, 0x01009140);
}

TEST(ext7_only_invariant_tsc)
{
	struct cpu c = amd();

	CHECK_REGS(ask(&c, 0x80000007, 0), 0, 0, 0, 0x100);
	reg(&c, 0x80000007, 0)->edx &= ~B(8);
	CHECK(is_zero(ask(&c, 0x80000007, 0)));
}

TEST(ext8_address_sizes_only)
{
	struct cpu c = amd();

	CHECK_REGS(ask(&c, 0x80000008, 0), 0x3030, 0x205, 0, 0);
	c = intel();
	CHECK_REGS(ask(&c, 0x80000008, 0), 0x302e, 0, 0, 0);
}

/* --- allowlists: a host with every bit set ------------------------------- */

TEST(allowlist_all_ones)
{
	struct cpu c = all_ones();

	CHECK_REGS(ask(&c, 0, 0), 0xd, ALL, ALL, ALL);
	CHECK_REGS(ask(&c, 1, 0), ALL, 0x0001ff00, 0xf6da3203, 0x0f8aa97f);
	CHECK_REGS(ask(&c, 2, 0), ALL, ALL, ALL, ALL);
	CHECK_REGS(ask(&c, 4, 0), 0x3ff, ALL, ALL, 0x7);
	CHECK_REGS(ask(&c, 7, 0), 0, 0xfdbf23e9, 0x18005f47, 0x411c);
	CHECK_EQ(offered_xcr0(&c), 0xe7);
	CHECK_EQ(ask(&c, 0xd, 0).eax, 0xe7);
	CHECK_EQ(ask(&c, 0xd, 0).edx, 0);
	CHECK_REGS(ask(&c, 0xd, 1), 0x7, 576, 0, 0);
	CHECK_REGS(ask(&c, 0xd, 2), ALL, ALL, 0x2, 0);
	CHECK(is_zero(ask(&c, 0xd, 3)));
	CHECK_REGS(ask(&c, 0x80000000, 0), 0x80000008, ALL, ALL, ALL);
	CHECK_REGS(ask(&c, 0x80000001, 0), ALL, 0, 0x002109e1, 0xe7d2a97f);
	CHECK_REGS(ask(&c, 0x80000007, 0), 0, 0, 0, 0x100);
	CHECK_REGS(ask(&c, 0x80000008, 0), ALL, 0x205, 0, 0);
	for (u32 leaf = 3; leaf <= 0xc; leaf++)
		if (leaf != 4 && leaf != 7)
			CHECK(is_zero(ask(&c, leaf, 0)));
	CHECK(is_zero(ask(&c, 0xe, 0)));
	CHECK(is_zero(ask(&c, 0x80000009, 0)));
}

/* --- a VMM's table (HV_CALL_VM_SET_CPUID) --------------------------- */

#define IDX HV_CPUID_ENTRY_INDEXED

static struct hv_cpuid_entry entry(u32 leaf, u32 flags, u32 index, u32 a, u32 b, u32 c,
				   u32 d)
{
	return (struct hv_cpuid_entry){ leaf, index, flags, a, b, c, d, 0 };
}

/* A table a VMM might give: its own vendor, leaf 1 with less than the
 * host offers, leaf 7 subleaf 0, its own hypervisor leaves. */
static struct cpuid_table vmm_table(void)
{
	struct cpuid_table t = { .count = 6 };

	t.e[0] = entry(0, 0, 0, 7, 0x61746f46, 0x6d6f6b6f, 0x6f6c4d6f); /* FotaokomoMlo */
	t.e[1] = entry(1, 0, 0, 0x000806c1, 0x00010800, B(26) | B(0), B(0) | B(4));
	t.e[2] = entry(7, IDX, 0, 0, B(0) | B(3), 0, 0);
	t.e[3] = entry(0x40000000, 0, 0, 0x40000001, 0x11111111, 0x22222222, 0x33333333);
	t.e[4] = entry(0x40000001, 0, 0, 0xabcd, 0, 0, 0);
	t.e[5] = entry(0x80000000, 0, 0, 0x80000001, 0, 0, 0);
	return t;
}

static u32 check_table(const struct cpu *c, const struct cpuid_table *t)
{
	struct cpuid_host h = { table_read, c, TSC_KHZ };

	return cpuid_table_check(&h, t->e, t->count);
}

TEST(table_answers_what_vmm_set)
{
	struct cpu c = intel();
	struct cpuid_table t = vmm_table();
	struct cpuid_vcpu_state st = { .vcpu_id = 2, .table = &t };

	CHECK_EQ(check_table(&c, &t), t.count);
	CHECK_REGS(ask_as(&c, &st, 0, 0), 7, 0x61746f46, 0x6d6f6b6f, 0x6f6c4d6f);
	CHECK_REGS(ask_as(&c, &st, 0, 5), 7, 0x61746f46, 0x6d6f6b6f, 0x6f6c4d6f);
	/* the APIC id is the vCPU's, whatever the table says */
	CHECK_REGS(ask_as(&c, &st, 1, 0), 0x000806c1, 0x02010800, B(26) | B(0), B(0) | B(4));
	CHECK_REGS(ask_as(&c, &st, 7, 0), 0, B(0) | B(3), 0, 0);
	CHECK_REGS(ask_as(&c, &st, 0x40000000, 0), 0x40000001, 0x11111111, 0x22222222,
		   0x33333333);
	CHECK_REGS(ask_as(&c, &st, 0x40000001, 0), 0xabcd, 0, 0, 0);
}

TEST(table_unlisted_leaves_zero)
{
	struct cpu c = intel();
	struct cpuid_table t = vmm_table();
	struct cpuid_vcpu_state st = { .table = &t };

	CHECK(is_zero(ask_as(&c, &st, 7, 1)));  /* only subleaf 0 is listed */
	CHECK(is_zero(ask_as(&c, &st, 2, 0)));  /* the default has it, the table not */
	CHECK(is_zero(ask_as(&c, &st, 0x40000010, 0)));
	CHECK(is_zero(ask_as(&c, &st, 0x80000001, 0)));
	CHECK(is_zero(ask_as(&c, &st, 0x8000000a, 0)));
}

TEST(table_empty_is_default)
{
	struct cpu c = amd();
	struct cpuid_table t = { .count = 0 };
	struct cpuid_vcpu_state st = vcpu0;

	st.table = &t;
	for (u32 leaf = 0; leaf <= 0xd; leaf++)
		CHECK(!memcmp(&(struct cpuid_result[]){ ask_as(&c, &st, leaf, 0) },
			      &(struct cpuid_result[]){ ask(&c, leaf, 0) }, sizeof(struct cpuid_result)));
}

TEST(table_keeps_xsave_leaf_of_hypervisor)
{
	struct cpu c = intel();
	struct cpuid_table t = vmm_table();
	struct cpuid_vcpu_state st = vcpu0;

	st.table = &t;
	CHECK_EQ(ask_as(&c, &st, 0xd, 0).eax, 0xe7);
	CHECK_EQ(ask_as(&c, &st, 0xd, 0).ebx, 576);
}

TEST(table_osxsave_follows_cr4)
{
	struct cpu c = intel();
	struct cpuid_table t = vmm_table();
	struct cpuid_vcpu_state st = { .table = &t };

	t.e[1].ecx |= B(27); /* the VMM's OSXSAVE counts for nothing */
	CHECK(!(ask_as(&c, &st, 1, 0).ecx & B(27)));
	st.cr4 = BIT(18);
	CHECK(ask_as(&c, &st, 1, 0).ecx & B(27));
	t.e[1].ecx &= ~B(26); /* without XSAVE, never */
	CHECK(!(ask_as(&c, &st, 1, 0).ecx & B(27)));
}

/* Tables the check would refuse, to show the dynamic bits alone. */
TEST(table_ospke_follows_cr4_pke)
{
	struct cpu c = intel();
	struct cpuid_table t = { .count = 1 };
	struct cpuid_vcpu_state st = { .table = &t };

	t.e[0] = entry(7, IDX, 0, 0, 0, B(3) | B(4), 0);
	CHECK_EQ(ask_as(&c, &st, 7, 0).ecx, B(3));
	st.cr4 = BIT(22);
	CHECK_EQ(ask_as(&c, &st, 7, 0).ecx, B(3) | B(4));
	t.e[0].ecx = B(4); /* no PKU, no OSPKE */
	CHECK_EQ(ask_as(&c, &st, 7, 0).ecx, 0);
}

TEST(table_apic_follows_apic_base)
{
	struct cpu c = intel();
	struct cpuid_table t = { .count = 1 };
	struct cpuid_vcpu_state st = { .table = &t };

	t.e[0] = entry(1, 0, 0, 0, 0, 0, B(9) | B(0));
	CHECK_EQ(ask_as(&c, &st, 1, 0).edx, B(0));
	st.apic_enabled = true;
	CHECK_EQ(ask_as(&c, &st, 1, 0).edx, B(9) | B(0));
}

/* The virtual LAPIC offers APIC (while enabled), x2APIC and TSC-deadline,
 * table or not, and its timer's bus clock in the TSC leaf's EBX. */
TEST(lapic_offers_its_bits)
{
	struct cpu c = intel();
	struct cpuid_table t = { .count = 1 };
	struct cpuid_vcpu_state st = { .lapic = true };

	CHECK_EQ(ask_as(&c, &st, 1, 0).ecx & (B(21) | B(24)), B(21) | B(24));
	CHECK_EQ(ask_as(&c, &st, 1, 0).edx & B(9), 0);
	st.apic_enabled = true;
	CHECK_EQ(ask_as(&c, &st, 1, 0).edx & B(9), B(9));
	CHECK_REGS(ask_as(&c, &st, 0x40000010, 0), TSC_KHZ, TSC_KHZ, 0, 0);
	st.table = &t;
	t.e[0] = entry(1, 0, 0, 0, 0, 0, B(0));
	CHECK_EQ(ask_as(&c, &st, 1, 0).ecx, B(21) | B(24));
	CHECK_EQ(ask_as(&c, &st, 1, 0).edx, B(9) | B(0));
}

/* The index of the refused entry when `bad` follows a good table. */
static u32 refused_after_good(const struct cpu *c, struct hv_cpuid_entry bad)
{
	struct cpuid_table t = vmm_table();

	t.e[t.count++] = bad;
	return check_table(c, &t);
}

TEST(table_refuses_unvirtualized_bits)
{
	struct cpu c = intel();

	CHECK_EQ(refused_after_good(&c, entry(0x80000001, 0, 0, 0, 0, 0, B(27))), 6); /* RDTSCP */
	c = amd();
	CHECK_EQ(refused_after_good(&c, entry(0x80000001, 0, 0, 0, 0, B(2), 0)), 6); /* SVM */
	c = intel();
	CHECK_EQ(refused_after_good(&c, entry(0x80000007, 0, 0, 0, 0, 0, B(8) | B(0))), 6);
	CHECK_EQ(refused_after_good(&c, entry(0x80000008, 0, 0, 0x302e, B(12), 0, 0)), 6);
	CHECK_EQ(refused_after_good(&c, entry(0xa, 0, 0, 0x07300404, 0, 0, 0)), 6); /* PMU */
	CHECK_EQ(refused_after_good(&c, entry(0xb, IDX, 0, 1, 2, 0x100, 0)), 6);
	CHECK_EQ(refused_after_good(&c, entry(7, IDX, 1, 1, 0, 0, 0)), 6);
	{
		struct cpuid_table t = vmm_table();

		t.e[1].ecx |= B(5); /* VMX */
		CHECK_EQ(check_table(&c, &t), 1);
		t = vmm_table();
		t.e[1].edx |= B(9); /* the local APIC is not virtualized */
		CHECK_EQ(check_table(&c, &t), 1);
		t = vmm_table();
		t.e[2].ecx |= B(3); /* PKU */
		CHECK_EQ(check_table(&c, &t), 2);
		t = vmm_table();
		t.e[2].edx |= B(26); /* IBRS/IBPB */
		CHECK_EQ(check_table(&c, &t), 2);
	}
}

TEST(table_accepts_what_default_offers)
{
	struct cpu c = intel();
	struct cpuid_table t = { .count = 0 };
	static const u32 leaves[][2] = { { 0, 0 }, { 1, 0 }, { 2, 0 }, { 4, 0 }, { 4, 3 },
					 { 7, 0 }, { 0x80000000, 0 }, { 0x80000001, 0 },
					 { 0x80000004, 0 }, { 0x80000007, 0 }, { 0x80000008, 0 },
					 { 0x40000000, 0 }, { 0x40000010, 0 } };

	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		struct cpuid_vcpu_state st = { .cr4 = BIT(18) };
		struct cpuid_result r = ask_as(&c, &st, leaves[i][0], leaves[i][1]);
		u32 idx = leaves[i][0] == 4 || leaves[i][0] == 7;

		t.e[t.count++] = entry(leaves[i][0], idx, leaves[i][1], r.eax, r.ebx, r.ecx, r.edx);
	}
	CHECK_EQ(check_table(&c, &t), t.count);
	c = amd();
	CHECK_EQ(check_table(&c, &t), 1); /* leaf 1 ECX has Intel-only bits */
}

TEST(table_refuses_malformed_entries)
{
	struct cpu c = intel();
	struct hv_cpuid_entry e = entry(0x40000005, 0, 0, 1, 2, 3, 4);

	CHECK_EQ(refused_after_good(&c, e), 7);
	e.flags = 2;
	CHECK_EQ(refused_after_good(&c, e), 6);
	e.flags = 0;
	e.reserved = 1;
	CHECK_EQ(refused_after_good(&c, e), 6);
	e.reserved = 0;
	e.index = 1; /* a subleaf without HV_CPUID_ENTRY_INDEXED */
	CHECK_EQ(refused_after_good(&c, e), 6);
	CHECK_EQ(refused_after_good(&c, entry(7, 0, 0, 0, 0, 0, 0)), 6); /* leaf 7 unindexed */
	CHECK_EQ(refused_after_good(&c, entry(4, 0, 0, 0, 0, 0, 0)), 6);
	CHECK_EQ(refused_after_good(&c, entry(0xd, IDX, 0, 1, 0, 0, 0)), 6);
	CHECK_EQ(refused_after_good(&c, entry(0xd, IDX, 0, 0, 0, 0, 0)), 6);
}

TEST(table_refuses_overlaps)
{
	struct cpu c = intel();

	CHECK_EQ(refused_after_good(&c, entry(0, 0, 0, 1, 0, 0, 0)), 6);
	CHECK_EQ(refused_after_good(&c, entry(7, IDX, 0, 0, 0, 0, 0)), 6);
	CHECK_EQ(refused_after_good(&c, entry(7, IDX, 1, 0, 0, 0, 0)), 7);
	CHECK_EQ(refused_after_good(&c, entry(0x40000001, IDX, 3, 0, 0, 0, 0)), 6);
}

/* The CPUID memo's premise (hv/cpuid.h): only leaves 1, 7 and 0xD change
 * with the asking vCPU's state. Every leaf and subleaf the policy answers
 * is asked by two vCPUs that differ in every fact; any other leaf must
 * answer both alike, on both vendors, with and without a VMM table. */
static void check_leaves_follow_vcpu_only_where_said(const struct cpu *c,
						      const struct cpuid_table *t)
{
	static const u32 bases[] = { 0, 0x40000000, 0x80000000 };
	struct cpuid_vcpu_state a = { .vcpu_id = 0, .cr4 = 0, .xcr0 = 1, .table = t };
	struct cpuid_vcpu_state b = { .vcpu_id = 5, .cr4 = ~0ull, .xcr0 = 7,
				      .apic_enabled = true, .table = t };

	for (size_t i = 0; i < ARRAY_SIZE(bases); i++)
		for (u32 leaf = bases[i]; leaf < bases[i] + 0x30; leaf++)
			for (u32 sub = 0; sub < 4; sub++) {
				struct cpuid_result ra = ask_as(c, &a, leaf, sub);
				struct cpuid_result rb = ask_as(c, &b, leaf, sub);

				if (!cpuid_leaf_follows_vcpu(leaf))
					CHECK(!memcmp(&ra, &rb, sizeof(ra)));
			}
	/* and the three do follow it */
	CHECK(ask_as(c, &a, 1, 0).ebx != ask_as(c, &b, 1, 0).ebx);
}

TEST(only_leaves_1_7_0xd_follow_the_vcpu)
{
	struct cpu i = intel(), a = amd();
	struct cpuid_table t = vmm_table();

	check_leaves_follow_vcpu_only_where_said(&i, NULL);
	check_leaves_follow_vcpu_only_where_said(&a, NULL);
	check_leaves_follow_vcpu_only_where_said(&i, &t);
	check_leaves_follow_vcpu_only_where_said(&a, &t);
}

TEST(memo_keeps_fixed_leaves_only)
{
	struct cpuid_memo m;
	struct cpuid_result r = { 1, 2, 3, 4 }, got;

	memset(&m, 0, sizeof(m));
	CHECK(!cpuid_memo_get(&m, 0x40000000, 0, &got));
	cpuid_memo_put(&m, 0x40000000, 0, &r);
	CHECK(cpuid_memo_get(&m, 0x40000000, 0, &got));
	CHECK_EQ(got.ecx, 3);
	CHECK(!cpuid_memo_get(&m, 0x40000000, 1, &got)); /* another subleaf */
	for (u32 leaf = 1; leaf <= 0xd; leaf += 6) { /* 1, 7, 0xD */
		u32 l = leaf == 13 ? 0xd : leaf;

		cpuid_memo_put(&m, l, 0, &r);
		CHECK(!cpuid_memo_get(&m, l, 0, &got));
	}
	/* a colliding leaf replaces the slot: the first is asked again */
	cpuid_memo_put(&m, 0x40000000 + CPUID_MEMO_SLOTS, 0, &r);
	CHECK(!cpuid_memo_get(&m, 0x40000000, 0, &got));
	CHECK(cpuid_memo_get(&m, 0x40000000 + CPUID_MEMO_SLOTS, 0, &got));
}

RUN_TESTS("cpuid", T(max_leaf_capped), T(ext_max_leaf_capped),
	  T(leaf_above_host_max_zero), T(ext_leaf_above_host_max_zero),
	  T(unlisted_ranges_zero), T(hypervisor_leaves_unchanged),
	  T(leaf1_ecx_allowlist_intel), T(leaf1_ecx_allowlist_amd),
	  T(leaf1_hides_x2apic), T(leaf1_hides_vmx),
	  T(leaf1_hides_monitor_pdcm_tsc_deadline), T(leaf1_sets_hypervisor_bit),
	  T(leaf1_edx_hides_msr_backed_intel), T(leaf1_edx_hides_htt_amd),
	  T(leaf1_ebx_apic_id_is_vcpu), T(leaf1_ebx_hides_host_topology),
	  T(osxsave_follows_guest_cr4), T(osxsave_needs_xsave), T(leaf2_passes),
	  T(leaf4_hides_core_counts), T(zero_leaves_intel), T(pmu_leaf_hidden),
	  T(topology_hidden_intel), T(topology_hidden_amd),
	  T(leaf7_allowlist_intel), T(leaf7_allowlist_amd), T(leaf7_hides_pku),
	  T(leaf7_other_subleaves_zero), T(spec_ctrl_hidden_intel),
	  T(spec_ctrl_hidden_amd), T(xcr0_mask_intel), T(xcr0_mask_amd),
	  T(xcr0_mask_without_avx512), T(xcr0_mask_without_avx),
	  T(xcr0_mask_limited_by_host), T(xcr0_mask_without_xsave),
	  T(xsave_size_for_guest_xcr0), T(xsave_subleaf1_hides_xsaves),
	  T(xsave_subleaf1_compacted_size),
	  T(xsave_components_only_offered), T(ext1_allowlist_amd),
	  T(ext1_allowlist_intel), T(ext1_hides_svm), T(svm_and_sev_leaves_hidden),
	  T(brand_string_passes), T(cache_leaves_pass), T(ext7_only_invariant_tsc),
	  T(ext8_address_sizes_only), T(allowlist_all_ones),
	  T(table_answers_what_vmm_set), T(table_unlisted_leaves_zero),
	  T(table_empty_is_default), T(table_keeps_xsave_leaf_of_hypervisor),
	  T(table_osxsave_follows_cr4), T(table_ospke_follows_cr4_pke),
	  T(table_apic_follows_apic_base), T(lapic_offers_its_bits), T(table_refuses_unvirtualized_bits),
	  T(table_accepts_what_default_offers), T(table_refuses_malformed_entries),
	  T(table_refuses_overlaps), T(only_leaves_1_7_0xd_follow_the_vcpu),
	  T(memo_keeps_fixed_leaves_only))
