/* The PC's device clocks are counted from the child's virtual time in
 * nanoseconds: a clock of hz Hz has ticked floor(ns * hz / 10^9) times
 * by ns. The product would overflow 64 bits after a few hours, so the
 * whole seconds and the rest are scaled apart; both parts are exact. */
#ifndef GUESTS_MGMT_PC_CLOCK_H
#define GUESTS_MGMT_PC_CLOCK_H

#include "lib/types.h"

#define NS_PER_SEC 1000000000ULL

/* Ticks of a hz clock in [0, ns]: exact for every ns and hz < 2^32. */
static inline u64 clock_ticks(u64 ns, u32 hz)
{
	return ns / NS_PER_SEC * hz + ns % NS_PER_SEC * hz / NS_PER_SEC;
}

/* The first nanosecond at which clock_ticks() reaches tick, or ~0 when
 * that lies beyond the 64-bit nanosecond range. */
static inline u64 clock_ns_of_tick(u64 tick, u32 hz)
{
	u64 secs = tick / hz, rest = tick % hz;

	if (secs > (~0ULL - NS_PER_SEC) / NS_PER_SEC)
		return ~0ULL;
	return secs * NS_PER_SEC + (rest * NS_PER_SEC + hz - 1) / hz;
}

#endif
