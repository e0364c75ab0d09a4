/* What CPUID tells a guest, as a pure function of the host's answers and
 * the asking vCPU's state. Each leaf a guest may see is in a row below with
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
#define HV_LEAF_LAST HV_CPUID_TSC


/* Leaf 1 EBX: brand index, CLFLUSH size, logical count, APIC id. */
#define L1_EBX_CLFLUSH_SIZE 0x0000ff00u
#define L1_EBX_ONE_LOGICAL_CPU (1u << 16)
#define L1_EBX_APIC_ID_SHIFT 24
#define L1_EBX_APIC_ID 0xff000000u

/* Leaf 1 ECX: the plain instruction-set bits SSE3 0, PCLMULQDQ 1,
 * SSSE3 9, FMA 12, CX16 13, PCID 17, SSE4_1 19, SSE4_2 20, MOVBE 22,
 * POPCNT 23, AES 25, XSAVE 26, AVX 28, F16C 29, RDRAND 30. OSXSAVE and
 * HYPERVISOR are the hypervisor's own, set by leaf1_vcpu_facts. */
#define L1_ECX_KEEP 0x76da3203u
#define L1_ECX_X2APIC B(21)
#define L1_ECX_TSC_DEADLINE B(24)
#define L1_ECX_XSAVE B(26)
#define L1_ECX_OSXSAVE B(27)
#define L1_ECX_AVX B(28)
#define L1_ECX_HYPERVISOR B(31)

/* Leaf 1 EDX: FPU 0, VME 1, DE 2, PSE 3, TSC 4, MSR 5, PAE 6, CX8 8,
 * SEP 11, PGE 13, CMOV 15, PSE36 17, CLFSH 19, MMX 23, FXSR 24, SSE 25,
 * SSE2 26, SS 27. Not kept: MCE 7, APIC 9, MTRR 12, MCA 14, PAT 16,
 * PSN 18, DS 21, ACPI 22, HTT 28, TM 29, PBE 31 (their MSRs #GP and the
 * local APIC is not virtualized). */
#define L1_EDX_KEEP 0x0f8aa97fu
#define L1_EDX_APIC B(9)

/* Leaf 4: cache type, level, self-initializing, fully associative; not
 * the counts of cores (31:26) and threads (25:14) sharing the cache. */
#define L4_EAX_KEEP 0x000003ffu
#define L4_EDX_KEEP 0x00000007u /* WBINVD scope 0, inclusive 1, complex 2 */

/* Leaf 7 subleaf 0 EBX: FSGSBASE 0, BMI1 3, AVX2 5, FDP_EXCPTN_ONLY 6,
 * SMEP 7, BMI2 8, ERMS 9, FCS_FDS_DEPRECATED 13, AVX512F 16, AVX512DQ 17,
 * RDSEED 18, ADX 19, SMAP 20, AVX512_IFMA 21, CLFLUSHOPT 23, CLWB 24,
 * AVX512PF 26, AVX512ER 27, AVX512CD 28, SHA 29, AVX512BW 30,
 * AVX512VL 31. */
#define L7_EBX_KEEP 0xfdbf23e9u
#define L7_EBX_AVX512F B(16)

/* Leaf 7 subleaf 0 ECX: PREFETCHWT1 0, AVX512_VBMI 1, UMIP 2,
 * AVX512_VBMI2 6, GFNI 8, VAES 9, VPCLMULQDQ 10, AVX512_VNNI 11,
 * AVX512_BITALG 12, AVX512_VPOPCNTDQ 14, MOVDIRI 27, MOVDIR64B 28. */
#define L7_ECX_KEEP 0x18005f47u
#define L7_ECX_PKU B(3)
#define L7_ECX_OSPKE B(4)

/* Leaf 7 subleaf 0 EDX: AVX512_4VNNIW 2, AVX512_4FMAPS 3, FSRM 4,
 * AVX512_VP2INTERSECT 8, SERIALIZE 14. Not kept: MD_CLEAR 10 and the
 * SPEC_CTRL family 26-31, since IA32_SPEC_CTRL, PRED_CMD, FLUSH_CMD and
 * the capability MSRs #GP. */
#define L7_EDX_KEEP 0x0000411cu

/* Leaf 0xD: XSAVE state components and instructions. */
#define XSAVE_LEGACY_AND_HEADER 576u
#define XSAVE_COMPONENTS 64u
#define XSAVE_1_EAX_KEEP 0x00000007u /* XSAVEOPT 0, XSAVEC 1, XGETBV ECX=1 2 */
#define XSAVE_1_EAX_XSAVEC 0x00000002u
#define XSAVE_COMPONENT_ECX_ALIGNED B(1)

