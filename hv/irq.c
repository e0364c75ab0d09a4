/* The injection engine (hv/irq.h): NMIs before interrupts, and of the
 * interrupts the one injected directly or through ExtINT before the
 * virtual LAPIC's, which keeps its own priority order. An interrupt is
 * taken from where it was pending when it is injected; if the entry
 * cuts its delivery short, the core's reinjection (hv/exit.c) delivers
 * it again. */
#include "hv/irq.h"
#include "hv/arch.h"
#include "hv/event.h"
#include "hv/tracebuf.h"
#include "hv/vcpu_mp.h"

/* The vector the vCPU's virtual LAPIC would deliver now, or -1. */
static int apic_vector(const struct vcpu *v)
{
	return v->vm->lapic ? vlapic_pending(&v->apic) : -1;
}

static bool interrupt_waiting(const struct vcpu *v)
{
	return v->irq.ext_pending || apic_vector(v) >= 0;
}

/* NMI first: it goes in whenever NMIs are not blocked. */
static bool inject_nmi(struct vcpu *v)
{
	struct event e = { .vector = 2, .type = EVENT_NMI };

	if (!v->irq.nmi_pending || !virt->nmi_allowed(v))
		return false;
	v->irq.nmi_pending = false;
	virt->inject_event(v, &e);
	if (tracebuf_wants(HV_TRACE_EV_INJECT))
		tracebuf_put(HV_TRACE_EV_INJECT, v, e.vector, HV_TRACE_INJECT_NMI, 0);
	return true;
}

/* The LAPIC's vector moves from IRR to ISR as the vCPU takes it. */
static bool inject_interrupt(struct vcpu *v)
{
	struct event e = { .type = EVENT_EXTERNAL };

	if (!interrupt_waiting(v) || !virt->interrupt_allowed(v))
		return false;
	if (v->irq.ext_pending) {
		e.vector = v->irq.ext_vector;
		v->irq.ext_pending = false;
	} else {
		e.vector = (u8)apic_vector(v);
		vlapic_ack(&v->apic, e.vector);
	}
	virt->inject_event(v, &e);
	if (tracebuf_wants(HV_TRACE_EV_INJECT))
		tracebuf_put(HV_TRACE_EV_INJECT, v, e.vector, HV_TRACE_INJECT_IRQ, 0);
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
	set_windows(v, interrupt_waiting(v) || v->irq.window_exit, v->irq.nmi_pending);
}

bool irq_window_exit(struct vcpu *v)
{
	if (!v->irq.window_exit || !v->vmm_exit || !virt->interrupt_allowed(v))
		return true;
	v->irq.window_exit = false;
	return vcpu_exit_to_vmm(v, HV_EXIT_IRQ_WINDOW);
}

/* The window is open already when nothing else goes in at the entry:
 * no need to enter for the backend to say so (and Bochs' SVM, which
 * recognizes V_IRQ only when the guest's IF changes, never would). */
bool irq_run_start(struct vcpu *v)
{
	if (v->reinject || v->event_queued || v->irq.nmi_pending || interrupt_waiting(v))
		return true;
	return irq_window_exit(v);
}

bool irq_pending(const struct vcpu *v)
{
	return v->irq.nmi_pending || interrupt_waiting(v);
}

/* Something became pending for v. On this CPU, v is not running now
 * (its VMM, or the vCPU that sent an IPI, is): it finds it at its next
 * entry. On another CPU it may be in guest mode or halted there: that
 * CPU is interrupted to look (an INIT's or SIPI's state too: v's own CPU
 * loads it, irq_after_exit and hv/vcpu_wait.c). */
void vcpu_kick_cpu(const struct vcpu *v)
{
	u32 cpu = v->running_on;

	if (cpu != VCPU_NO_CPU && cpu != arch_cpu_id())
		arch_kick_cpu(cpu);
}

bool irq_set_ext(struct vcpu *v, u8 vector)
{
	if (v->irq.ext_pending)
		return false;
	v->irq.ext_vector = vector;
	v->irq.ext_pending = true;
	vcpu_kick_cpu(v);
	return true;
}

void irq_set_nmi(struct vcpu *v)
{
	v->irq.nmi_pending = true;
	vcpu_kick_cpu(v);
}

/* The ExtINT vector a PIC supplies goes to the vCPU whose LINT0 is
 * unmasked in ExtINT mode; the lowest id when several are. */
