/* Host-critical MSRs are refused: writing EFER (which would clear SVME),
 * VM_HSAVE_PA or IA32_FEATURE_CONTROL raises #GP in the guest, and the
 * hypervisor's own values cannot be read either. */
#include "guests/lib/test.h"

const char test_title[] = "MSRs: host-critical writes and reads refused with #GP";

static const struct {
	u32 msr;
	const char *name;
} critical[] = {
	{ 0xc0000080, "EFER" },
	{ 0xc0010117, "VM_HSAVE_PA" },
	{ 0xc0010114, "VM_CR" },
	{ 0x3a, "IA32_FEATURE_CONTROL" },
	{ 0xc0000101, "GS_BASE" },
};

void test_main(void)
{
	for (unsigned i = 0; i < sizeof(critical) / sizeof(critical[0]); i++) {
		u64 v = 0;

		last_fixup_vector = -1;
		CHECK(!wrmsr_safe(critical[i].msr, 0), "wrmsr %s succeeded", critical[i].name);
		CHECK(last_fixup_vector == 13, "wrmsr %s: vector %d, want #GP",
		      critical[i].name, last_fixup_vector);
		last_fixup_vector = -1;
		CHECK(!rdmsr_safe(critical[i].msr, &v), "rdmsr %s succeeded: 0x%llx",
		      critical[i].name, (unsigned long long)v);
		CHECK(last_fixup_vector == 13, "rdmsr %s: vector %d, want #GP",
		      critical[i].name, last_fixup_vector);
		gprintf("%s: write and read refused with #GP\n", critical[i].name);
	}
}
