#include "guests/lib/guest.h"

long hypercall_vmcall(u64 nr, u64 arg)
{
	long ret;

	asm volatile("vmcall" : "=a"(ret) : "a"(nr), "D"(arg) : "memory");
	return ret;
}

long hypercall_vmmcall(u64 nr, u64 arg)
{
	long ret;

	asm volatile("vmmcall" : "=a"(ret) : "a"(nr), "D"(arg) : "memory");
	return ret;
}

/* VMMCALL on AMD, VMCALL elsewhere: no #UD round trip in the common case. */
long hypercall(u64 nr, u64 arg)
{
	static int amd = -1;

	if (amd < 0) {
		struct cpuid_out v = guest_cpuid(0, 0);

		amd = v.ebx == 0x68747541; /* "Auth" of AuthenticAMD */
	}
	return amd ? hypercall_vmmcall(nr, arg) : hypercall_vmcall(nr, arg);
}