/* 0x80000001 ECX (AMD names): LahfSahf 0, ABM 5, SSE4A 6, MisAlignSse 7,
 * 3DNowPrefetch 8, XOP 11, FMA4 16, TBM 21. */
#define X1_ECX_KEEP 0x002109e1u

/* 0x80000001 EDX: the leaf 1 mirror bits without the MSR-backed ones
 * (FPU 0, VME 1, DE 2, PSE 3, TSC 4, MSR 5, PAE 6, CX8 8, PGE 13,
 * CMOV 15, PSE36 17, MMX 23, FXSR 24) and the extended ones (SYSCALL 11,
 * NX 20, MmxExt 22, FFXSR 25, Page1GB 26, LM 29, 3DNowExt 30, 3DNow 31);
 * not RDTSCP 27 (IA32_TSC_AUX is not switched between vCPUs, so the
 * instruction raises #UD). */
#define X1_EDX_KEEP 0xe7d2a97fu

#define X7_EDX_INVARIANT_TSC B(8)

/* 0x80000008 EBX: CLZERO 0, XSAVEERPTR 2, WBNOINVD 9; not IBPB 12,
 * IBRS 14, STIBP 15, SSBD 24, VIRT_SSBD 25 and the rest. */
#define X8_EBX_KEEP 0x00000205u

struct view {
	const struct cpuid_host *host;
	const struct cpuid_vcpu_state *st;
	u32 leaf;
};

/* What a VMM's table (HV_CALL_VM_SET_CPUID) may say for a leaf: the
 * registers whose value it chooses (VMM_EAX..VMM_EDX: identification,
 * sizes, cache descriptions); in every other register only bits the
 * default view can have. VMM_INDEXED: the answer depends on the subleaf,
 * so entries name theirs. VMM_NEVER: only the hypervisor answers. */
#define VMM_EAX 0x1u
#define VMM_EBX 0x2u
#define VMM_ECX 0x4u
#define VMM_EDX 0x8u
#define VMM_VALUES 0xfu
#define VMM_INDEXED 0x10u
#define VMM_NEVER 0x20u

struct leaf_policy {
	u32 first, last; /* the leaves the row covers */
	struct cpuid_result keep; /* the host bits that pass, per register */
	/* Rewrites what is not a plain copy of host bits. */
	void (*adjust)(const struct view *v, u32 subleaf, struct cpuid_result *r);
	u32 vmm; /* VMM_* */
};

/* Whether the host answers the leaf itself: a CPU asked beyond its
 * maximum returns another leaf's data (Intel) or zeros. A range the host
 * lacks reports a maximum below its base, which every leaf of it exceeds. */
static bool host_has_leaf(const struct cpuid_host *h, u32 leaf)
{
	return leaf <= h->read(h->ctx, leaf & EXT_LEAF_BASE, 0).eax;
}

/* Leaves 0 and 0x80000000: the highest leaf of the range, capped. */
static void cap_max_leaf(const struct view *v, u32 subleaf, struct cpuid_result *r)
{
	(void)subleaf;
	r->eax = MIN(r->eax, v->leaf == EXT_LEAF_BASE ? EXT_LEAF_CAP : BASIC_LEAF_CAP);
}

/* One logical processor per package and the hypervisor bit; the APIC
 * id and OSXSAVE are the vCPU's (vcpu_facts). */
static void leaf1_defaults(const struct view *v, u32 subleaf, struct cpuid_result *r)
{
	(void)v;
	(void)subleaf;
	r->ebx |= L1_EBX_ONE_LOGICAL_CPU;
	r->ecx |= L1_ECX_HYPERVISOR;
}

/* bit when `on`, cleared otherwise */
static u32 follow(u32 reg, u32 bit, bool on)
{
	return on ? reg | bit : reg & ~bit;
}

/* The bits that follow the asking vCPU's own state, whoever's table
 * answered: its number as the initial APIC id, OSXSAVE and OSPKE from
 * its CR4 (when XSAVE and PKU are offered), the APIC bit only while its
 * IA32_APIC_BASE enables the APIC. With the virtual LAPIC, APIC, x2APIC
 * and TSC-deadline are offered (hv/vlapic.c emulates them). */
