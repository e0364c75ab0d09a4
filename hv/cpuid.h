#ifndef HV_CPUID_H
#define HV_CPUID_H

#include "hv/vm.h"

struct cpuid_result {
	u32 eax, ebx, ecx, edx;
};

/* What CPUID(leaf, subleaf) answers inside a VM: the host's values with
 * the hypervisor's leaves at 0x40000000 added and VMX/SVM hidden. */
void guest_cpuid(struct vm *vm, u32 leaf, u32 subleaf, struct cpuid_result *r);

/* XCR0 components a guest may enable with XSETBV. */
u64 cpuid_guest_xcr0_mask(void);

#endif
