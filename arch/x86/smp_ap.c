/* A secondary CPU's first C code, entered from ap_trampoline.S on its own
 * stack: its per-CPU data, GDT/TSS and IDT, the boot CPU's capability
 * check and the backend's per-CPU enable, each step reported to the boot
 * CPU through ap_state; then it parks. */
#include "arch/x86/apic_ipi.h"
#include "arch/x86/gdt.h"
#include "arch/x86/percpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/trap.h"
#include "drivers/lapic.h"
#include "hv/log.h"
#include "hv/vcpu_move.h"
#include "lib/string.h"

volatile u32 ap_state;
struct virt_report ap_boot_cpu_report;
int (*ap_cpu_enable)(void);
void (*ap_cpu_main)(void);

void ap_main(struct percpu *pc);

/* The same capability check as on the boot CPU, which must come out the
 * same, then the backend's per-CPU enable. */
static int enable_virtualization_here(void)
{
	struct virt_report rep;

	arch_virt_detect(&rep);
	if (rep.ops != ap_boot_cpu_report.ops ||
	    strcmp(rep.summary, ap_boot_cpu_report.summary)) {
		log_err("smp: CPU %u differs from the boot CPU: %s", this_cpu()->cpu_id,
			rep.summary);
		return -1;
	}
	return ap_cpu_enable();
}

/* A CPU without virtualization stays halted; one with it runs what the
 * core gave it (its VM 0 vCPU), with its local APIC on for the IPIs that
 * wake it and for the timer of the children it runs. After that it still
 * gives up the vCPUs it used when another CPU asks (hv/vcpu_move.h): the
 * one that destroys their VMs. */
static __noreturn void park(bool virtualized)
{
	if (virtualized) {
		lapic_init();
		ap_cpu_main();
		for (;;) {
			vcpu_moves_serve();
			arch_timer_wait(); /* a kick comes after a request */
		}
	}
	for (;;)
		asm volatile("cli; hlt");
}

/* After ap_trampoline.S claimed the start (ap_state AP_CHECKED_IN). The
 * APIC id is this CPU's own: a CPU that came late may have claimed the
 * start meant for the next one. */
void ap_main(struct percpu *pc)
{
	bool virtualized;

	percpu_init_this_cpu(pc);
	pc->apic_id = apic_id_this_cpu();
	gdt_init_this_cpu();
	idt_init_this_cpu();
	virtualized = enable_virtualization_here() == 0;
	ap_state = virtualized ? AP_PARKED_VIRT : AP_PARKED_PLAIN;
	park(virtualized);
}
