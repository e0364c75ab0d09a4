/* MMIO exits (HV_EXIT_MMIO): a child's data access to guest-physical
 * memory that is not its RAM, decoded for its VMM. */
#ifndef HV_MMIO_H
#define HV_MMIO_H

#include "hv/vm.h"

/* Whether the stage-2 fault `exit` goes to the vCPU's VMM as an MMIO
 * exit: a child run by a VMM that enabled HV_EXIT_MMIO, and a data
 * access of an instruction (not a fetch, a guest page-table access or
 * the delivery of an event). */
bool mmio_exit_wanted(const struct vcpu *v, const struct vm_exit *exit);

/* Decodes the instruction and describes the access in the VMM's exit
 * record; returns false (the run ends). */
bool mmio_exit(struct vcpu *v, const struct vm_exit *exit);

/* Completes the read the last MMIO exit left pending with the VMM's
 * value; false when the instruction gives the VMM a second exit (the
 * write of a read-modify-write) or the VM stopped. */
bool mmio_complete_read(struct vcpu *v, u64 value);

/* Whether the stage-2 fault is a data access to the vCPU's xAPIC page
 * (HV_FEATURE_LAPIC, the page decoded: the APIC enabled in xAPIC mode),
 * and the access, done against hv/vlapic.c without the VMM. */
bool mmio_lapic_wanted(const struct vcpu *v, const struct vm_exit *exit);
bool mmio_lapic(struct vcpu *v, const struct vm_exit *exit);

#endif
