/* The local APIC (xAPIC, memory-mapped): enable, EOI, and the one-shot
 * timer the hypervisor uses for time slices. */
#ifndef DRIVERS_LAPIC_H
#define DRIVERS_LAPIC_H

#include "lib/types.h"

#define LAPIC_SPURIOUS_VECTOR 0xff

void lapic_init(void);
void lapic_eoi(void);
/* One interrupt with `vector` after `count` ticks of the bus clock / 16. */
void lapic_timer_oneshot(u8 vector, u32 count);
void lapic_timer_stop(void);
/* The timer's current count: 0 once a one-shot count has run out. */
u32 lapic_timer_current(void);

#endif
