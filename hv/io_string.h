#ifndef HV_IO_STRING_H
#define HV_IO_STRING_H

#include "hv/vm.h"

/* Emulates INS/OUTS (and their REP forms) to a port the hypervisor owns.
 * Returns false when the VM had to be stopped. */
bool io_string(struct vcpu *v, const struct vm_exit *exit);

#endif
