/* Benchmarks, run under QEMU with -icount shift=0,sleep=off: the TSC then
 * advances once per emulated instruction, so an RDTSC delta is an exact
 * instruction count. Each figure is the median of many samples minus the
 * same RDTSC pair around a plain MOV. Prints "bench <name> <value> <unit>". */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/lib/timing.h"

const char test_title[] = "Benchmarks (instruction counts under QEMU -icount)";

#define SAMPLES 101

typedef void (*bench_fn)(void);

static u64 median_cycles(bench_fn fn)
{
	static u64 samples[SAMPLES];

	for (int i = 0; i < SAMPLES; i++) {
		u64 t0 = rdtsc_ordered();

		fn();
		samples[i] = rdtsc_ordered() - t0;
	}
	return median_u64(samples, SAMPLES);
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
