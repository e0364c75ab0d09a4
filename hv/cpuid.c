/* CPUID for guests on this CPU: the policy of cpuid_policy.c fed with
 * the CPU's own answers. */
#include "hv/cpuid.h"
#include "arch/x86/cpu.h"

static struct cpuid_result this_cpu_read(const void *ctx, u32 leaf, u32 subleaf)
{
	struct cpuid_regs h = cpuid(leaf, subleaf);

	(void)ctx;
	return (struct cpuid_result){ h.eax, h.ebx, h.ecx, h.edx };
}

static const struct cpuid_host this_cpu = { this_cpu_read, NULL };

void guest_cpuid(const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		 struct cpuid_result *r)
{
	cpuid_guest_view(&this_cpu, st, leaf, subleaf, r);
}

u64 cpuid_guest_xcr0_mask(void)
{
	return cpuid_offered_xcr0(&this_cpu);
}
