/* HV_CALL_CPU_STATS: one physical CPU's figures for VM 0 (hv/cpustats.h
 * says where each comes from). */
#include "hv/hc.h"
#include "arch/x86/tsc.h"
#include "hv/arch.h"
#include "hv/cpustats.h"

struct cpu_figures cpu_figures[PERCPU_MAX];

/* Their ids run from 0 without a gap, and none is added after boot. */
u32 cpustats_cpu_count(void)
{
	u32 n = 0;

	while (n < PERCPU_MAX && percpu_of(n))
		n++;
	return n;
}

/* VM 0's vCPU i runs on CPU i once started (hv/vm0_smp.h). */
static u32 cpu_state(const struct vm *vm0, u32 cpu)
{
	u32 state = cpu < arch_smp_vm_cpus() ? HV_CPU_STATS_VIRT : 0;

	if (cpu < vm0->vcpu_count && vm0->vcpus[cpu].running_on != VCPU_NO_CPU)
		state |= HV_CPU_STATS_VM0;
	return state;
}

/* The header is read in (the rest zeroed); the answer is built here so
 * that decode can check where it goes. */
int hc_cpu_stats_decode(struct hc_ctx *c)
{
	struct hv_cpu_stats *a = &c->in.hv_cpu_stats;
	u64 now = rdtsc();

	if (a->flags || a->reserved || a->cpu >= cpustats_cpu_count())
		return -EINVAL;
	a->state = cpu_state(c->vm, a->cpu);
	a->exits = arch_cpu_guest_exits(a->cpu);
	a->guest_tsc = cpu_figures[a->cpu].guest_tsc;
	a->idle_tsc = arch_timer_idle_tsc(a->cpu, now);
	a->tsc = now + c->vcpu->tsc_offset; /* VM 0's TSC (hv/tsc.h) */
	a->start_tsc = arch_timer_start_tsc() + c->vcpu->tsc_offset;
	return hc_check_out(c, a, sizeof(*a), HC_HEADER_SIZE);
}
