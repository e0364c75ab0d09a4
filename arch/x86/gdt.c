/* Per-CPU GDT with a 64-bit TSS. The TSS carries the IST stacks that let
 * NMI, double fault and machine check run on a known-good stack. */
#include "arch/x86/gdt.h"
#include "arch/x86/percpu.h"
#include "lib/string.h"

static void tss_setup(struct percpu *pc)
{
	memset(&pc->tss, 0, sizeof(pc->tss));
	for (int i = 0; i < IST_COUNT; i++)
		pc->tss.ist[i] = (u64)pc->ist_stacks[i] + IST_STACK_SIZE;
	pc->tss.rsp[0] = pc->stack_top;
	pc->tss.iomap_base = sizeof(pc->tss); /* no I/O bitmap */
}

/* Loads GDTR, reloads CS with a far return and the data selectors, then
 * TR. FS/GS are left alone: reloading GS would clear the per-CPU base. */
static void gdt_load(struct percpu *pc)
{
	struct desc_ptr p = { sizeof(pc->gdt) - 1, (u64)pc->gdt };

	asm volatile("lgdt %0\n"
		     "pushq %1\n"
		     "leaq 1f(%%rip), %%rax\n"
		     "pushq %%rax\n"
		     "lretq\n"
		     "1:\n"
		     "movw %w2, %%ds\n"
		     "movw %w2, %%es\n"
		     "movw %w2, %%ss\n"
		     "ltr %w3\n"
		     :
		     : "m"(p), "i"(GDT_SEL_CODE), "r"(GDT_SEL_DATA),
		       "r"(GDT_SEL_TSS)
		     : "rax", "memory");
}

void gdt_init_this_cpu(void)
{
	struct percpu *pc = this_cpu();

	pc->gdt[0] = 0;
	pc->gdt[GDT_SEL_CODE / 8] = GDT_CODE64;
	pc->gdt[GDT_SEL_DATA / 8] = GDT_DATA;
	tss_setup(pc);
	x86_tss_descriptor(&pc->gdt[GDT_SEL_TSS / 8], &pc->tss);
	gdt_load(pc);
}
