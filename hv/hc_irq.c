/* HV_CALL_VM_IRQ: an interrupt for a child from its VMM's devices. With
 * the virtual LAPIC it is a message routed like an MSI (hv/irq.c);
 * without it, the vector is injected into the vCPU the call names as
 * soon as that vCPU can take it. */
#include "hv/hc.h"
#include "hv/irq.h"

#define FIRST_VECTOR 16 /* 0-15 are not interrupt vectors */

#define SAME_MODE(m) ((int)HV_IRQ_##m == (int)VLAPIC_DM_##m)
_Static_assert(SAME_MODE(FIXED) && SAME_MODE(LOWEST) && SAME_MODE(NMI) && SAME_MODE(INIT) &&
	       SAME_MODE(SIPI) && SAME_MODE(EXTINT), "the ABI's delivery modes are the APIC's");

/* Which vectors each delivery mode takes: 0 the mode is refused. */
enum { VEC_NONE = 1, VEC_ANY, VEC_INTERRUPT };

static const u8 mode_vectors[8] = {
	[HV_IRQ_FIXED] = VEC_INTERRUPT, [HV_IRQ_LOWEST] = VEC_INTERRUPT,
	[HV_IRQ_NMI] = VEC_NONE, [HV_IRQ_INIT] = VEC_NONE,
	[HV_IRQ_SIPI] = VEC_ANY, [HV_IRQ_EXTINT] = VEC_INTERRUPT,
};

static bool vector_valid(u8 mode, u8 vector)
{
	u8 rule = mode < ARRAY_SIZE(mode_vectors) ? mode_vectors[mode] : 0;

	return rule == VEC_ANY || (rule == VEC_NONE && !vector) ||
	       (rule == VEC_INTERRUPT && vector >= FIRST_VECTOR);
}

/* FIXED or EXTINT (one vector) or NMI for the vCPU `vcpu`; no message
 * flags, no destination. */
static int decode_direct(struct hc_ctx *c, const struct hv_vm_irq *a)
{
	int err;

	if (a->flags || a->dest || a->mode == HV_IRQ_LOWEST || a->mode == HV_IRQ_INIT ||
	    a->mode == HV_IRQ_SIPI)
		return -EINVAL;
	if ((err = hc_child_vcpu(a->vm, a->vcpu, &c->target_vcpu)))
		return err;
	return a->mode != HV_IRQ_NMI && c->target_vcpu->irq.ext_pending ? -EBUSY : 0;
}

/* A message to the LAPICs; an ExtINT waits while the vCPU taking them
 * still has one pending. */
static int decode_routed(struct hc_ctx *c, const struct hv_vm_irq *a)
{
	struct vcpu *v = irq_extint_target(c->target);

	if (a->vcpu)
		return -EINVAL;
	return a->mode == HV_IRQ_EXTINT && v && v->irq.ext_pending ? -EBUSY : 0;
}

int hc_vm_irq_decode(struct hc_ctx *c)
{
	const struct hv_vm_irq *a = &c->in.hv_vm_irq;
	int err;

	if (!flags_known(a->flags, HV_IRQ_LOGICAL | HV_IRQ_LEVEL) || a->reserved ||
	    a->reserved1 || a->reserved2 || !vector_valid(a->mode, a->vector))
		return -EINVAL;
	if ((err = hc_child_vm(a->vm, &c->target)))
		return err;
	return c->target->lapic ? decode_routed(c, a) : decode_direct(c, a);
}

s64 hc_vm_irq_invoke(struct hc_ctx *c)
{
	const struct hv_vm_irq *a = &c->in.hv_vm_irq;
	struct irq_msg m = { .dest = a->dest, .logical = a->flags & HV_IRQ_LOGICAL,
			     .vector = a->vector, .mode = a->mode,
			     .level = a->flags & HV_IRQ_LEVEL, .assert = true };

	if (c->target->lapic)
		irq_deliver(c->target, &m);
	else if (a->mode == HV_IRQ_NMI)
		irq_set_nmi(c->target_vcpu);
	else
		irq_set_ext(c->target_vcpu, a->vector); /* decode: nothing pending */
	return 0;
}
