/* What CPUID tells a guest, as a pure function of the host's answers and
 * the asking vCPU's state. Each leaf a guest may see has a row below with
 * the bits that pass from the host: an allowlist, so a feature the host
 * gains later stays hidden until someone decides it is safe. A leaf
 * without a row, or beyond the caps, reads as zeros. Bit positions are
 * those of the Intel SDM (vol. 2A, CPUID) and the AMD APM (vol. 3,
 * appendix E). */
#include "hv/cpuid.h"
#include "abi/hv_boot.h"
#include "arch/x86/cpu.h"
#include "arch/x86/xcr0.h"
#include "lib/string.h"

#define B(n) (1u << (n))
#define ALL 0xffffffffu

#define BASIC_LEAF_CAP 0xdu
#define EXT_LEAF_BASE 0x80000000u
#define EXT_LEAF_CAP 0x80000008u
#define HV_LEAF_LAST HV_CPUID_VERSION


/* Leaf 1 EBX: brand index, CLFLUSH size, logical count, APIC id. */
#define L1_EBX_CLFLUSH_SIZE 0x0000ff00u
#define L1_EBX_ONE_LOGICAL_CPU (1u << 16)
#define L1_EBX_APIC_ID_SHIFT 24

/* Leaf 1 ECX: the plain instruction-set bits. */
#define L1_ECX_SSE3 B(0)
#define L1_ECX_PCLMULQDQ B(1)
#define L1_ECX_SSSE3 B(9)
#define L1_ECX_FMA B(12)
#define L1_ECX_CX16 B(13)
#define L1_ECX_PCID B(17)
#define L1_ECX_SSE4_1 B(19)
#define L1_ECX_SSE4_2 B(20)
#define L1_ECX_MOVBE B(22)
#define L1_ECX_POPCNT B(23)
#define L1_ECX_AES B(25)
#define L1_ECX_XSAVE B(26)
#define L1_ECX_OSXSAVE B(27)
#define L1_ECX_AVX B(28)
#define L1_ECX_F16C B(29)
#define L1_ECX_RDRAND B(30)
#define L1_ECX_HYPERVISOR B(31)
#define L1_ECX_KEEP                                                          \
	(L1_ECX_SSE3 | L1_ECX_PCLMULQDQ | L1_ECX_SSSE3 | L1_ECX_FMA |        \
	 L1_ECX_CX16 | L1_ECX_PCID | L1_ECX_SSE4_1 | L1_ECX_SSE4_2 |         \
	 L1_ECX_MOVBE | L1_ECX_POPCNT | L1_ECX_AES | L1_ECX_XSAVE |          \
	 L1_ECX_AVX | L1_ECX_F16C | L1_ECX_RDRAND)

/* Leaf 1 EDX, also mirrored in 0x80000001 EDX on AMD. Not kept: MCE 7,
 * APIC 9, MTRR 12, MCA 14, PAT 16, PSN 18, DS 21, ACPI 22, HTT 28, TM 29,
 * PBE 31 (their MSRs #GP and the local APIC is not virtualized). */
#define L1_EDX_FPU B(0)
#define L1_EDX_VME B(1)
#define L1_EDX_DE B(2)
#define L1_EDX_PSE B(3)
#define L1_EDX_TSC B(4)
#define L1_EDX_MSR B(5)
#define L1_EDX_PAE B(6)
#define L1_EDX_CX8 B(8)
#define L1_EDX_SEP B(11)
#define L1_EDX_PGE B(13)
#define L1_EDX_CMOV B(15)
#define L1_EDX_PSE36 B(17)
#define L1_EDX_CLFSH B(19)
#define L1_EDX_MMX B(23)
#define L1_EDX_FXSR B(24)
#define L1_EDX_SSE B(25)
#define L1_EDX_SSE2 B(26)
#define L1_EDX_SS B(27)
#define L1_EDX_KEEP                                                          \
	(L1_EDX_FPU | L1_EDX_VME | L1_EDX_DE | L1_EDX_PSE | L1_EDX_TSC |     \
	 L1_EDX_MSR | L1_EDX_PAE | L1_EDX_CX8 | L1_EDX_SEP | L1_EDX_PGE |    \
	 L1_EDX_CMOV | L1_EDX_PSE36 | L1_EDX_CLFSH | L1_EDX_MMX |            \
	 L1_EDX_FXSR | L1_EDX_SSE | L1_EDX_SSE2 | L1_EDX_SS)

