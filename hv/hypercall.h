/* Hypercall dispatch: RAX carries the call number, RDI the guest-physical
 * address of the call's struct; RAX returns >= 0 or a negative errno. A
 * table indexed by number, built from abi/hv_abi.def: privilege check
 * first, then the call's struct is read, then the call's decode (every
 * check, may fail, no side effects) and invoke (side effects only). */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hv/vm.h"

/* Executes the hypercall in the vCPU's RAX/RDI and sets RAX. `user`:
 * the guest made it from CPL > 0, which gets -EPERM for every call (the
 * guest's kernel, not its applications, speaks to the hypervisor). */
void hypercall_dispatch(struct vcpu *v, bool user);

/* A VCPU_RUN call returns from hypercall_dispatch with only its request
 * recorded (v->run_call). The caller's run loop runs the child, then
 * completes the call here: the exit record, RAX and the trace line, as
 * any other call gets them from hypercall_dispatch. */
void hypercall_complete_run(struct vcpu *v);

/* Whether the hypervisor implements this call number. */
bool hypercall_known(u64 nr);

/* Hypercall tracing (`trace=hypercalls`, HV_FEATURE_TRACE): the HV_TRACE_*
 * flags set. The switch is kept in hv/hc_common.c, below both the
 * dispatcher and FEATURE. */
extern u32 hypercall_trace;

#endif
