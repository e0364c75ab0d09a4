/* Each CPU's figures for HV_CALL_CPU_STATS (hv/hc_cpustats.c). The exits
 * are the backends' count (arch_cpu_guest_exits), the idle time the
 * timer's (arch_timer_idle_tsc); the children's time in guest mode is
 * kept here, added by the run loop at each exit, from the TSC reads it
 * makes anyway (hv/exit.c). */
#ifndef HV_CPUSTATS_H
#define HV_CPUSTATS_H

#include "arch/x86/percpu.h"

/* Guarded by hv_lock: written by the CPU's run loop after each exit,
 * read by the call. A line each, as each CPU writes its own. */
struct cpu_figures {
	u64 guest_tsc; /* TSC ticks children's vCPUs ran in guest mode here */
} __attribute__((aligned(64)));

extern struct cpu_figures cpu_figures[PERCPU_MAX];

/* The CPUs the call answers for: those the hypervisor started,
 * virtualized or not (HV_EXT_CPU_STATS). */
u32 cpustats_cpu_count(void);

static inline void cpustats_add_guest(u32 cpu, u64 ticks)
{
	cpu_figures[cpu].guest_tsc += ticks;
}

#endif
