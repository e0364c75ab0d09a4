/* What the vendor-neutral core needs from the architecture layer. The core
 * calls these and never looks below them. */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#include "lib/types.h"


/* Per-CPU data, GDT/TSS and IDT of the boot CPU: right after the console,
 * so every later fault is reported. */
void arch_early_init(void);

/* Waits for the next interrupt (or forever, with interrupts off). */
void arch_halt(void);

/* Power the machine off with an exit code for emulators; halts forever on
 * hardware that has neither exit port. */
__noreturn void arch_poweroff(u8 code);

/* Prints a frame-pointer backtrace starting at (rip, rbp). */
void arch_backtrace(u64 rip, u64 rbp);
void arch_backtrace_here(void);

/* Builds the hypervisor's final page tables (identity map up to `top`,
 * image sections with exact permissions) and switches to them. The
 * table frames come from hv_frames. */
void arch_paging_init(u64 top);

/* Boot-time checks of the page protections actually in force. Logs each
 * failure; returns false when any check failed. */
bool arch_paging_selftest(void);

/* A one-shot timer that takes the CPU back from a running guest (time
 * slice ends, virtual LAPIC timers) or out of arch_timer_wait. It works
 * in host TSC time: arch_timer_arm_at(t) fires once the TSC has reached
 * about t (the caller reads the TSC to see what is due; re-arming for the
 * same t is free). The `timeslice=` ticks convert to TSC cycles. */
void arch_timer_init(void);
void arch_timer_arm_at(u64 tsc);
void arch_timer_disarm(void);
/* The TSC the armed timer stands for; 0 when disarmed. */
u64 arch_timer_armed_at(void);
u64 arch_timer_ticks_to_tsc(u32 ticks);
/* Halts the CPU until an interrupt (the armed timer's) comes; one that
 * came since interrupts were last on ends it at once. */
void arch_timer_wait(void);
/* CPU `cpu`'s TSC ticks halted in arch_timer_wait up to host TSC `now`
 * (its idle time), read without the lock. */
u64 arch_timer_idle_tsc(u32 cpu, u64 now);
/* The host TSC at arch_timer_init: the hypervisor's start. */
u64 arch_timer_start_tsc(void);

/* A host interrupt: from the IDT, or handed over by a VM exit that
 * acknowledged it. */
void arch_irq(u8 vector);

/* Hardware virtualization support, in vendor-neutral words. */
struct virt_ops;

struct virt_report {
	const struct virt_ops *ops; /* the backend, NULL when none fits */
	char summary[256]; /* the one-line "cpu:" report */
	char missing[160]; /* why not, when !supported */
};

void arch_virt_detect(struct virt_report *r);

/* Starts the other CPUs the ACPI MADT lists, `limit` CPUs at most with
 * the boot CPU, each with its own per-CPU data, GDT/TSS and stacks, the
 * hypervisor's page tables and IDT, the boot CPU's capability check and
 * `cpu_enable` (the backend's, run on that CPU); then each with
 * virtualization on runs `cpu_main` with its local APIC on, and when it
 * returns halts, waking only to serve other CPUs' requests for the
 * vCPUs it used (hv/vcpu_move.h); the others halt at once. Logs what
 * it found and did; returns how many CPUs run virtualized, the boot CPU
 * included. */
struct boot_info;
u32 arch_smp_start(const struct boot_info *bi, u32 limit, int (*cpu_enable)(void),
		   void (*cpu_main)(void));

/* How many CPUs, from id 0 up without a gap, run virtualized. */
u32 arch_smp_vm_cpus(void);

/* This CPU's id: 0 for the boot CPU, the others from 1. */
u32 arch_cpu_id(void);

/* Interrupts CPU `cpu` with the hypervisor's kick vector: in guest mode
 * it exits, in HLT it wakes; the handler does nothing else. */
void arch_kick_cpu(u32 cpu);

/* CPU `cpu`'s exits from guest mode so far, counted without a lock; and
 * whether it left guest mode since it had made `exits` of them (or is
 * out of it now): its next entry then sees what changed before. */
u64 arch_cpu_guest_exits(u32 cpu);
bool arch_cpu_left_guest_since(u32 cpu, u64 exits);

/* Deliberately raises an exception of the named kind ("ud", "gp", "pf",
 * "de"), to exercise the exception path in tests. Returns only when the
 * name is unknown. */
void arch_raise_test_fault(const char *kind);

#endif
