/* CPUID inside a VM: the host's answers cut down to what the hypervisor
 * virtualizes, with host topology and speculation controls hidden and
 * the hypervisor's own leaves at 0x40000000 added. docs/abi.md (section
 * "CPUID inside a guest") lists what a guest sees and why. */
#ifndef HV_CPUID_H
#define HV_CPUID_H

#include "abi/hv_abi.h"
#include "lib/types.h"

struct cpuid_result {
	u32 eax, ebx, ecx, edx;
};

/* A VM's own CPUID table, set by its VMM (HV_CALL_VM_SET_CPUID); with
 * count 0 the VM sees the default view. Entries as the ABI has them. */
struct cpuid_table {
	u32 count;
	struct hv_cpuid_entry e[HV_CPUID_MAX_ENTRIES];
};

/* The few facts about the asking vCPU that CPUID reports. */
struct cpuid_vcpu_state {
	u32 vcpu_id; /* leaf 1 EBX[31:24], the initial APIC id */
	u64 cr4;     /* the guest's CR4: OSXSAVE (leaf 1 ECX), OSPKE (leaf 7 ECX) */
	u64 xcr0;    /* the guest's XCR0: sizes the XSAVE area in 0xD.0 EBX */
	bool apic_enabled; /* IA32_APIC_BASE enable: the APIC bit of leaf 1 EDX */
	bool lapic;        /* the VM has the virtual LAPIC (HV_FEATURE_LAPIC) */
	const struct cpuid_table *table; /* the VM's table, or NULL */
};

/* The leaves whose answer follows the asking vCPU's state (cpuid_vcpu_state
 * above: its APIC id, CR4, XCR0, APIC enable); every other leaf answers a VM
 * the same all its life (its table is fixed before its first run). */
static inline bool cpuid_leaf_follows_vcpu(u32 leaf)
{
	return leaf == 1 || leaf == 7 || leaf == 0xd;
}

/* A vCPU's last answers for the other leaves, so that a repeated CPUID
 * exit skips the policy: direct-mapped, a leaf that collides is computed
 * again. Zeroed with the vCPU. */
#define CPUID_MEMO_SLOTS 4

struct cpuid_memo {
	struct {
		bool valid;
		u32 leaf, subleaf;
		struct cpuid_result r;
	} slot[CPUID_MEMO_SLOTS];
};

/* The memo's answer for (leaf, subleaf) into r, or false. */
static inline bool cpuid_memo_get(const struct cpuid_memo *m, u32 leaf, u32 subleaf,
				  struct cpuid_result *r)
{
	const typeof(m->slot[0]) *s = &m->slot[leaf % CPUID_MEMO_SLOTS];

	if (!s->valid || s->leaf != leaf || s->subleaf != subleaf)
		return false;
	*r = s->r;
	return true;
}

/* Keeps an answer of a leaf that does not follow the vCPU. */
static inline void cpuid_memo_put(struct cpuid_memo *m, u32 leaf, u32 subleaf,
				  const struct cpuid_result *r)
{
	if (!cpuid_leaf_follows_vcpu(leaf))
		m->slot[leaf % CPUID_MEMO_SLOTS] = (typeof(m->slot[0])){ true, leaf, subleaf, *r };
}

/* What CPUID(leaf, subleaf) answers on that vCPU. */
void guest_cpuid(const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		 struct cpuid_result *r);

/* The XCR0 bits a guest may set with XSETBV: the components CPUID leaf
 * 0xD offers (x87 always, SSE, AVX, AVX-512 state when offered). */
u64 cpuid_guest_xcr0_mask(void);

/* The first of n entries a VMM's table may not have (n when it may have
 * them all): docs/abi.md, HV_CALL_VM_SET_CPUID, gives the rules. */
u32 cpuid_table_first_refused(const struct hv_cpuid_entry *e, u32 n);

/* The policy without the hardware: the host's raw CPUID comes from
 * read(ctx, leaf, subleaf), so recorded tables can stand in for a CPU;
 * tsc_khz is what the TSC leaf reports. */
struct cpuid_host {
	struct cpuid_result (*read)(const void *ctx, u32 leaf, u32 subleaf);
	const void *ctx;
	u32 tsc_khz;
};

void cpuid_guest_view(const struct cpuid_host *host,
		      const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		      struct cpuid_result *r);
u64 cpuid_offered_xcr0(const struct cpuid_host *host);
u32 cpuid_table_check(const struct cpuid_host *host, const struct hv_cpuid_entry *e, u32 n);

#endif
