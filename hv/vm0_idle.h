/* VM 0's vCPUs sleep in the hypervisor until another wakes them
 * (HV_CALL_VM0_IDLE, hv/hc_vm0_idle.c): a VMM loop with nothing to do
 * gives its CPU back, halted, instead of spinning. */
#ifndef HV_VM0_IDLE_H
#define HV_VM0_IDLE_H

#include "hv/vm.h"

/* HV_CALL_VCPU_KICK of VM 0's vCPU v: its idle call returns 1, now if it
 * idles, else its next one at once. Under hv_lock. */
void vm0_idle_wake(struct vcpu *v);

#endif