/* Leaf 4: cache type, level, self-initializing, fully associative; not
 * the counts of cores (31:26) and threads (25:14) sharing the cache. */
#define L4_EAX_KEEP 0x000003ffu
#define L4_EDX_KEEP (B(0) | B(1) | B(2)) /* WBINVD scope, inclusive, complex */

/* Leaf 7 subleaf 0. */
#define L7_EBX_FSGSBASE B(0)
#define L7_EBX_BMI1 B(3)
#define L7_EBX_AVX2 B(5)
#define L7_EBX_FDP_EXCPTN_ONLY B(6)
#define L7_EBX_SMEP B(7)
#define L7_EBX_BMI2 B(8)
#define L7_EBX_ERMS B(9)
#define L7_EBX_FCS_FDS_DEPRECATED B(13)
#define L7_EBX_AVX512F B(16)
#define L7_EBX_AVX512DQ B(17)
#define L7_EBX_RDSEED B(18)
#define L7_EBX_ADX B(19)
#define L7_EBX_SMAP B(20)
#define L7_EBX_AVX512_IFMA B(21)
#define L7_EBX_CLFLUSHOPT B(23)
#define L7_EBX_CLWB B(24)
#define L7_EBX_AVX512PF B(26)
#define L7_EBX_AVX512ER B(27)
#define L7_EBX_AVX512CD B(28)
#define L7_EBX_SHA B(29)
#define L7_EBX_AVX512BW B(30)
#define L7_EBX_AVX512VL B(31)
#define L7_EBX_KEEP                                                          \
	(L7_EBX_FSGSBASE | L7_EBX_BMI1 | L7_EBX_AVX2 |                       \
	 L7_EBX_FDP_EXCPTN_ONLY | L7_EBX_SMEP | L7_EBX_BMI2 | L7_EBX_ERMS |  \
	 L7_EBX_FCS_FDS_DEPRECATED | L7_EBX_AVX512F | L7_EBX_AVX512DQ |      \
	 L7_EBX_RDSEED | L7_EBX_ADX | L7_EBX_SMAP | L7_EBX_AVX512_IFMA |     \
	 L7_EBX_CLFLUSHOPT | L7_EBX_CLWB | L7_EBX_AVX512PF |                 \
	 L7_EBX_AVX512ER | L7_EBX_AVX512CD | L7_EBX_SHA | L7_EBX_AVX512BW |  \
	 L7_EBX_AVX512VL)

#define L7_ECX_PREFETCHWT1 B(0)
#define L7_ECX_AVX512_VBMI B(1)
#define L7_ECX_UMIP B(2)
#define L7_ECX_AVX512_VBMI2 B(6)
#define L7_ECX_GFNI B(8)
#define L7_ECX_VAES B(9)
#define L7_ECX_VPCLMULQDQ B(10)
#define L7_ECX_AVX512_VNNI B(11)
#define L7_ECX_AVX512_BITALG B(12)
#define L7_ECX_AVX512_VPOPCNTDQ B(14)
#define L7_ECX_MOVDIRI B(27)
#define L7_ECX_MOVDIR64B B(28)
#define L7_ECX_KEEP                                                          \
	(L7_ECX_PREFETCHWT1 | L7_ECX_AVX512_VBMI | L7_ECX_UMIP |             \
	 L7_ECX_AVX512_VBMI2 | L7_ECX_GFNI | L7_ECX_VAES |                   \
	 L7_ECX_VPCLMULQDQ | L7_ECX_AVX512_VNNI | L7_ECX_AVX512_BITALG |     \
	 L7_ECX_AVX512_VPOPCNTDQ | L7_ECX_MOVDIRI | L7_ECX_MOVDIR64B)

/* Not kept in EDX: MD_CLEAR 10 and the SPEC_CTRL family 26-31, since
 * IA32_SPEC_CTRL, PRED_CMD, FLUSH_CMD and the capability MSRs #GP. */
