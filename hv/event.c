#include "hv/event.h"
#include "arch/x86/cpu.h"
#include "hv/tracebuf.h"

/* Outside protected mode exceptions push no error code (and VMX refuses
 * to inject one there). */
bool vcpu_inject_event(struct vcpu *v, const struct event *e)
{
	struct event ev = *e;

	if (ev.has_error && !(virt->guest_cr0(v) & CR0_PE))
		ev.has_error = false;
	virt->inject_event(v, &ev);
	v->event_queued = true;
	if (tracebuf_wants(HV_TRACE_EV_INJECT) && ev.type == EVENT_EXCEPTION)
		tracebuf_put(HV_TRACE_EV_INJECT, v, ev.vector, HV_TRACE_INJECT_EXCEPTION, ev.error);
	return true;
}

void vcpu_cancel_queued_event(struct vcpu *v)
{
	if (!v->event_queued)
		return;
	virt->cancel_event(v);
	v->event_queued = false;
}

bool vcpu_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error)
{
	struct event e = { .vector = vector, .type = EVENT_EXCEPTION,
			   .has_error = has_error, .error = error };

	return vcpu_inject_event(v, &e);
}
