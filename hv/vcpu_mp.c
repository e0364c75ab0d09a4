/* INIT and SIPI recorded for their vCPU (hv/vcpu_mp.h): a vCPU that
 * waits for them is not modelled here; the request stays in its
 * struct vcpu_irq. */
#include "hv/vcpu_mp.h"
#include "hv/vm.h"

void vcpu_init_signal(struct vcpu *v)
{
	v->irq.init_pending = true;
}

void vcpu_sipi(struct vcpu *v, u8 vector)
{
	v->irq.sipi_pending = true;
	v->irq.sipi_vector = vector;
}
