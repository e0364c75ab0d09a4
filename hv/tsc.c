/* The guest's TSC is an offset from the host's (hv/tsc.h). */
#include "hv/tsc.h"
#include "arch/x86/tsc.h"

void vcpu_set_tsc_offset(struct vcpu *v, u64 offset)
{
	v->tsc_offset = offset;
	virt->set_tsc_offset(v, offset);
}

void vcpu_set_tsc(struct vcpu *v, u64 value)
{
	vcpu_set_tsc_offset(v, value - rdtsc());
}

u64 vcpu_tsc(const struct vcpu *v)
{
	return rdtsc() + v->tsc_offset;
}

u64 vm_initial_tsc_offset(bool privileged)
{
	return privileged ? 0 : -rdtsc();
}
