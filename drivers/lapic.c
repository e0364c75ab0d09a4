#include "drivers/lapic.h"
#include "arch/x86/cpu.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE BIT(11)
#define APIC_BASE_ADDR 0xfffff000ULL

#define REG_EOI 0xb0
#define REG_SVR 0xf0
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIV 0x3e0

#define SVR_ENABLE BIT(8)
#define LVT_MASKED BIT(16)
#define TIMER_DIV_16 0x3

static volatile u32 *lapic_base;

static void lapic_write(u32 reg, u32 value)
{
	lapic_base[reg / 4] = value;
}

/* The hypervisor identity-maps the APIC page like all of the first 4 GiB. */
void lapic_init(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_base = (volatile u32 *)(base & APIC_BASE_ADDR);
	lapic_write(REG_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	lapic_write(REG_LVT_TIMER, LVT_MASKED);
	lapic_write(REG_TIMER_DIV, TIMER_DIV_16);
}

void lapic_eoi(void)
{
	lapic_write(REG_EOI, 0);
}

void lapic_timer_oneshot(u8 vector, u32 count)
{
	lapic_write(REG_LVT_TIMER, vector);
	lapic_write(REG_TIMER_INIT, count);
}

u32 lapic_timer_current(void)
{
	return lapic_base[REG_TIMER_CURRENT / 4];
}

void lapic_timer_stop(void)
{
	lapic_write(REG_TIMER_INIT, 0);
	lapic_write(REG_LVT_TIMER, LVT_MASKED);
}
