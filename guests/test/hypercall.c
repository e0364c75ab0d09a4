/* Hypercalls through VMCALL and VMMCALL: both work on either vendor, an
 * unknown number answers -ENOSYS, and no register but RAX changes. */
#include "guests/lib/test.h"

const char test_title[] = "Hypercalls: VMCALL and VMMCALL, unknown number -> -ENOSYS";

#define ENOSYS 38
#define HC_ABI_VERSION HV_CALL_ABI_VERSION

/* Issues the hypercall with known values in every other register and
 * checks them afterwards. */
static long call_checked(bool vmmcall, u64 nr)
{
	u64 rbx = 0x1111, rcx = 0x2222, rdx = 0x3333, rsi = 0x4444, r8 = 0x8888;
	u64 r9 = 0x9999, r10 = 0xaaaa, r11 = 0xbbbb, r12 = 0xcccc;
	register u64 r8r asm("r8") = r8, r9r asm("r9") = r9, r10r asm("r10") = r10;
	register u64 r11r asm("r11") = r11, r12r asm("r12") = r12;
	long ret;

	if (vmmcall)
		asm volatile("vmmcall" : "=a"(ret), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi),
			     "+r"(r8r), "+r"(r9r), "+r"(r10r), "+r"(r11r), "+r"(r12r)
			     : "a"(nr), "D"(0x7777) : "memory");
	else
		asm volatile("vmcall" : "=a"(ret), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi),
			     "+r"(r8r), "+r"(r9r), "+r"(r10r), "+r"(r11r), "+r"(r12r)
			     : "a"(nr), "D"(0x7777) : "memory");
	CHECK(rbx == 0x1111 && rcx == 0x2222 && rdx == 0x3333 && rsi == 0x4444,
	      "%s changed rbx/rcx/rdx/rsi", vmmcall ? "vmmcall" : "vmcall");
	CHECK(r8r == r8 && r9r == r9 && r10r == r10 && r11r == r11 && r12r == r12,
	      "%s changed r8-r12", vmmcall ? "vmmcall" : "vmcall");
	return ret;
}

void test_main(void)
{
	for (int vmm = 0; vmm < 2; vmm++) {
		const char *insn = vmm ? "vmmcall" : "vmcall";
		long v = call_checked(vmm, HC_ABI_VERSION);
		long bad = call_checked(vmm, 0xdead);
		long huge = call_checked(vmm, ~0ULL);

		gprintf("%s: abi_version = %ld, 0xdead = %ld, ~0 = %ld\n", insn, v, bad, huge);
		CHECK(v == HV_ABI_VERSION, "%s abi_version returned %ld", insn, v);
		CHECK(bad == -ENOSYS, "%s unknown call returned %ld", insn, bad);
		CHECK(huge == -ENOSYS, "%s call ~0 returned %ld", insn, huge);
	}
	CHECK(hypercall(HC_ABI_VERSION, 0) == HV_ABI_VERSION, "vendor-native hypercall");
	/* #UD is intercepted for VMCALL; any other #UD must reach the guest. */
	CHECK(ud2_vector() == 6, "ud2 delivered vector %d, want #UD", ud2_vector());
	gprintf("ud2: #UD reflected to the guest\n");
}
