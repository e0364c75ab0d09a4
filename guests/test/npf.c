/* Touching guest-physical memory the VM does not have never reaches the
 * hypervisor. As VM 0 the access gets #GP(0) and VM 0 goes on (the
 * hypervisor's log names 0x40000000); as a child (hvctl's isolation
 * scenario) the child is stopped and its VMM told the address. */
#include "guests/lib/test.h"

const char test_title[] = "Stage-2 fault: access to unmapped guest-physical memory";

#define UNMAPPED_GPA 0x40000000ULL /* 1 GiB: mapped by the guest, not by stage-2 */

void test_main(void)
{
	int ok = 1;
	u64 v = 0;

	gprintf("reading guest-physical 0x%llx (beyond this VM's RAM)\n", UNMAPPED_GPA);
	last_fixup_vector = -1;
	asm volatile(FIXUP_ASM("movq (%[p]), %[v]")
		     : [ok] "+r"(ok), [v] "+r"(v) : [p] "r"(UNMAPPED_GPA) : "memory");
	if (ok)
		test_fail("the read returned 0x%llx", (unsigned long long)v);
	else if (last_fixup_vector != 13 || last_fixup_error)
		test_fail("vector %d error 0x%llx instead of #GP(0)", last_fixup_vector,
			  (unsigned long long)last_fixup_error);
	else
		gprintf("#GP(0) at the read; going on\n");
}