static void vcpu_facts(const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		       struct cpuid_result *r)
{
	if (leaf == 1) {
		r->ebx = (r->ebx & ~L1_EBX_APIC_ID) | (st->vcpu_id & 0xff) << L1_EBX_APIC_ID_SHIFT;
		r->ecx = follow(r->ecx, L1_ECX_OSXSAVE,
				(r->ecx & L1_ECX_XSAVE) && (st->cr4 & CR4_OSXSAVE));
		if (st->lapic) {
			r->ecx |= L1_ECX_X2APIC | L1_ECX_TSC_DEADLINE;
			r->edx |= L1_EDX_APIC;
		}
		r->edx = follow(r->edx, L1_EDX_APIC, (r->edx & L1_EDX_APIC) && st->apic_enabled);
	} else if (leaf == 7 && subleaf == 0) {
		r->ecx = follow(r->ecx, L7_ECX_OSPKE,
				(r->ecx & L7_ECX_PKU) && (st->cr4 & CR4_PKE));
	}
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
	d = h->read(h->ctx, 0xd, 0);
	return d.eax | (u64)d.edx << 32;
}

/* m with `group` added if XSETBV would accept the result: the
 * prerequisites of xcr0_valid are met and the host has the components. */
static u64 add_if_valid(u64 m, u64 group, u64 host)
{
	return xcr0_valid(m | group, host) ? m | group : m;
}

/* x87, then SSE, AVX and AVX-512 state in prerequisite order, each only
 * when the guest sees the feature and XSETBV would take it. */
u64 cpuid_offered_xcr0(const struct cpuid_host *h)
{
	static const struct cpuid_vcpu_state any_vcpu;
	struct cpuid_result l1, l7;
	u64 host = host_xcr0_supported(h);
	u64 m;

	cpuid_guest_view(h, &any_vcpu, 1, 0, &l1);
	if (!(l1.ecx & L1_ECX_XSAVE) || !xcr0_valid(XCR0_X87, host))
		return 0;
	cpuid_guest_view(h, &any_vcpu, 7, 0, &l7);
	m = add_if_valid(XCR0_X87, XCR0_SSE, host);
	if (l1.ecx & L1_ECX_AVX)
		m = add_if_valid(m, XCR0_AVX, host);
	if (l7.ebx & L7_EBX_AVX512F)
		m = add_if_valid(m, XCR0_AVX512, host);
	return m;
}

/* Bytes of an XSAVE area holding the components in xcr0: the legacy
 * region and header, then each component at its offset (standard
 * format), or packed in order, 64-byte aligned where leaf 0xD says so
 * (the compacted format of XSAVEC; the guest has no supervisor states:
 * IA32_XSS is 0). */
static u32 xsave_area_size(const struct cpuid_host *h, u64 xcr0, bool compacted)
{
	u32 size = XSAVE_LEGACY_AND_HEADER;

	for (u32 i = 2; i < XSAVE_COMPONENTS; i++) {
		struct cpuid_result c;

		if (!(xcr0 & BIT(i)))
			continue;
		c = h->read(h->ctx, 0xd, i);
		if (!compacted)
			size = MAX(size, c.ebx + c.eax);
		else if (c.ecx & XSAVE_COMPONENT_ECX_ALIGNED)
			size = ALIGN_UP(size, 64) + c.eax;
		else
			size += c.eax;
	}
	return size;
}

/* Subleaf 0: the offered components and the area sizes; subleaf 1: the
 * XSAVE variants without XSAVES (no IA32_XSS) and XFD, with the XSAVEC
 * size; subleaves 2-63: the host's size and offset of an offered
 * component, zeros otherwise. */
static void xsave_leaf(const struct view *v, u32 subleaf, struct cpuid_result *r)
{
	u64 offered = cpuid_offered_xcr0(v->host);

	if (offered && subleaf == 0) {
		r->eax = (u32)offered;
		r->edx = (u32)(offered >> 32);
		r->ebx = xsave_area_size(v->host, v->st->xcr0 & offered, false);
		r->ecx = xsave_area_size(v->host, offered, false);
	} else if (offered && subleaf == 1) {
		*r = (struct cpuid_result){ .eax = r->eax & XSAVE_1_EAX_KEEP };
		if (r->eax & XSAVE_1_EAX_XSAVEC)
			r->ebx = xsave_area_size(v->host, v->st->xcr0 & offered, true);
	} else if (subleaf >= 2 && subleaf < XSAVE_COMPONENTS && (offered & BIT(subleaf))) {
		r->ecx &= XSAVE_COMPONENT_ECX_ALIGNED;
		r->edx = 0;
	} else {
		memset(r, 0, sizeof(*r));
	}
}

