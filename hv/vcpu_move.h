/* A child's vCPU used from any CPU: moving its backend state between
 * CPUs, as KVM's vcpu_load does.
 *
 * A vCPU's backend state (VMX's active VMCS, the lazily switched guest
 * registers) lives on one CPU at a time, its home_cpu. A use from another
 * CPU B (a run, reading or setting its registers) first makes the home
 * CPU A give it up: B posts a request in A's mailbox, kicks A and waits,
 * hv_lock released, until A has done it (VMCLEAR, the lazy registers
 * saved into the vCPU); then the vCPU is B's. A serves its mailbox
 * before each guest entry and in every wait (hv/lock.h), so two CPUs
 * that ask each other at once both go on, and once its VM 0 vCPU ended
 * (arch/x86/smp_ap.c). A CPU still waiting for VM 0 to start its vCPU
 * (hv/vm0_smp.h) has used none, so nobody asks it. Requests are served
 * without hv_lock: the vCPU is marked `moving`, and nothing else touches
 * it until its new CPU took it. */
#ifndef HV_VCPU_MOVE_H
#define HV_VCPU_MOVE_H

#include "hv/arch.h"
#include "hv/vm.h"

/* Makes v's backend state usable on this CPU, moving it here if its
 * home is another (after the move, when another CPU is taking it over
 * now). Returns 0, -EBUSY while v runs on another CPU (in guest mode or
 * halted in a run there), or -ENOENT when its VM began to die while this
 * CPU waited for it. Releases hv_lock while it waits. */
int vcpu_claim_from(struct vcpu *v, u32 here);

static inline int vcpu_claim(struct vcpu *v)
{
	u32 here = arch_cpu_id();

	if (v->home_cpu == here && !v->moving)
		return 0;
	return vcpu_claim_from(v, here);
}

/* hv/vcpu_move_serve.c: marks v moving and posts this CPU's request
 * for it in home's mailbox; vcpu_move_done(&here) once it was served. */
void vcpu_move_post(struct vcpu *v, u32 home, u32 here);
bool vcpu_move_done(const void *here);

/* Requests posted to any CPU and not served yet. */
extern volatile u32 vcpu_moves_asked;

/* Gives up the vCPUs other CPUs asked this one for. Runs with or
 * without hv_lock. */
void vcpu_moves_serve_here(void);

/* Before each guest entry and in every wait: one load when nobody asks. */
static inline void vcpu_moves_serve(void)
{
	if (__builtin_expect(vcpu_moves_asked != 0, 0))
		vcpu_moves_serve_here();
}

#endif
