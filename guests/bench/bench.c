/* Benchmarks, run by make bench on testbeds where the TSC advances once
 * per emulated instruction (QEMU -icount shift=0,sleep=off; Bochs with
 * clock sync=none and a fixed ips), so an RDTSC delta is an exact
 * instruction count. Each figure is the median of many samples minus the
 * same RDTSC pair around a plain MOV. Prints "bench <name> <value> <unit>". */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/lib/timing.h"

const char test_title[] = "Benchmarks (instruction counts)";

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

/* The bare instruction, as a VMM written without libhv would issue it. */
static void null_vmmcall(void)
{
	u64 nr = HV_CALL_ABI_VERSION;

	asm volatile("vmmcall" : "+a"(nr) : "D"(0ULL) : "memory");
}

static void null_vmcall(void)
{
	u64 nr = HV_CALL_ABI_VERSION;

	asm volatile("vmcall" : "+a"(nr) : "D"(0ULL) : "memory");
}

/* The instruction native to the CPU vendor, as libhv picks it. */
static bench_fn vendor_null_hypercall(void)
{
	return cpu_is_amd() ? null_vmmcall : null_vmcall;
}

static void null_hypercall_libhv(void)
{
	hv_abi_version();
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
	report("null_hypercall_inline", vendor_null_hypercall(), baseline);
	report("null_hypercall_libhv", null_hypercall_libhv, baseline);
	report("cpuid_exit", cpuid_exit, baseline);
	report("port_io_exit", port_io_exit, baseline);
}
