/* Hypercall dispatch: RAX carries the call number, RDI the guest-physical
 * address of the call's struct; RAX returns >= 0 or a negative errno. A
 * plain table indexed by number, ending in -ENOSYS for anything else. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hv/vm.h"

#define HC_ABI_VERSION 0

void hypercall_dispatch(struct vcpu *v);

#endif