struct vcpu *irq_extint_target(struct vm *vm)
{
	for (u32 i = 0; i < vm->vcpu_count; i++)
		if (vlapic_lint0_extint(&vm->vcpus[i].apic))
			return &vm->vcpus[i];
	return NULL;
}

static bool is_destination(struct vcpu *v, const struct irq_msg *m)
{
	switch (m->shorthand) {
	case VLAPIC_SH_SELF:
		return v == m->source;
	case VLAPIC_SH_ALL:
		return vlapic_hw_enabled(&v->apic);
	case VLAPIC_SH_OTHERS:
		return v != m->source && vlapic_hw_enabled(&v->apic);
	default:
		return vlapic_match_dest(&v->apic, m->dest, m->logical);
	}
}

/* The destination with the lowest arbitration priority; ties go to the
 * lowest vCPU id (the SDM leaves the choice to the model). */
static struct vcpu *lowest_priority(struct vm *vm, const struct irq_msg *m)
{
	struct vcpu *best = NULL;

	for (u32 i = 0; i < vm->vcpu_count; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (is_destination(v, m) &&
		    (!best || vlapic_arb_priority(&v->apic) < vlapic_arb_priority(&best->apic)))
			best = v;
	}
	return best;
}

/* An INIT level de-assert (the old INIT-deassert IPI) does nothing; SMI
 * is not modelled. */
static void deliver_to(struct vcpu *v, const struct irq_msg *m)
{
	switch (m->mode) {
	case VLAPIC_DM_FIXED:
	case VLAPIC_DM_LOWEST:
		vlapic_accept(&v->apic, m->vector, m->level);
		break;
	case VLAPIC_DM_NMI:
		irq_set_nmi(v);
		break;
	case VLAPIC_DM_INIT:
		if (!m->level || m->assert)
			vcpu_init_signal(v);
		break;
	case VLAPIC_DM_SIPI:
		vcpu_sipi(v, m->vector);
		break;
	}
	vcpu_kick_cpu(v);
}

void irq_deliver(struct vm *vm, const struct irq_msg *m)
{
	struct vcpu *v;

	if (m->mode == VLAPIC_DM_EXTINT) {
		if ((v = irq_extint_target(vm)))
			irq_set_ext(v, m->vector);
		return;
	}
	if (m->mode == VLAPIC_DM_LOWEST) {
		if ((v = lowest_priority(vm, m)))
			deliver_to(v, m);
		return;
	}
	for (u32 i = 0; i < vm->vcpu_count; i++)
		if (is_destination(&vm->vcpus[i], m))
			deliver_to(&vm->vcpus[i], m);
}

/* A level-triggered vector's EOI (the vLAPIC's TMR bit was set) ends the
 * run with HV_EXIT_EOI when the VMM enabled it, for its IOAPIC's remote
 * IRR; the EOI instruction is complete. Without it the EOI stays here. */
static bool report_level_eoi(struct vcpu *v)
{
	int vector = vlapic_take_level_eoi(&v->apic);

	if (!v->vmm_exit || !(v->vm->exit_reasons & BIT(HV_EXIT_EOI)))
		return true;
	v->vmm_exit->u.eoi = (struct hv_exit_eoi){ .vector = (u32)vector };
	return vcpu_exit_to_vmm(v, HV_EXIT_EOI);
}

bool irq_after_exit(struct vcpu *v, bool go_on)
{
	struct vlapic_ipi ipi;

	if (vlapic_take_ipi(&v->apic, &ipi))
		irq_deliver(v->vm, &(struct irq_msg){ .dest = ipi.dest, .logical = ipi.logical,
						       .vector = ipi.vector, .mode = ipi.mode,
						       .level = ipi.level, .assert = ipi.assert,
						       .shorthand = ipi.shorthand, .source = v });
	/* an INIT or SIPI from a vCPU on another CPU, which kicked this one
	 * out of the guest: loaded here; one left waiting for a SIPI ends
	 * the run */
	if (go_on && v->start_pending)
		return vcpu_start_load(v) || vcpu_exit_to_vmm(v, HV_EXIT_WAIT_SIPI);
	if (go_on && vlapic_level_eoi_pending(&v->apic))
		return report_level_eoi(v);
	return go_on;
}