/* Four characters of the signature as a register holds them. */
static u32 signature_word(const char *s)
{
	return (u8)s[0] | (u8)s[1] << 8 | (u8)s[2] << 16 | (u32)(u8)s[3] << 24;
}

/* The TSC leaf: EAX the TSC kHz; EBX, with the virtual LAPIC, its timer's
 * bus clock in kHz (VMware's convention), which is the TSC's. */
static void hypervisor_leaf(const struct cpuid_host *h, const struct cpuid_vcpu_state *st,
			    u32 leaf, struct cpuid_result *r)
{
	const char *sig = HV_CPUID_SIGNATURE;

	if (leaf == HV_CPUID_BASE)
		*r = (struct cpuid_result){ HV_LEAF_LAST, signature_word(sig),
					    signature_word(sig + 4), signature_word(sig + 8) };
	else /* the version and TSC leaves; zeros between and above them */
		*r = (struct cpuid_result){ .eax = leaf == HV_CPUID_VERSION ? HV_ABI_VERSION :
						   leaf == HV_CPUID_TSC	    ? h->tsc_khz : 0,
					    .ebx = leaf == HV_CPUID_TSC && st->lapic ? h->tsc_khz : 0 };
}

/* The XSAVE leaf describes the layout XSETBV and the hardware use: a
 * VMM's table cannot change it. */
static const struct leaf_policy leaf_policies[] = {
	{ 0x0, 0x0, { ALL, ALL, ALL, ALL }, cap_max_leaf, VMM_VALUES },
	{ 0x1, 0x1, { ALL, L1_EBX_CLFLUSH_SIZE, L1_ECX_KEEP, L1_EDX_KEEP }, leaf1_defaults,
	  VMM_EAX | VMM_EBX },
	{ 0x2, 0x2, { ALL, ALL, ALL, ALL }, NULL, VMM_VALUES },
	{ 0x4, 0x4, { L4_EAX_KEEP, ALL, ALL, L4_EDX_KEEP }, NULL, VMM_VALUES | VMM_INDEXED },
	{ 0x7, 0x7, { 0, L7_EBX_KEEP, L7_ECX_KEEP, L7_EDX_KEEP }, leaf7_subleaf0_only,
	  VMM_INDEXED },
	{ 0xd, 0xd, { ALL, ALL, ALL, ALL }, xsave_leaf, VMM_NEVER },
	{ 0x80000000, 0x80000000, { ALL, ALL, ALL, ALL }, cap_max_leaf, VMM_VALUES },
	{ 0x80000001, 0x80000001, { ALL, 0, X1_ECX_KEEP, X1_EDX_KEEP }, NULL,
	  VMM_EAX | VMM_EBX },
	/* the brand string (2-4), L1 (5) and L2/L3 (6) caches and TLBs */
	{ 0x80000002, 0x80000006, { ALL, ALL, ALL, ALL }, NULL, VMM_VALUES },
	{ 0x80000007, 0x80000007, { 0, 0, 0, X7_EDX_INVARIANT_TSC }, NULL, 0 },
	{ 0x80000008, 0x80000008, { ALL, X8_EBX_KEEP, 0, 0 }, NULL, VMM_EAX }, /* address sizes */
};

static const struct leaf_policy *find_policy(u32 leaf)
{
	for (size_t i = 0; i < ARRAY_SIZE(leaf_policies); i++)
		if (leaf >= leaf_policies[i].first && leaf <= leaf_policies[i].last)
			return &leaf_policies[i];
	return NULL;
}

static bool is_hypervisor_leaf(u32 leaf)
{
	return (leaf & 0xffff0000) == HV_CPUID_BASE;
}

/* The hypervisor's own answer, before the vCPU's facts. */
static void default_view(const struct cpuid_host *host, const struct cpuid_vcpu_state *st,
			 u32 leaf, u32 subleaf, struct cpuid_result *r)
{
	const struct view v = { host, st, leaf };
	const struct leaf_policy *p;
	struct cpuid_result h;

	if (is_hypervisor_leaf(leaf)) {
		hypervisor_leaf(host, st, leaf, r);
		return;
	}
	p = find_policy(leaf);
	*r = (struct cpuid_result){ 0 };
	if (!p || !host_has_leaf(host, leaf))
		return;
	h = host->read(host->ctx, leaf, subleaf);
	r->eax = h.eax & p->keep.eax;
	r->ebx = h.ebx & p->keep.ebx;
	r->ecx = h.ecx & p->keep.ecx;
	r->edx = h.edx & p->keep.edx;
	if (p->adjust)
		p->adjust(&v, subleaf, r);
}

