/* What the boot CPU (smp.c) and a secondary CPU starting up
 * (ap_trampoline.S, smp_ap.c) share: one CPU starts at a time, so one
 * set of words serves all. */
#ifndef ARCH_X86_SMP_H
#define ARCH_X86_SMP_H

/* ap_state: the boot CPU sets AP_OFF before each start; the CPU that
 * moves it to AP_CHECKED_IN (a locked compare-and-exchange in
 * ap_trampoline.S, before it touches the stack it is handed) owns that
 * start, any other parks at once. AP_GIVEN_UP is the boot CPU's end to a
 * start no CPU claimed in time. */
#define AP_OFF 0
#define AP_CHECKED_IN 1   /* in long mode, on the stack it was handed */
#define AP_PARKED_VIRT 2  /* virtualization on */
#define AP_PARKED_PLAIN 3 /* refused or failed: virtualization off */
#define AP_GIVEN_UP 4

#ifndef __ASSEMBLY__
#include "hv/arch.h"

/* Written by the starting CPU, polled by the boot CPU. */
extern volatile u32 ap_state;

/* Set by the boot CPU before the first start: its own capability report,
 * which every CPU's must equal, and the backend's per-CPU enable. */
extern struct virt_report ap_boot_cpu_report;
extern int (*ap_cpu_enable)(void);
extern void (*ap_cpu_main)(void); /* what a virtualized CPU runs once parked */
#endif

#endif
