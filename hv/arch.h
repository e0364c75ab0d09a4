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
 * slices). arch_timer_take() says, once, that it fired. */
void arch_timer_init(void);
void arch_timer_arm(u32 ticks);
void arch_timer_disarm(void);
bool arch_timer_take(void);
/* The armed timer has run out, whether or not its interrupt came (Bochs
 * 2.7 takes no interrupt out of a guest that has IF clear). */
bool arch_timer_expired(void);

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

/* Deliberately raises an exception of the named kind ("ud", "gp", "pf",
 * "de"), to exercise the exception path in tests. Returns only when the
 * name is unknown. */
void arch_raise_test_fault(const char *kind);

#endif
