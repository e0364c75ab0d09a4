/* CPUID for guests on this CPU: the policy of cpuid_policy.c fed with
 * the CPU's own answers. */
#include "hv/cpuid.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"

/* The CPU's answers, each read once: CPUID is slow, and an exit of its
 * own under another hypervisor. Nothing the policy passes on changes
 * while the hypervisor runs (the parts that do, the APIC id and the
 * XSAVE sizes for the current XCR0, it replaces), and there is one CPU.
 * Direct-mapped: a leaf that collides is read again. */
#define HOST_CACHE_SLOTS 64

struct host_leaf {
	u32 leaf, subleaf;
	bool valid;
	struct cpuid_result r;
};

static struct host_leaf host_cache[HOST_CACHE_SLOTS];

static struct cpuid_result this_cpu_read(const void *ctx, u32 leaf, u32 subleaf)
{
	struct host_leaf *c = &host_cache[(leaf + (leaf >> 26) + subleaf * 3) % HOST_CACHE_SLOTS];

	(void)ctx;
	if (!c->valid || c->leaf != leaf || c->subleaf != subleaf) {
		struct cpuid_regs h = cpuid(leaf, subleaf);

		*c = (struct host_leaf){ leaf, subleaf, true, { h.eax, h.ebx, h.ecx, h.edx } };
	}
	return c->r;
}

/* The TSC's frequency is learnt once at boot (arch/x86/tsc.c), before
 * any guest asks; it is taken while still unknown (0). */
static const struct cpuid_host *this_cpu(void)
{
	static struct cpuid_host host = { this_cpu_read, NULL, 0 };

	if (!host.tsc_khz)
		host.tsc_khz = tsc_khz();
	return &host;
}

void guest_cpuid(const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		 struct cpuid_result *r)
{
	cpuid_guest_view(this_cpu(), st, leaf, subleaf, r);
}

u64 cpuid_guest_xcr0_mask(void)
{
	return cpuid_offered_xcr0(this_cpu());
}

u32 cpuid_table_first_refused(const struct hv_cpuid_entry *e, u32 n)
{
	return cpuid_table_check(this_cpu(), e, n);
}
