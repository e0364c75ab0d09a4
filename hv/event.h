/* Events the core queues for a vCPU's next entry (exceptions raised by
 * the instructions it emulates, events handed back to the guest), and
 * exits it hands to the vCPU's VMM. */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include "hv/vm.h"

/* Queues an event for the next entry (instead of an event the last exit
 * interrupted); drops the error code where the guest's mode has none.
 * Returns true, as an exit handler that goes on running the guest. */
bool vcpu_inject_event(struct vcpu *v, const struct event *e);

/* Queues the exception `vector`, with `error` when has_error; returns
 * true as vcpu_inject_event does. */
bool vcpu_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error);

/* Drops an event vcpu_inject_event queued that no entry delivered yet:
 * the VMM gave the vCPU a new state, which must not start with it. */
void vcpu_cancel_queued_event(struct vcpu *v);

/* Starts the exit record for the VMM (reason, RIP, the VM's count of
 * VMM exits); returns false, as an exit handler that stops the run. */
static inline bool vcpu_exit_to_vmm(struct vcpu *v, u32 reason)
{
	v->vmm_exit->reason = reason;
	v->vmm_exit->rip = v->regs.rip;
	v->vm->stats.vmm_exits++;
	return false;
}

#endif
