/* HV_CALL_VM0_IDLE (hv/vm0_idle.h): the calling VM 0 vCPU waits, its CPU
 * halted and hv_lock released, until a wake-up or its deadline. As in
 * hv/vcpu_wait.c, the checks run with the lock held and interrupts off,
 * and the halt enables interrupts in the same step: a wake-up sent after
 * the checks kicks this CPU, and the pending kick ends the HLT at once.
 * Host interrupts (the timer) are taken during the halt, and requests
 * for vCPUs this CPU used are served before each halt (hv_lock_halt). */
#include "hv/hc.h"
#include "arch/x86/tsc.h"
#include "hv/arch.h"
#include "hv/irq.h"
#include "hv/lock.h"
#include "hv/tsc.h"
#include "hv/vm0_idle.h"

/* Guarded by hv_lock, per VM 0 vCPU: a wake-up no idle call has taken
 * yet, and whether the vCPU waits in one now. */
static bool wake_pending[VM_MAX_VCPUS];
static bool idling[VM_MAX_VCPUS];

void vm0_idle_wake(struct vcpu *v)
{
	wake_pending[v->id] = true;
	if (idling[v->id])
		vcpu_kick_cpu(v);
}

int hc_vm0_idle_decode(struct hc_ctx *c)
{
	const struct hv_vm0_idle *a = &c->in.hv_vm0_idle;

	return a->flags || a->reserved ? -EINVAL : 0;
}

/* What ends the wait: a wake-up (taken: 1), the deadline in host TSC
 * (0), VM 0's end (0: it does not run on); -1 while none has come. */
static int idle_end(struct vcpu *v, bool timed, u64 until)
{
	if (wake_pending[v->id]) {
		wake_pending[v->id] = false;
		return 1;
	}
	if (v->vm->state != VM_RUNNING || (timed && tsc_reached(until)))
		return 0;
	return -1;
}

/* Each pass halts once; whatever woke the CPU (a kick, the timer, any
 * other interrupt) is looked at with the lock taken again. */
s64 hc_vm0_idle_invoke(struct hc_ctx *c)
{
	struct vcpu *v = c->vcpu;
	u64 deadline = c->in.hv_vm0_idle.deadline;
	u64 until = vcpu_tsc_to_host(v, deadline);
	int end;

	idling[v->id] = true;
	while ((end = idle_end(v, deadline, until)) < 0) {
		if (deadline)
			arch_timer_arm_at(until);
		hv_lock_halt(); /* another CPU may want a vCPU this one used */
	}
	idling[v->id] = false;
	if (deadline)
		arch_timer_disarm();
	return end;
}
