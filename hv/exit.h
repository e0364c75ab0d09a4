#ifndef HV_EXIT_H
#define HV_EXIT_H

#include "hv/vm.h"

/* Handles one exit the hypervisor completes itself. Returns false when
 * the VM stopped (vm->state == VM_STOPPED, reason recorded). */
bool exit_handle(struct vcpu *v, const struct vm_exit *exit);

/* Local-APIC ticks (bus clock / 16) a child runs before its VMM gets an
 * HV_EXIT_TIMESLICE; `timeslice=` on the command line. */
#define VM_TIMESLICE_DEFAULT 2000000
extern u32 vm_timeslice_ticks;

/* Runs the vCPU until its VM stops. A VCPU_RUN call it makes runs the
 * child from here, after the hypercall has returned. */
void vcpu_run_until_stopped(struct vcpu *v);

#endif
