/* HLT inside the hypervisor and the virtual LAPIC timer on the host's
 * (hv/vcpu_wait.h). While a vCPU waits, the host timer's interrupt or
 * another CPU can change what it waits for; another CPU does so holding
 * hv_lock, which the wait releases, and then kicks this one (hv/irq.c).
 * The checks run with interrupts off and the lock held, and the halt
 * enables interrupts in the same step (arch_timer_wait), so no wake-up
 * is lost: a kick sent after the checks is pending when HLT starts. */
#include "hv/vcpu_wait.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "hv/arch.h"
#include "hv/irq.h"
#include "hv/lock.h"
#include "hv/tsc.h"
#include "hv/vcpu_mp.h"

/* What wakes a halted vCPU:
 * - an interrupt its virtual LAPIC would deliver now (an IRR vector whose
 *   priority class is above the PPR), its own timer's included;
 * - an NMI, or an ExtINT through LINT0 (hv/irq.h);
 * - INIT and SIPI end the halt where they load their state (hv/vcpu_mp.c). */
bool vcpu_has_wakeup(struct vcpu *v)
{
	return irq_pending(v);
}

bool vcpu_hlt_waits(const struct vcpu *v)
{
	return v->vmm_exit && v->vm->lapic && (v->regs.rflags & RFLAGS_IF);
}

/* The vCPU's LAPIC timer deadline in its own TSC; 0: none. */
static u64 vlapic_deadline(const struct vcpu *v)
{
	return v->vm->lapic ? vlapic_timer_deadline(&v->apic) : 0;
}

/* The deadline is compared as the vLAPIC does, unsigned in the vCPU's
 * TSC, so that no value a guest writes makes it look due early. */
void vcpu_timer_arm(struct vcpu *v, u64 slice_end)
{
	u64 d = vlapic_deadline(v), now, vnow, until;
	bool first;

	if (!d) { /* no LAPIC timer: the slice's end, no TSC read */
		arch_timer_arm_at(slice_end);
		return;
	}
	now = rdtsc();
	vnow = now + v->tsc_offset;
	until = d > vnow ? d - vnow : 0;
	first = (s64)(slice_end - now) > 0 && until < slice_end - now;
	arch_timer_arm_at(first ? now + until : slice_end);
}

void vcpu_timer_check(struct vcpu *v)
{
	u64 d = vlapic_deadline(v), now;

	if (!d)
		return;
	now = vcpu_tsc(v);
	if (now >= d)
		vlapic_timer_expire(&v->apic, now);
}

/* Whether another vCPU of v's VM would run now on this CPU (the last
 * one it used, or none yet): only it can wake v (an IPI) before the
 * timer, so v gives its slice back to let VM 0 run it. A sibling another
 * CPU runs wakes v there, kicking this one. One that never ran is not
 * counted: v ran, so the first vCPU did. */
static bool sibling_runnable(const struct vcpu *v)
{
	u32 here = arch_cpu_id();

	for (u32 i = 0; i < v->vm->vcpu_count; i++) {
		const struct vcpu *u = &v->vm->vcpus[i];

		if (u != v && !u->halted && u->mp_state == VCPU_MP_RUNNABLE &&
		    (u->home_cpu == here || u->home_cpu == VCPU_NO_CPU))
			return true;
	}
	return false;
}

u32 vcpu_wait(struct vcpu *v, u64 slice_end)
{
	for (;;) {
		/* an INIT or SIPI another CPU sent ends the halt: loaded here;
		 * after INIT the run ends waiting for a SIPI */
		if (v->start_pending)
			return vcpu_start_load(v) ? 0 : HV_EXIT_WAIT_SIPI;
		if (vcpu_has_wakeup(v)) {
			v->halted = false;
			return 0;
		}
		if (v->irq.window_exit) { /* halted with IF set: it can take one */
			v->irq.window_exit = false;
			return HV_EXIT_IRQ_WINDOW;
		}
		if (tsc_reached(slice_end) || sibling_runnable(v) ||
		    v->vm->state == VM_STOPPED || v->kicked)
			return HV_EXIT_TIMESLICE;
		vcpu_timer_arm(v, slice_end);
		hv_lock_halt(); /* a kick's wake-up brings later requests */
		vcpu_timer_check(v);
	}
}