#define L7_EDX_AVX512_4VNNIW B(2)
#define L7_EDX_AVX512_4FMAPS B(3)
#define L7_EDX_FSRM B(4)
#define L7_EDX_AVX512_VP2INTERSECT B(8)
#define L7_EDX_SERIALIZE B(14)
#define L7_EDX_KEEP                                                          \
	(L7_EDX_AVX512_4VNNIW | L7_EDX_AVX512_4FMAPS | L7_EDX_FSRM |         \
	 L7_EDX_AVX512_VP2INTERSECT | L7_EDX_SERIALIZE)

/* Leaf 0xD: XSAVE state components and instructions. */
#define XSAVE_LEGACY_AND_HEADER 576u
#define XSAVE_COMPONENTS 64u
#define XSAVE_1_EAX_KEEP (B(0) | B(1) | B(2)) /* XSAVEOPT, XSAVEC, XGETBV ECX=1 */
#define XSAVE_COMPONENT_ECX_ALIGNED B(1)

/* 0x80000001 ECX (AMD names). */
#define X1_ECX_LAHF_SAHF B(0)
#define X1_ECX_ABM B(5)
#define X1_ECX_SSE4A B(6)
#define X1_ECX_MISALIGN_SSE B(7)
#define X1_ECX_3DNOW_PREFETCH B(8)
#define X1_ECX_XOP B(11)
#define X1_ECX_FMA4 B(16)
#define X1_ECX_TBM B(21)
#define X1_ECX_KEEP                                                          \
	(X1_ECX_LAHF_SAHF | X1_ECX_ABM | X1_ECX_SSE4A | X1_ECX_MISALIGN_SSE | \
	 X1_ECX_3DNOW_PREFETCH | X1_ECX_XOP | X1_ECX_FMA4 | X1_ECX_TBM)

/* 0x80000001 EDX: the leaf 1 mirror bits (without the MSR-backed ones)
 * and the extended ones; not RDTSCP 27 (IA32_TSC_AUX is not switched
 * between vCPUs, so the instruction raises #UD). */
#define X1_EDX_SYSCALL B(11)
#define X1_EDX_NX B(20)
#define X1_EDX_MMXEXT B(22)
#define X1_EDX_FFXSR B(25)
#define X1_EDX_PAGE1GB B(26)
#define X1_EDX_LM B(29)
#define X1_EDX_3DNOWEXT B(30)
#define X1_EDX_3DNOW B(31)
#define X1_EDX_KEEP                                                          \
	(L1_EDX_FPU | L1_EDX_VME | L1_EDX_DE | L1_EDX_PSE | L1_EDX_TSC |     \
	 L1_EDX_MSR | L1_EDX_PAE | L1_EDX_CX8 | L1_EDX_PGE | L1_EDX_CMOV |   \
	 L1_EDX_PSE36 | L1_EDX_MMX | L1_EDX_FXSR | X1_EDX_SYSCALL |          \
	 X1_EDX_NX | X1_EDX_MMXEXT | X1_EDX_FFXSR | X1_EDX_PAGE1GB |         \
	 X1_EDX_LM | X1_EDX_3DNOWEXT | X1_EDX_3DNOW)

#define X7_EDX_INVARIANT_TSC B(8)

/* 0x80000008 EBX; not IBPB 12, IBRS 14, STIBP 15, SSBD 24, VIRT_SSBD 25
 * and the rest. */
#define X8_EBX_CLZERO B(0)
#define X8_EBX_XSAVEERPTR B(2)
#define X8_EBX_WBNOINVD B(9)
#define X8_EBX_KEEP (X8_EBX_CLZERO | X8_EBX_XSAVEERPTR | X8_EBX_WBNOINVD)

struct view {
	const struct cpuid_host *host;
	const struct cpuid_vcpu_state *st;
	u32 leaf;
};

struct leaf_policy {
	u32 leaf;
	struct cpuid_result keep; /* the host bits that pass, per register */
	/* Rewrites what is not a plain copy of host bits. */
	void (*adjust)(const struct view *v, u32 subleaf, struct cpuid_result *r);
};

static struct cpuid_result host_read(const struct cpuid_host *h, u32 leaf, u32 subleaf)
{
	return h->read(h->ctx, leaf, subleaf);
}