static bool entry_matches(const struct hv_cpuid_entry *e, u32 leaf, u32 subleaf)
{
	return e->function == leaf && (!(e->flags & HV_CPUID_ENTRY_INDEXED) || e->index == subleaf);
}

/* The table's entry for the leaf and subleaf; zeros when it has none,
 * as CPUID answers for a leaf beyond the maximum on AMD. */
static void table_view(const struct cpuid_table *t, u32 leaf, u32 subleaf,
		       struct cpuid_result *r)
{
	*r = (struct cpuid_result){ 0 };
	for (u32 i = 0; i < t->count; i++)
		if (entry_matches(&t->e[i], leaf, subleaf)) {
			*r = (struct cpuid_result){ t->e[i].eax, t->e[i].ebx, t->e[i].ecx,
						    t->e[i].edx };
			return;
		}
}

static bool uses_table(const struct cpuid_vcpu_state *st, u32 leaf)
{
	const struct leaf_policy *p;

	if (!st->table || !st->table->count)
		return false; /* the default table: no policy lookup */
	p = find_policy(leaf);
	return !(p && (p->vmm & VMM_NEVER));
}

void cpuid_guest_view(const struct cpuid_host *host,
		      const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		      struct cpuid_result *r)
{
	if (uses_table(st, leaf))
		table_view(st->table, leaf, subleaf, r);
	else
		default_view(host, st, leaf, subleaf, r);
	if (leaf == 1 || leaf == 7) /* the leaves with vCPU facts besides 0xD */
		vcpu_facts(st, leaf, subleaf, r);
}

/* Whether two entries answer some leaf and subleaf both. */
static bool entries_overlap(const struct hv_cpuid_entry *a, const struct hv_cpuid_entry *b)
{
	return a->function == b->function &&
	       (!(a->flags & b->flags & HV_CPUID_ENTRY_INDEXED) || a->index == b->index);
}

/* The most a guest could see in each register: the default view with
 * every bit that follows the vCPU's state switched on. */
static struct cpuid_result most_offered(const struct cpuid_host *host, u32 leaf, u32 subleaf)
{
	static const struct cpuid_vcpu_state all_on = { .cr4 = ~0ull, .apic_enabled = true };
	struct cpuid_result r;

	default_view(host, &all_on, leaf, subleaf, &r);
	vcpu_facts(&all_on, leaf, subleaf, &r);
	return r;
}

/* Register i of EAX, EBX, ECX, EDX. */
static u32 reg_of(const struct cpuid_result *r, u32 i)
{
	const u32 regs[4] = { r->eax, r->ebx, r->ecx, r->edx };

	return regs[i];
}

/* An entry's form, then its bits: registers the leaf's row leaves to the
 * VMM take any value, the others only bits the guest could see without
 * a table. Hypervisor leaves are the VMM's to describe. */
static bool entry_allowed(const struct cpuid_host *host, const struct hv_cpuid_entry *e)
{
	bool indexed = e->flags & HV_CPUID_ENTRY_INDEXED;
	const struct leaf_policy *p = find_policy(e->function);
	u32 vmm = p ? p->vmm : 0;
	struct cpuid_result want = { e->eax, e->ebx, e->ecx, e->edx }, most;

	if ((e->flags & ~HV_CPUID_ENTRY_INDEXED) || e->reserved || (!indexed && e->index))
		return false;
	if (is_hypervisor_leaf(e->function))
		return true;
	if ((vmm & VMM_NEVER) || ((vmm & VMM_INDEXED) && !indexed))
		return false;
	most = most_offered(host, e->function, e->index);
	for (u32 i = 0; i < 4; i++)
		if (!(vmm & BIT(i)) && (reg_of(&want, i) & ~reg_of(&most, i)))
			return false;
	return true;
}

u32 cpuid_table_check(const struct cpuid_host *host, const struct hv_cpuid_entry *e, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		if (!entry_allowed(host, &e[i]))
			return i;
		for (u32 j = 0; j < i; j++)
			if (entries_overlap(&e[i], &e[j]))
				return i;
	}
	return n;
}
