/* What the boot CPU (smp.c) and a secondary CPU starting up (smp_ap.c)
 * share: one CPU starts at a time, so one set of words serves all. */
#ifndef ARCH_X86_SMP_H
#define ARCH_X86_SMP_H

#include "hv/arch.h"

enum ap_state {
	AP_OFF,
	AP_CHECKED_IN,   /* in long mode on its own GDT, IDT and stack */
	AP_PARKED_VIRT,  /* virtualization on */
	AP_PARKED_PLAIN, /* refused or failed: virtualization off */
};

/* Written by the starting CPU, polled by the boot CPU. */
extern volatile u32 ap_state;

/* Set by the boot CPU before the first start: its own capability report,
 * which every CPU's must equal, and the backend's per-CPU enable. */
extern struct virt_report ap_boot_cpu_report;
extern int (*ap_cpu_enable)(void);

#endif
