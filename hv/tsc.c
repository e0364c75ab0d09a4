/* The guest's TSC is an offset from the host's (hv/tsc.h). */
#include "hv/tsc.h"
#include "arch/x86/tsc.h"

void vcpu_set_tsc(struct vcpu *v, u64 value)
{
	v->tsc_offset = value - rdtsc();
	virt->set_tsc_offset(v, v->tsc_offset);
}

u64 vcpu_tsc(const struct vcpu *v)
{
	return rdtsc() + v->tsc_offset;
}
