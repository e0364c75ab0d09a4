#include "arch/x86/gdt.h"
#include "arch/x86/io.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "hv/arch.h"

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

/* The hypervisor takes no legacy-PIC interrupts: mask every line so none
 * can reach a guest or keep a vCPU exiting. */
static void mask_legacy_pic(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

void arch_early_init(void)
{
	mask_legacy_pic();
	percpu_init_boot_cpu();
	gdt_init_this_cpu();
	idt_init_this_cpu();
}

void arch_halt(void)
{
	asm volatile("hlt");
}
