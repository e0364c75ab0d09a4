/* Interrupt and NMI windows under SVM (AMD APM vol. 2, 15.21). The
 * interrupt window is a virtual interrupt (V_IRQ, any priority) with
 * its VINTR intercept: the exit comes as the guest would take it. There
 * is no NMI window: from an NMI's injection to its handler's IRET, IRET
 * is intercepted (the unblocking is never missed, whether or not another
 * NMI waits yet), and NMIs count as unblocked once RIP has moved on from
 * it; the interrupt window brings the vCPU back after the IRET when an
 * NMI waits. */
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"

static bool in_shadow(struct vcpu *v)
{
	const struct vmcb *vmcb = svm_vcpu(v)->vmcb;

	/* the shadow covers the instruction at the exit's RIP only */
	return (vmcb->control.int_state & SVM_INT_STATE_SHADOW) && v->regs.rip == vmcb->save.rip;
}

bool svm_interrupt_allowed(struct vcpu *v)
{
	return (v->regs.rflags & RFLAGS_IF) && !in_shadow(v);
}

static void update_intercepts(struct svm_vcpu *s);

bool svm_nmi_allowed(struct vcpu *v)
{
	struct svm_vcpu *s = svm_vcpu(v);

	if (s->iret_seen && v->regs.rip != s->iret_rip) {
		s->nmi_blocked = s->iret_seen = false;
		update_intercepts(s);
	}
	return !s->nmi_blocked && !in_shadow(v);
}

static void update_intercepts(struct svm_vcpu *s)
{
	struct vmcb_control *c = &s->vmcb->control;
	bool vintr = s->irq_window || (s->nmi_window && s->iret_seen);
	bool iret = s->nmi_blocked && !s->iret_seen;

	c->intercepts1 &= ~(SVM_INTERCEPT_VINTR | SVM_INTERCEPT_IRET);
	c->intercepts1 |= (vintr ? SVM_INTERCEPT_VINTR : 0) | (iret ? SVM_INTERCEPT_IRET : 0);
	c->int_control &= ~(SVM_INT_CONTROL_V_IRQ | SVM_INT_CONTROL_V_PRIO_MAX |
			    SVM_INT_CONTROL_V_IGN_TPR);
	if (vintr)
		c->int_control |= SVM_INT_CONTROL_V_IRQ | SVM_INT_CONTROL_V_PRIO_MAX |
				  SVM_INT_CONTROL_V_IGN_TPR;
}

void svm_set_irq_window(struct vcpu *v, bool on)
{
	svm_vcpu(v)->irq_window = on;
	update_intercepts(svm_vcpu(v));
}

void svm_set_nmi_window(struct vcpu *v, bool on)
{
	svm_vcpu(v)->nmi_window = on;
	update_intercepts(svm_vcpu(v));
}

/* An NMI going in blocks the next until its handler's IRET. */
void svm_irq_injected(struct vcpu *v, const struct event *e)
{
	if (e->type == EVENT_NMI) {
		svm_vcpu(v)->nmi_blocked = true;
		update_intercepts(svm_vcpu(v));
	}
}

/* The IRET intercept's exit (EXIT_NMI_WINDOW, the only one svm_vcpu_run
 * passes here): NMIs unblock once RIP has left the IRET; the
 * interrupt window (set by update_intercepts) brings the vCPU back then. */
void svm_iret_exit(struct vcpu *v)
{
	struct svm_vcpu *s = svm_vcpu(v);

	s->iret_seen = true;
	s->iret_rip = v->regs.rip;
	update_intercepts(s);
}