/* Whether the host answers the leaf itself: a CPU asked beyond its
 * maximum returns another leaf's data (Intel) or zeros. */
static bool host_has_leaf(const struct cpuid_host *h, u32 leaf)
{
	u32 base = leaf & EXT_LEAF_BASE;
	u32 max = host_read(h, base, 0).eax;

	if (max < base)
		return false;
	return leaf <= max;
}

/* Leaves 0 and 0x80000000: the highest leaf of the range, capped. */
static void cap_max_leaf(const struct view *v, u32 subleaf, struct cpuid_result *r)
{
	(void)subleaf;
	r->eax = MIN(r->eax, v->leaf == EXT_LEAF_BASE ? EXT_LEAF_CAP : BASIC_LEAF_CAP);
}

/* One logical processor per package, the vCPU's number as its initial
 * APIC id, the hypervisor bit, and OSXSAVE from the guest's own CR4. */
static void leaf1_vcpu_facts(const struct view *v, u32 subleaf, struct cpuid_result *r)
{
	(void)subleaf;
	r->ebx |= L1_EBX_ONE_LOGICAL_CPU | (v->st->vcpu_id & 0xff) << L1_EBX_APIC_ID_SHIFT;
	r->ecx |= L1_ECX_HYPERVISOR;
	if ((r->ecx & L1_ECX_XSAVE) && (v->st->cr4 & CR4_OSXSAVE))
		r->ecx |= L1_ECX_OSXSAVE;
}

static void leaf7_subleaf0_only(const struct view *v, u32 subleaf, struct cpuid_result *r)
{
	(void)v;
	if (subleaf != 0)
		memset(r, 0, sizeof(*r));
}

static u64 host_xcr0_supported(const struct cpuid_host *h)
{
	struct cpuid_result d;

	if (!host_has_leaf(h, 0xd))
		return 0;
	d = host_read(h, 0xd, 0);
	return d.eax | (u64)d.edx << 32;
}

/* Drops the components XSETBV would refuse for a missing prerequisite:
 * x87 is always on, AVX needs SSE, and the three AVX-512 components come
 * together and need AVX. */
static u64 xcr0_consistent(u64 m)
{
	if (!(m & XCR0_X87))
		return 0;
	if (!(m & XCR0_SSE))
		m &= ~XCR0_AVX;
	if (!(m & XCR0_AVX) || (m & XCR0_AVX512) != XCR0_AVX512)
		m &= ~XCR0_AVX512;
	return m;
}

u64 cpuid_offered_xcr0(const struct cpuid_host *h)
{
	static const struct cpuid_vcpu_state any_vcpu;
	struct cpuid_result l1, l7;
	u64 want = XCR0_X87 | XCR0_SSE;

	cpuid_guest_view(h, &any_vcpu, 1, 0, &l1);
	if (!(l1.ecx & L1_ECX_XSAVE))
		return 0;
	cpuid_guest_view(h, &any_vcpu, 7, 0, &l7);
	if (l1.ecx & L1_ECX_AVX)
		want |= XCR0_AVX;
	if (l7.ebx & L7_EBX_AVX512F)
		want |= XCR0_AVX512;
	return xcr0_consistent(want & host_xcr0_supported(h));
}

/* Bytes of a standard-format XSAVE area holding the components in xcr0:
 * the legacy region and header, then each component at its offset. */
static u32 xsave_area_size(const struct cpuid_host *h, u64 xcr0)
{
	u32 size = XSAVE_LEGACY_AND_HEADER;

	for (u32 i = 2; i < XSAVE_COMPONENTS; i++) {
		struct cpuid_result c;

		if (!(xcr0 & BIT(i)))
			continue;
		c = host_read(h, 0xd, i);
		size = MAX(size, c.ebx + c.eax);
	}
	return size;
}

/* Subleaf 0: the offered components and the area sizes; subleaf 1: the
 * XSAVE variants without XSAVES (no IA32_XSS) and XFD; subleaves 2-63:
 * the host's size and offset of an offered component, zeros otherwise. */
