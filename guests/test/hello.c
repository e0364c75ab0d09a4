/* The demo guest: says hello from its VM (VM 0, or a child of hvctl)
 * and computes something visible. */
#include "guests/lib/test.h"

const char test_title[] = "The demo guest";

static u32 count_primes(u32 below)
{
	u32 n = 0;

	for (u32 i = 2; i < below; i++) {
		bool prime = true;

		for (u32 d = 2; d * d <= i && prime; d++)
			prime = i % d;
		n += prime;
	}
	return n;
}

void test_main(void)
{
	struct cpuid_out v = guest_cpuid(0, 0);
	char vendor[13];

	__builtin_memcpy(vendor, &v.ebx, 4);
	__builtin_memcpy(vendor + 4, &v.edx, 4);
	__builtin_memcpy(vendor + 8, &v.ecx, 4);
	vendor[12] = '\0';
	gprintf("Hello from VM %u on a %s CPU, %llu MiB of guest RAM, command line '%s'\n",
		boot_vm_id, vendor, (unsigned long long)(boot_info->memmap[0].length >> 20),
		boot_info->cmdline);
	gprintf("There are %u primes below 10000.\n", count_primes(10000));
}
