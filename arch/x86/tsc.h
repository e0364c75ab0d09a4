/* The time-stamp counter: reading it, and its frequency. */
#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

#include "lib/types.h"

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | (u64)hi << 32;
}

/* Whether TSC time t has come (a wrapping comparison). */
static inline bool tsc_reached(u64 t)
{
	return (s64)(rdtsc() - t) >= 0;
}

/* Learns the TSC frequency once, at boot: from CPUID leaf 0x15 (or the
 * base frequency of leaf 0x16) when the CPU reports it, else measured
 * against the PIT. Logs the figure and where it came from. */
void tsc_init(void);

/* The TSC frequency in kHz; 0 when it could not be learnt. */
u32 tsc_khz(void);

#endif
