/* CPUID inside a VM: the host's answers cut down to what the hypervisor
 * virtualizes, with host topology and speculation controls hidden and
 * the hypervisor's own leaves at 0x40000000 added. docs/abi.md (section
 * "CPUID inside a guest") lists what a guest sees and why. */
#ifndef HV_CPUID_H
#define HV_CPUID_H

#include "lib/types.h"

struct cpuid_result {
	u32 eax, ebx, ecx, edx;
};

/* The few facts about the asking vCPU that CPUID reports. */
struct cpuid_vcpu_state {
	u32 vcpu_id; /* leaf 1 EBX[31:24], the initial APIC id */
	u64 cr4;     /* the guest's CR4: OSXSAVE shows in leaf 1 ECX */
	u64 xcr0;    /* the guest's XCR0: sizes the XSAVE area in 0xD.0 EBX */
};

/* What CPUID(leaf, subleaf) answers on that vCPU. */
void guest_cpuid(const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		 struct cpuid_result *r);

/* The XCR0 bits a guest may set with XSETBV: the components CPUID leaf
 * 0xD offers (x87 always, SSE, AVX, AVX-512 state when offered). */
u64 cpuid_guest_xcr0_mask(void);

/* The policy without the hardware: the host's raw CPUID comes from
 * read(ctx, leaf, subleaf), so recorded tables can stand in for a CPU. */
struct cpuid_host {
	struct cpuid_result (*read)(const void *ctx, u32 leaf, u32 subleaf);
	const void *ctx;
};

void cpuid_guest_view(const struct cpuid_host *host,
		      const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		      struct cpuid_result *r);
u64 cpuid_offered_xcr0(const struct cpuid_host *host);

#endif
