/* Benchmarks, run under QEMU with -icount shift=0,sleep=off: the TSC then
 * advances once per emulated instruction, so an RDTSC delta is an exact
 * instruction count. Each figure is the median of many samples minus the
 * same RDTSC pair around a plain MOV. Prints "bench <name> <value> <unit>". */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"

const char test_title[] = "Benchmarks (instruction counts under QEMU -icount)";

#define SAMPLES 101

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static void sort(u64 *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

typedef void (*bench_fn)(void);

static u64 median_cycles(bench_fn fn)
{
	static u64 samples[SAMPLES];

	for (int i = 0; i < SAMPLES; i++) {
		u64 t0 = rdtsc();

		fn();
		samples[i] = rdtsc() - t0;
	}
	sort(samples, SAMPLES);
	return samples[SAMPLES / 2];
}

static void plain_mov(void)
{
	asm volatile("mov %%rax, %%rax" : : : "rax");
}

static void null_hypercall(void)
{
	hypercall(HV_CALL_ABI_VERSION, 0);
}

static void cpuid_exit(void)
{
	guest_cpuid(HV_CPUID_BASE, 0);
}

static void port_io_exit(void)
{
	outl(HV_PORT_SCRATCH, 0);
}

static void report(const char *name, bench_fn fn, u64 baseline)
{
	u64 m = median_cycles(fn);

	gprintf("bench %s %llu instructions\n", name, (unsigned long long)(m - baseline));
}

void test_main(void)
{
	u64 baseline = median_cycles(plain_mov);

	gprintf("bench baseline_rdtsc_pair %llu instructions\n", (unsigned long long)baseline);
	report("null_hypercall_round_trip", null_hypercall, baseline);
	report("cpuid_exit", cpuid_exit, baseline);
	report("port_io_exit", port_io_exit, baseline);
}
