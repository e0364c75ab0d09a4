#include "arch/x86/percpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"

extern u8 bsp_stack_bottom[], bsp_stack_top[];

static struct percpu boot_cpu;

void percpu_init_boot_cpu(void)
{
	boot_cpu.self = &boot_cpu;
	boot_cpu.cpu_id = 0;
	boot_cpu.stack_bottom = (u64)bsp_stack_bottom;
	boot_cpu.stack_top = (u64)bsp_stack_top;
	wrmsr(MSR_GS_BASE, (u64)&boot_cpu);
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
