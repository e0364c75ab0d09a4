/* The child of the cpuidset test: a 64-bit loop that executes CPUID (or
 * RDTSC) for whatever its VMM asks and reports the four registers. */
#ifndef GUESTS_CPUIDSET_CPUIDSET_H
#define GUESTS_CPUIDSET_CPUIDSET_H

#define CS_PORT_LEAF 0xe0 /* IN: the leaf to ask (CS_RDTSC: read the TSC) */
#define CS_PORT_SUB 0xe1  /* IN: the subleaf */
#define CS_PORT_OUT 0xe2  /* OUT four times: EAX, EBX, ECX, EDX (RDTSC: low, high, 0, 0) */
#define CS_RDTSC 0xffffffff

#ifndef __ASSEMBLY__
#include "lib/types.h"

extern const u8 cs_child_start[], cs_child_end[];
#endif

#endif
