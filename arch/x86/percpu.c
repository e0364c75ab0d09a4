#include "arch/x86/percpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/page_alloc.h"
#include "hv/arch.h"

#define AP_STACK_PAGES 8 /* 32 KiB, as the boot CPU's */

extern u8 bsp_stack_bottom[], bsp_stack_top[];

static struct percpu boot_cpu;
static struct percpu *percpus[PERCPU_MAX] = { &boot_cpu };

struct percpu *percpu_of(u32 cpu_id)
{
	return cpu_id < PERCPU_MAX ? percpus[cpu_id] : NULL;
}

void percpu_init_this_cpu(struct percpu *pc)
{
	pc->self = pc;
	wrmsr(MSR_GS_BASE, (u64)pc);
}

void percpu_init_boot_cpu(void)
{
	boot_cpu.cpu_id = 0;
	boot_cpu.stack_bottom = (u64)bsp_stack_bottom;
	boot_cpu.stack_top = (u64)bsp_stack_top;
	percpu_init_this_cpu(&boot_cpu);
}

#define PERCPU_PAGES (ALIGN_UP(sizeof(struct percpu), PAGE_SIZE) / PAGE_SIZE)

struct percpu *percpu_alloc(u32 cpu_id, u32 apic_id)
{
	struct percpu *pc = cpu_id < PERCPU_MAX ? pages_alloc(PERCPU_PAGES) : NULL;
	u8 *stack = pc ? pages_alloc(AP_STACK_PAGES) : NULL;

	if (!pc || !stack) {
		pages_free(pc, PERCPU_PAGES);
		pages_free(stack, AP_STACK_PAGES);
		return NULL;
	}
	pc->cpu_id = cpu_id;
	pc->apic_id = apic_id;
	pc->stack_bottom = (u64)stack;
	pc->stack_top = (u64)stack + AP_STACK_PAGES * PAGE_SIZE;
	percpus[cpu_id] = pc;
	return pc;
}

void percpu_free(struct percpu *pc)
{
	percpus[pc->cpu_id] = NULL;
	pages_free((void *)pc->stack_bottom, AP_STACK_PAGES);
	pages_free(pc, PERCPU_PAGES);
}

static bool range_inside(u64 addr, u64 len, u64 lo, u64 hi)
{
	return addr >= lo && addr <= hi && len <= hi - addr;
}

bool percpu_on_stack(u64 addr, u64 len)
{
	struct percpu *pc = this_cpu();

	if (range_inside(addr, len, pc->stack_bottom, pc->stack_top))
		return true;
	for (int i = 0; i < IST_COUNT; i++) {
		u64 lo = (u64)pc->ist_stacks[i];

		if (range_inside(addr, len, lo, lo + IST_STACK_SIZE))
			return true;
	}
	return false;
}

u32 arch_cpu_id(void)
{
	return this_cpu()->cpu_id;
}

bool arch_cpu_left_guest_since(u32 cpu, u64 exits)
{
	struct percpu *pc = percpu_of(cpu);

	return !pc || pc->guest_exits != exits || !pc->in_guest;
}

u64 arch_cpu_guest_exits(u32 cpu)
{
	struct percpu *pc = percpu_of(cpu);

	return pc ? pc->guest_exits : 0;
}
