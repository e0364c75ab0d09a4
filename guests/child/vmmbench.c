/* Benchmark child: the round trip of a port-I/O exit through the
 * management guest's VMM and back (child OUT -> hypervisor -> VM 0's run
 * call returns -> VM 0 handles it -> VM 0 runs the child again). On make
 * bench's testbeds an RDTSC delta counts every instruction on the way,
 * the hypervisor's and VM 0's included. */
#include "guests/lib/test.h"
#include "guests/lib/timing.h"

const char test_title[] = "VMM round-trip benchmark";

#define SAMPLES 51
#define VMM_PORT 0x80 /* unclaimed: VM 0's VMM ignores and counts it */

static u64 measure(bool port_io)
{
	static u64 s[SAMPLES];

	for (int i = 0; i < SAMPLES; i++) {
		u64 t0 = rdtsc_ordered();

		if (port_io)
			outb(VMM_PORT, 0);
		else
			asm volatile("mov %%rax, %%rax" : : : "rax");
		s[i] = rdtsc_ordered() - t0;
	}
	return median_u64(s, SAMPLES);
}

void test_main(void)
{
	u64 base = measure(false);

	gprintf("bench vmm_port_io_round_trip %llu instructions\n",
		(unsigned long long)(measure(true) - base));
}
