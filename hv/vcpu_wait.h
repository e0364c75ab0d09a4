/* A vCPU of a VM with the virtual LAPIC that executes HLT with interrupts
 * enabled waits inside the hypervisor, not in its VMM: it does not run,
 * and the CPU halts with the host timer armed, until something wakes it,
 * its time slice ends or a sibling vCPU this CPU runs could run (then
 * VM 0 gets the CPU back and the next run goes on waiting). Its LAPIC
 * timer is driven by the host timer the same way while it runs. */
#ifndef HV_VCPU_WAIT_H
#define HV_VCPU_WAIT_H

#include "hv/vm.h"

/* Whether something would wake the vCPU from HLT now (the list is in
 * hv/vcpu_wait.c). */
bool vcpu_has_wakeup(struct vcpu *v);

/* Whether its HLT waits here: a child with the virtual LAPIC and
 * interrupts enabled. */
bool vcpu_hlt_waits(const struct vcpu *v);

/* Arms the host timer for the earlier of slice_end (host TSC) and the
 * vCPU's LAPIC timer. */
void vcpu_timer_arm(struct vcpu *v, u64 slice_end);

/* Its LAPIC timer's interrupt becomes pending once the deadline has
 * passed in the vCPU's TSC. */
void vcpu_timer_check(struct vcpu *v);

/* Waits while the vCPU is halted: 0 when it woke (no longer halted),
 * else the exit for its VMM, the vCPU still halted: HV_EXIT_TIMESLICE
 * when the slice ending at host TSC slice_end (the VMM's deadline, when
 * that is earlier: hv/exit.c) ended first or another vCPU of its VM
 * could run on this CPU, HV_EXIT_IRQ_WINDOW when the VMM asked for one
 * (HV_RUN_IRQ_WINDOW); HV_EXIT_WAIT_SIPI, no longer halted, after an
 * INIT from another CPU. */
u32 vcpu_wait(struct vcpu *v, u64 slice_end);

#endif
