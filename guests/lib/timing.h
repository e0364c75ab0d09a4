/* Counting for benchmarks: under QEMU -icount shift=0 the TSC advances
 * once per emulated instruction, so RDTSC deltas are instruction counts. */
#ifndef GUESTS_LIB_TIMING_H
#define GUESTS_LIB_TIMING_H

#include "lib/types.h"

/* RDTSC after every earlier instruction has completed. */
static inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

/* Sorts v (n small) and returns its median. */
u64 median_u64(u64 *v, int n);

#endif
