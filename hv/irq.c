/* The injection engine (hv/irq.h): NMIs before interrupts, and of the
 * interrupts the one injected directly or through ExtINT before the
 * virtual LAPIC's, which keeps its own priority order. An interrupt is
 * taken from where it was pending when it is injected; if the entry
 * cuts its delivery short, the core's reinjection (hv/exit.c) delivers
 * it again. */
#include "hv/irq.h"
#include "hv/event.h"

/* NMI first: it goes in whenever NMIs are not blocked. */
static bool inject_nmi(struct vcpu *v)
{
	struct event e = { .vector = 2, .type = EVENT_NMI };

	if (!v->irq.nmi_pending || !virt->nmi_allowed(v))
		return false;
	v->irq.nmi_pending = false;
	virt->inject_event(v, &e);
	return true;
}

static bool inject_interrupt(struct vcpu *v)
{
	struct event e = { .type = EVENT_EXTERNAL };

	if (!v->irq.ext_pending || !virt->interrupt_allowed(v))
		return false;
	e.vector = v->irq.ext_vector;
	v->irq.ext_pending = false;
	virt->inject_event(v, &e);
	return true;
}

static void set_windows(struct vcpu *v, bool irq, bool nmi)
{
	if (irq != v->irq.window_on) {
		virt->set_irq_window(v, irq);
		v->irq.window_on = irq;
	}
	if (nmi != v->irq.nmi_window_on) {
		virt->set_nmi_window(v, nmi);
		v->irq.nmi_window_on = nmi;
	}
}

/* At most one event per entry. What is left (or an event already going
 * in) arms the window exit that brings the vCPU back as soon as it can
 * take it; the VMM's request arms it as well. */
void irq_before_entry(struct vcpu *v, bool busy)
{
	if (!busy && !inject_nmi(v))
		inject_interrupt(v);
	set_windows(v, v->irq.ext_pending || v->irq.window_exit, v->irq.nmi_pending);
}

bool irq_window_exit(struct vcpu *v)
{
	if (!v->irq.window_exit || !v->vmm_exit || !virt->interrupt_allowed(v))
		return true;
	v->irq.window_exit = false;
	return vcpu_exit_to_vmm(v, HV_EXIT_IRQ_WINDOW);
}

bool irq_pending(const struct vcpu *v)
{
	return v->irq.nmi_pending || v->irq.ext_pending;
}

/* Something became pending for v. With one CPU, v is not running now
 * (its VMM, or the vCPU that sent an IPI, is): it finds it at its next
 * entry. Where vCPUs run on several CPUs, this is where v's CPU gets
 * interrupted to look. */
static void kick(struct vcpu *v)
{
	(void)v;
}

bool irq_set_ext(struct vcpu *v, u8 vector)
{
	if (v->irq.ext_pending)
		return false;
	v->irq.ext_vector = vector;
	v->irq.ext_pending = true;
	kick(v);
	return true;
}

void irq_set_nmi(struct vcpu *v)
{
	v->irq.nmi_pending = true;
	kick(v);
}
