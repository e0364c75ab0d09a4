#ifndef HV_IO_H
#define HV_IO_H

#include "hv/vm.h"

/* Emulates the port I/O of an exit (string and REP forms included).
 * Returns false when the VM had to be stopped. */
bool io_handle(struct vcpu *v, const struct vm_exit *exit);

/* Finishes an IN whose value the VMM supplied: RAX and RIP. */
bool io_complete_in(struct vcpu *v, const struct vm_exit *exit, u64 value);

/* io_handle's INS/OUTS (and their REP forms) to a port the hypervisor
 * owns, hv/io_string.c. Returns false when the VM had to be stopped. */
bool io_string(struct vcpu *v, const struct vm_exit *exit);

#endif
