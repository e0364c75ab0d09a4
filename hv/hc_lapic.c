/* HV_CALL_VCPU_GET_LAPIC: a child vCPU's virtual local APIC (hv/vlapic.h)
 * for its VMM, as KVM_GET_LAPIC gives QEMU the register page. */
#include "hv/hc.h"
#include "lib/errno.h"

/* A 256-bit set of eight 32-bit words as four 64-bit ones. */
static void vector_set(u64 out[4], const u32 in[8])
{
	for (u32 i = 0; i < 4; i++)
		out[i] = in[2 * i] | (u64)in[2 * i + 1] << 32;
}

static void lapic_to_abi(struct hv_vcpu_lapic *a, const struct vlapic *l)
{
	a->apic_base = l->base;
	a->id = l->id;
	a->tpr = l->tpr;
	a->svr = l->svr;
	a->esr = l->esr_pending;
	vector_set(a->irr, l->irr);
	vector_set(a->isr, l->isr);
	vector_set(a->tmr, l->tmr);
	for (u32 i = 0; i < VLAPIC_LVT_COUNT; i++)
		a->lvt[i] = l->lvt[i];
	a->timer_initial = l->timer_initial;
	a->timer_dcr = l->timer_dcr;
	a->reserved = 0;
	a->reserved1 = 0;
}

int hc_vcpu_get_lapic_decode(struct hc_ctx *c)
{
	struct hv_vcpu_lapic *a = &c->in.hv_vcpu_lapic;
	int err;

	if (a->flags)
		return -EINVAL;
	if ((err = hc_child_vcpu(a->vm, a->vcpu, &c->target_vcpu)))
		return err;
	if (!c->target_vcpu->vm->lapic)
		return -ENOTTY;
	lapic_to_abi(a, &c->target_vcpu->apic);
	return hc_check_out(c, a, sizeof(*a), HC_HEADER_SIZE);
}
