/* HV_CALL_VM_IRQ: an interrupt for a child from its VMM's devices. A
 * child without the virtual LAPIC gets the vector injected into the
 * vCPU the call names, as soon as that vCPU can take it. */
#include "hv/hc.h"
#include "hv/irq.h"

#define FIRST_VECTOR 16 /* 0-15 are not external interrupt vectors */

/* One vector (FIXED, EXTINT) or an NMI for the vCPU `vcpu`; no message
 * flags, no destination. */
static int decode_direct(struct hc_ctx *c, const struct hv_vm_irq *a)
{
	int err;

	if (a->flags || a->dest)
		return -EINVAL;
	if ((err = hc_child_vcpu(a->vm, a->vcpu, &c->target_vcpu)))
		return err;
	if (a->mode == HV_IRQ_NMI)
		return a->vector ? -EINVAL : 0;
	if ((a->mode != HV_IRQ_FIXED && a->mode != HV_IRQ_EXTINT) || a->vector < FIRST_VECTOR)
		return -EINVAL;
	return c->target_vcpu->irq.ext_pending ? -EBUSY : 0;
}

int hc_vm_irq_decode(struct hc_ctx *c)
{
	const struct hv_vm_irq *a = &c->in.hv_vm_irq;
	int err;

	if (!flags_known(a->flags, HV_IRQ_LOGICAL | HV_IRQ_LEVEL) || a->reserved ||
	    a->reserved1 || a->reserved2)
		return -EINVAL;
	if ((err = hc_child_vm(a->vm, &c->target)))
		return err;
	return decode_direct(c, a);
}

s64 hc_vm_irq_invoke(struct hc_ctx *c)
{
	const struct hv_vm_irq *a = &c->in.hv_vm_irq;

	if (a->mode == HV_IRQ_NMI)
		irq_set_nmi(c->target_vcpu);
	else
		irq_set_ext(c->target_vcpu, a->vector); /* decode: nothing pending */
	return 0;
}
