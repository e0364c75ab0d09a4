/* `bench`: what one VM create + destroy costs, in instructions under
 * QEMU -icount (RDTSC then counts instructions; see make bench). */
#include "guests/mgmt/mgmt.h"

#define BENCH_SAMPLES 21
#define BENCH_MEM (2ULL << 20)

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static void sort_u64(u64 *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* One sample, or 0 when the hypervisor refused. */
static u64 create_destroy_once(void)
{
	u64 t0 = rdtsc();
	long id = hv_vm_create("bench", BENCH_MEM, 1, 0);

	if (id < 0 || hv_vm_destroy(id))
		return 0;
	return rdtsc() - t0;
}

void cmd_bench(struct words *ws)
{
	u64 s[BENCH_SAMPLES];

	(void)ws;
	for (int i = 0; i < BENCH_SAMPLES; i++) {
		s[i] = create_destroy_once();
		if (!s[i]) {
			gprintf("error: bench: vm_create/vm_destroy failed\n");
			return;
		}
	}
	sort_u64(s, BENCH_SAMPLES);
	gprintf("bench vm_create_destroy_2m %llu instructions\n",
		(unsigned long long)s[BENCH_SAMPLES / 2]);
}
