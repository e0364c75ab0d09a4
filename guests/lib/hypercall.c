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

bool cpu_is_amd(void)
{
	static int amd = -1;

	if (amd < 0) {
		struct cpuid_out v = guest_cpuid(0, 0);

		amd = v.ebx == 0x68747541; /* "Auth" of AuthenticAMD */
	}
	return amd;
}

/* VMMCALL on AMD, VMCALL elsewhere: no #UD round trip in the common case. */
long hypercall(u64 nr, u64 arg)
{
	return cpu_is_amd() ? hypercall_vmmcall(nr, arg) : hypercall_vmcall(nr, arg);
}

long hypercall3(u64 nr, u64 rdi, u64 rsi, u64 rdx)
{
	return hypercall3_insn(cpu_is_amd(), nr, rdi, rsi, rdx);
}

long hypercall3_insn(bool vmmcall, u64 nr, u64 rdi, u64 rsi, u64 rdx)
{
	long ret;

	if (vmmcall)
		asm volatile("vmmcall" : "=a"(ret) : "a"(nr), "D"(rdi), "S"(rsi), "d"(rdx) : "memory");
	else
		asm volatile("vmcall" : "=a"(ret) : "a"(nr), "D"(rdi), "S"(rsi), "d"(rdx) : "memory");
	return ret;
}
