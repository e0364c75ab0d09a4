/* HV_CALL_VCPU_START: VM 0 starts one of its waiting vCPUs (hv/vm0_smp.h).
 * The new vCPU takes the calling vCPU's mode: its state is read here, on
 * the caller's CPU (a vCPU's backend state is touched only on its own
 * CPU), and loaded on the new vCPU's CPU before its first entry. */
#include "hv/hc.h"
#include "arch/x86/cpu.h"
#include "hv/arch.h"
#include "hv/vm0_smp.h"
#include "lib/string.h"

/* Guarded by hv_lock: the state each started vCPU begins in. */
static struct guest_sregs start_sregs[VM_MAX_VCPUS];
/* Set under hv_lock once a vCPU is started; its CPU polls it without. */
static struct vcpu *volatile started[VM_MAX_VCPUS];

int hc_vcpu_start_decode(struct hc_ctx *c)
{
	const struct hv_vcpu_start *a = &c->in.hv_vcpu_start;

	if (a->flags || a->reserved || a->reserved1)
		return -EINVAL;
	if (a->vcpu == 0 || a->vcpu >= c->vm->vcpu_count)
		return -ENOENT;
	return started[a->vcpu] ? -EBUSY : 0;
}

s64 hc_vcpu_start_invoke(struct hc_ctx *c)
{
	const struct hv_vcpu_start *a = &c->in.hv_vcpu_start;
	struct vcpu *v = &c->vm->vcpus[a->vcpu];

	virt->get_sregs(c->vcpu, &start_sregs[a->vcpu]);
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = a->rip;
	v->regs.rsp = a->rsp;
	v->regs.rdi = a->rdi;
	v->regs.rflags = RFLAGS_FIXED;
	v->mp_state = VCPU_MP_RUNNABLE;
	started[a->vcpu] = v;
	arch_kick_cpu(a->vcpu); /* vCPU i is CPU i's */
	return 0;
}

struct vcpu *vm0_vcpu_wait_start(u32 cpu)
{
	struct vcpu *v;

	while (cpu >= VM_MAX_VCPUS || !(v = started[cpu]))
		arch_timer_wait(); /* a kick, or any interrupt, looks again */
	return v;
}

const struct guest_sregs *vm0_vcpu_start_sregs(u32 cpu)
{
	return &start_sregs[cpu];
}
