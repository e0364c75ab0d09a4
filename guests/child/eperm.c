/* A child calling management hypercalls: each must answer -EPERM, while
 * the calls open to every VM still work. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"

const char test_title[] = "Management hypercalls from a child are refused";

static const u32 management_calls[] = {
	HV_CALL_FEATURE, HV_CALL_VM_CREATE, HV_CALL_VM_DESTROY, HV_CALL_VM_ADD_MEMORY,
	HV_CALL_VM_COPY, HV_CALL_VCPU_CREATE, HV_CALL_VCPU_GET_REGS, HV_CALL_VCPU_SET_REGS,
	HV_CALL_VCPU_RUN, HV_CALL_STATS,
};

void test_main(void)
{
	static const char msg[] = "console_write from a child\n";
	u32 refused = 0;

	for (u32 i = 0; i < sizeof(management_calls) / sizeof(management_calls[0]); i++) {
		long r = hypercall(management_calls[i], 0);

		CHECK(r == -HV_EPERM, "call %u answered %ld", management_calls[i], r);
		refused += r == -HV_EPERM;
	}
	gprintf("%u management calls refused with -EPERM\n", refused);
	CHECK(hv_abi_version() == HV_ABI_VERSION, "abi_version from a child");
	CHECK(hv_console_write(msg, sizeof(msg) - 1) == sizeof(msg) - 1, "console_write");
}
