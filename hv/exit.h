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

/* Runs the vCPU until its VM stops. */
void vcpu_run_until_stopped(struct vcpu *v);

/* Runs a child's vCPU until its VMM must act or the VM stops, and
 * describes why in *out. have_value/value answer the exit the previous
 * run returned (HV_RUN_COMPLETE). */
void vcpu_run_for_vmm(struct vcpu *v, bool have_value, u64 value, struct hv_exit *out);

#endif
