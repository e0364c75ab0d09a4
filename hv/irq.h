/* Interrupts into vCPUs. Before every entry the core injects what is
 * pending for the vCPU when it can take it (RFLAGS.IF set, no STI or
 * MOV SS shadow, no other event on its way in), or asks the backend for
 * an interrupt-window exit so that it goes in as soon as the guest opens
 * the window. */
#ifndef HV_IRQ_H
#define HV_IRQ_H

#include "lib/types.h"

struct vm;
struct vcpu;

/* What is pending for one vCPU besides its virtual LAPIC's IRR (in
 * struct vcpu as `irq`). */
struct vcpu_irq {
	bool ext_pending;  /* ext_vector: injected directly (a VM without the
			    * virtual LAPIC) or through LINT0 in ExtINT mode */
	u8 ext_vector;
	bool nmi_pending;
	bool window_exit;  /* this run ends with HV_EXIT_IRQ_WINDOW as soon
			    * as the vCPU can take an interrupt */
	bool window_on;    /* the backend's interrupt-window exit is armed */
	bool nmi_window_on; /* and its NMI-window exit */
};

/* One interrupt message: an MSI from the VMM or an IPI a vLAPIC sent.
 * mode and shorthand in the APIC's encoding (VLAPIC_DM_*, VLAPIC_SH_*). */
struct irq_msg {
	u32 dest;        /* APIC id, or logical destination when `logical` */
	bool logical;
	u8 vector;
	u8 mode;
	bool level;      /* level-triggered */
	bool assert;     /* level: asserted (an edge always is) */
	u8 shorthand;
	struct vcpu *source; /* the sender, for shorthands; NULL from the VMM */
};

/* Whether an entry of a vCPU with these `irq` has nothing to inject or
 * arm: nothing pending, no window asked for or armed, and (`lapic`
 * false) no virtual LAPIC. The core then skips irq_before_entry and
 * irq_run_start, which would find the same. */
static inline bool irq_idle(const struct vcpu_irq *q, bool lapic)
{
	return !(q->ext_pending | q->nmi_pending | q->window_exit | q->window_on |
		 q->nmi_window_on | lapic);
}

/* Before each entry of v: injects a pending NMI or interrupt when v can
 * take it, else arms the window exit. `busy`: an event (cut short, or
 * one the core queued) already goes in on this entry. */
void irq_before_entry(struct vcpu *v, bool busy);

/* An interrupt- or NMI-window exit: false (the run ends with
 * HV_EXIT_IRQ_WINDOW) when the vCPU's VMM asked for it, else true: the
 * next entry injects what waited. */
bool irq_window_exit(struct vcpu *v);

/* At the start of a VMM's run of v: as irq_window_exit, when the
 * window the VMM asked for is open before the run enters the guest. */
bool irq_run_start(struct vcpu *v);

/* Whether v has an NMI or interrupt waiting for it (wake-up from HLT). */
bool irq_pending(const struct vcpu *v);

/* Makes vector pending for v without the virtual LAPIC (direct
 * injection, ExtINT); false while one still is. */
bool irq_set_ext(struct vcpu *v, u8 vector);

/* The CPU v runs on, if it is another, leaves guest mode or wakes from
 * HLT at once (an IPI): to look at what became pending for v. */
void vcpu_kick_cpu(const struct vcpu *v);
/* Makes an NMI pending for v (NMIs that meet one pending are one). */
void irq_set_nmi(struct vcpu *v);

/* After each exit of v, a vCPU with the virtual LAPIC (the caller checks,
 * so that other VMs' exits pay no call), with go_on what handling the
 * exit returned: routes the IPI its vLAPIC queued, if any. Once the
 * exit's instruction is complete (go_on), an EOI of a level-triggered
 * vector ends the run with HV_EXIT_EOI (false) where the VMM enabled
 * it. */
bool irq_after_exit(struct vcpu *v, bool go_on);

/* Routes a message to the VM's vCPUs it names (a VM with the virtual
 * LAPIC): fixed to each destination's LAPIC; lowest priority to the one
 * destination with the lowest arbitration priority (ties: the lowest
 * vCPU id); NMI, INIT and SIPI to each destination; ExtINT to the vCPU
 * irq_extint_target names. A vCPU that is not running keeps what it got
 * pending until it next runs. */
void irq_deliver(struct vm *vm, const struct irq_msg *m);

/* The vCPU whose LINT0 takes ExtINT (the lowest id), or NULL. */
struct vcpu *irq_extint_target(struct vm *vm);

#endif
