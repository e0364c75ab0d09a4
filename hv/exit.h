#ifndef HV_EXIT_H
#define HV_EXIT_H

#include "hv/vm.h"

/* Handles one exit the hypervisor completes itself. Returns false when
 * the VM stopped (vm->state == VM_STOPPED, reason recorded). */
bool exit_handle(struct vcpu *v, const struct vm_exit *exit);

/* Runs the vCPU until its VM stops. */
void vcpu_run_until_stopped(struct vcpu *v);

#endif
