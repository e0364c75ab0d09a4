/* `bench [tsc=instructions]`: what one VM create + destroy costs, in TSC
 * ticks. make bench's testbeds run with a TSC that counts instructions
 * and say so with the option; the figure is then named instructions. */
#include "guests/lib/timing.h"
#include "guests/mgmt/mgmt.h"

#define BENCH_SAMPLES 21
#define BENCH_MEM (2ULL << 20)

/* One sample, or 0 when the hypervisor refused. */
static u64 create_destroy_once(void)
{
	u64 t0 = rdtsc_ordered();
	long id = hv_vm_create("bench", BENCH_MEM, 1, 0);

	if (id < 0 || hv_vm_destroy(id))
		return 0;
	return rdtsc_ordered() - t0;
}

void cmd_bench(struct words *ws)
{
	bool instructions = ws->n == 2 && !strcmp(ws->w[1], "tsc=instructions");
	u64 s[BENCH_SAMPLES];

	if (ws->n > 2 || (ws->n == 2 && !instructions)) {
		gprintf("error: usage: bench [tsc=instructions]\n");
		return;
	}
	for (int i = 0; i < BENCH_SAMPLES; i++) {
		s[i] = create_destroy_once();
		if (!s[i]) {
			gprintf("error: bench: vm_create/vm_destroy failed\n");
			return;
		}
	}
	gprintf("bench vm_create_destroy_2m %llu %s\n",
		(unsigned long long)median_u64(s, BENCH_SAMPLES),
		instructions ? "instructions" : "TSC ticks");
}
