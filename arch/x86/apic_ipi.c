#include "arch/x86/apic_ipi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "hv/arch.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2APIC BIT(10)
#define APIC_BASE_ADDR 0xfffff000ULL
#define MSR_X2APIC_ID 0x802
#define MSR_X2APIC_ICR 0x830

#define REG_ID 0x20
#define REG_ICR_LOW 0x300
#define REG_ICR_HIGH 0x310

#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_PENDING BIT(12)
#define ICR_ASSERT BIT(14)
#define ICR_WAIT_SPINS 1000000u

static volatile u32 *xapic_reg(u32 reg)
{
	return (volatile u32 *)((rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR) + reg);
}

bool apic_x2apic_mode(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC;
}

u32 apic_id_this_cpu(void)
{
	return apic_x2apic_mode() ? (u32)rdmsr(MSR_X2APIC_ID) : *xapic_reg(REG_ID) >> 24;
}

u32 apic_max_destination(void)
{
	return apic_x2apic_mode() ? 0xffffffffu : 0xfe; /* 0xff broadcasts */
}

/* Until the xAPIC has sent the last IPI (bounded: it cannot hang). */
static void xapic_wait_idle(void)
{
	for (u32 i = 0; i < ICR_WAIT_SPINS && (*xapic_reg(REG_ICR_LOW) & ICR_PENDING); i++)
		asm volatile("pause");
}

/* The x2APIC's WRMSR to the ICR is not serializing: what the target
 * reads first must be in memory before it. */
static void send_ipi(u32 dest, u32 low)
{
	if (apic_x2apic_mode()) {
		asm volatile("mfence" : : : "memory");
		wrmsr(MSR_X2APIC_ICR, (u64)dest << 32 | low);
		return;
	}
	xapic_wait_idle();
	*xapic_reg(REG_ICR_HIGH) = dest << 24;
	*xapic_reg(REG_ICR_LOW) = low;
	xapic_wait_idle();
}

void apic_send_init(u32 dest)
{
	send_ipi(dest, ICR_INIT | ICR_ASSERT);
}

void apic_send_startup(u32 dest, u8 vector)
{
	send_ipi(dest, ICR_STARTUP | ICR_ASSERT | vector);
}

void apic_send_fixed(u32 dest, u8 vector)
{
	send_ipi(dest, ICR_ASSERT | vector);
}

void arch_kick_cpu(u32 cpu)
{
	struct percpu *pc = percpu_of(cpu);

	if (pc)
		apic_send_fixed(pc->apic_id, KICK_VECTOR);
}
