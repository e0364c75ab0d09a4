/* A vCPU's TSC: the host's plus an offset, so a child's starts near 0
 * when the VM is created and only moves forward; VM 0's is the host's. */
#ifndef HV_TSC_H
#define HV_TSC_H

#include "hv/vm.h"

/* Makes the vCPU's TSC read `value` now (WRMSR to IA32_TSC). */
void vcpu_set_tsc(struct vcpu *v, u64 value);

/* What the vCPU's TSC reads now (RDMSR of IA32_TSC). */
u64 vcpu_tsc(const struct vcpu *v);

/* The offset a new VM's vCPUs start with: 0 for VM 0, minus the host's
 * TSC for a child. */
u64 vm_initial_tsc_offset(bool privileged);

/* Gives the vCPU its offset, in the core and in the backend. */
void vcpu_set_tsc_offset(struct vcpu *v, u64 offset);

#endif
