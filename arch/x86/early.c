#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "hv/arch.h"

void arch_early_init(void)
{
	percpu_init_boot_cpu();
	gdt_init_this_cpu();
	idt_init_this_cpu();
}

void arch_halt(void)
{
	cpu_idle();
}
