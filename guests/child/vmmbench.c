/* Benchmark child: the round trip of a port-I/O exit through the
 * management guest's VMM and back (child OUT -> hypervisor -> VM 0's run
 * call returns -> VM 0 handles it -> VM 0 runs the child again). Under
 * QEMU -icount shift=0 an RDTSC delta counts every instruction on the
 * way, the hypervisor's and VM 0's included. */
#include "guests/lib/test.h"

const char test_title[] = "VMM round-trip benchmark";

#define SAMPLES 51
#define VMM_PORT 0x80 /* unclaimed: VM 0's VMM ignores and counts it */

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static u64 median(u64 *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static u64 measure(bool port_io)
{
	static u64 s[SAMPLES];

	for (int i = 0; i < SAMPLES; i++) {
		u64 t0 = rdtsc();

		if (port_io)
			outb(VMM_PORT, 0);
		else
			asm volatile("mov %%rax, %%rax" : : : "rax");
		s[i] = rdtsc() - t0;
	}
	return median(s, SAMPLES);
}

void test_main(void)
{
	u64 base = measure(false);

	gprintf("bench vmm_port_io_round_trip %llu instructions\n",
		(unsigned long long)(measure(true) - base));
}
