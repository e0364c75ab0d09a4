/* CPUID inside a VM: the hypervisor's leaves are there and the
 * virtualization extensions are hidden. */
#include "guests/lib/test.h"
#include "hv/string.h"

const char test_title[] = "CPUID: hypervisor leaves present, VMX/SVM hidden";

static void check_signature(void)
{
	struct cpuid_out r = guest_cpuid(HV_CPUID_BASE, 0);
	char sig[13];

	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	gprintf("leaf 0x40000000: max 0x%x signature '%s'\n", r.eax, sig);
	CHECK(!memcmp(sig, HV_CPUID_SIGNATURE, 12), "signature '%s'", sig);
	CHECK(r.eax >= HV_CPUID_VERSION, "max hypervisor leaf 0x%x", r.eax);
	r = guest_cpuid(HV_CPUID_VERSION, 0);
	CHECK(r.eax == HV_ABI_VERSION, "ABI version %u", r.eax);
}

static void check_hidden(void)
{
	struct cpuid_out l1 = guest_cpuid(1, 0);
	struct cpuid_out x0 = guest_cpuid(0x80000000, 0);

	CHECK(l1.ecx & (1u << 31), "hypervisor-present bit clear (ecx 0x%x)", l1.ecx);
	CHECK(!(l1.ecx & (1u << 5)), "VMX visible (ecx 0x%x)", l1.ecx);
	if (x0.eax >= 0x80000001) {
		struct cpuid_out x1 = guest_cpuid(0x80000001, 0);

		CHECK(!(x1.ecx & (1u << 2)), "SVM visible (ecx 0x%x)", x1.ecx);
	}
	if (x0.eax >= 0x8000000a) {
		struct cpuid_out s = guest_cpuid(0x8000000a, 0);

		CHECK(!(s.eax | s.ebx | s.ecx | s.edx), "SVM leaf not empty");
	}
}

void test_main(void)
{
	check_signature();
	check_hidden();
}
