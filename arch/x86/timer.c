/* Time slices: a one-shot local-APIC timer armed while a child runs. Its
 * interrupt makes the CPU leave the guest (an INTR exit); the handler
 * only notes that the slice ended. The TSC's frequency is learnt here
 * too, with the rest of the hypervisor's time. */
#include "arch/x86/tsc.h"
#include "drivers/lapic.h"
#include "hv/arch.h"
#include "hv/log.h"

#define TIMER_VECTOR 0xec

static volatile bool timer_fired;

void arch_timer_init(void)
{
	lapic_init();
	tsc_init();
}

void arch_timer_arm(u32 ticks)
{
	timer_fired = false;
	lapic_timer_oneshot(TIMER_VECTOR, ticks);
}

void arch_timer_disarm(void)
{
	lapic_timer_stop();
}

bool arch_timer_expired(void)
{
	return timer_fired || lapic_timer_current() == 0;
}

bool arch_timer_take(void)
{
	bool fired = timer_fired;

	timer_fired = false;
	return fired;
}

void arch_irq(u8 vector)
{
	if (vector == LAPIC_SPURIOUS_VECTOR)
		return; /* no EOI for the spurious vector */
	if (vector == TIMER_VECTOR)
		timer_fired = true;
	else
		log_warn("irq: unexpected vector 0x%x", vector);
	lapic_eoi();
}