static void xsave_leaf(const struct view *v, u32 subleaf, struct cpuid_result *r)
{
	u64 offered = cpuid_offered_xcr0(v->host);

	if (offered && subleaf == 0) {
		r->eax = (u32)offered;
		r->edx = (u32)(offered >> 32);
		r->ebx = xsave_area_size(v->host, v->st->xcr0 & offered);
		r->ecx = xsave_area_size(v->host, offered);
	} else if (offered && subleaf == 1) {
		*r = (struct cpuid_result){ .eax = r->eax & XSAVE_1_EAX_KEEP };
	} else if (subleaf >= 2 && subleaf < XSAVE_COMPONENTS && (offered & BIT(subleaf))) {
		r->ecx &= XSAVE_COMPONENT_ECX_ALIGNED;
		r->edx = 0;
	} else {
		memset(r, 0, sizeof(*r));
	}
}

static void hypervisor_leaf(u32 leaf, struct cpuid_result *r)
{
	const char *sig = HV_CPUID_SIGNATURE;

	memset(r, 0, sizeof(*r));
	if (leaf == HV_CPUID_BASE) {
		r->eax = HV_LEAF_LAST;
		memcpy(&r->ebx, sig, 4);
		memcpy(&r->ecx, sig + 4, 4);
		memcpy(&r->edx, sig + 8, 4);
	} else if (leaf == HV_CPUID_VERSION) {
		r->eax = HV_ABI_VERSION;
	}
}

static const struct leaf_policy leaf_policies[] = {
	{ 0x0, { ALL, ALL, ALL, ALL }, cap_max_leaf },
	{ 0x1, { ALL, L1_EBX_CLFLUSH_SIZE, L1_ECX_KEEP, L1_EDX_KEEP }, leaf1_vcpu_facts },
	{ 0x2, { ALL, ALL, ALL, ALL }, NULL },
	{ 0x4, { L4_EAX_KEEP, ALL, ALL, L4_EDX_KEEP }, NULL },
	{ 0x7, { 0, L7_EBX_KEEP, L7_ECX_KEEP, L7_EDX_KEEP }, leaf7_subleaf0_only },
	{ 0xd, { ALL, ALL, ALL, ALL }, xsave_leaf },
	{ 0x80000000, { ALL, ALL, ALL, ALL }, cap_max_leaf },
	{ 0x80000001, { ALL, 0, X1_ECX_KEEP, X1_EDX_KEEP }, NULL },
	{ 0x80000002, { ALL, ALL, ALL, ALL }, NULL }, /* brand string */
	{ 0x80000003, { ALL, ALL, ALL, ALL }, NULL },
	{ 0x80000004, { ALL, ALL, ALL, ALL }, NULL },
	{ 0x80000005, { ALL, ALL, ALL, ALL }, NULL }, /* L1 caches and TLBs */
	{ 0x80000006, { ALL, ALL, ALL, ALL }, NULL }, /* L2/L3 caches and TLBs */
	{ 0x80000007, { 0, 0, 0, X7_EDX_INVARIANT_TSC }, NULL },
	{ 0x80000008, { ALL, X8_EBX_KEEP, 0, 0 }, NULL }, /* address sizes */
};

static const struct leaf_policy *find_policy(u32 leaf)
{
	for (size_t i = 0; i < ARRAY_SIZE(leaf_policies); i++)
		if (leaf_policies[i].leaf == leaf)
			return &leaf_policies[i];
	return NULL;
}

void cpuid_guest_view(const struct cpuid_host *host,
		      const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		      struct cpuid_result *r)
{
	const struct leaf_policy *p = find_policy(leaf);
	const struct view v = { host, st, leaf };
	struct cpuid_result h;

	if ((leaf & 0xffff0000) == HV_CPUID_BASE) {
		hypervisor_leaf(leaf, r);
		return;
	}
	memset(r, 0, sizeof(*r));
	if (!p || !host_has_leaf(host, leaf))
		return;
	h = host_read(host, leaf, subleaf);
	r->eax = h.eax & p->keep.eax;
	r->ebx = h.ebx & p->keep.ebx;
	r->ecx = h.ecx & p->keep.ecx;
	r->edx = h.edx & p->keep.edx;
	if (p->adjust)
		p->adjust(&v, subleaf, r);
}
