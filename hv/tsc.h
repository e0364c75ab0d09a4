/* A vCPU's TSC: the host's plus an offset. A child's vCPUs start with
 * their VM's offset, fixed at VM_CREATE so the TSC starts near 0 and only
 * moves forward; VM 0's offset is 0 (hv/vm.c). */
#ifndef HV_TSC_H
#define HV_TSC_H

#include "hv/vm.h"

/* Makes the vCPU's TSC read `value` now (WRMSR to IA32_TSC). */
void vcpu_set_tsc(struct vcpu *v, u64 value);

/* What the vCPU's TSC reads now (RDMSR of IA32_TSC). */
u64 vcpu_tsc(const struct vcpu *v);

/* A time in the vCPU's TSC (a deadline VM 0 gives) as the host's. */
static inline u64 vcpu_tsc_to_host(const struct vcpu *v, u64 t)
{
	return t - v->tsc_offset;
}

#endif
