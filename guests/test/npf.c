/* Touching guest-physical memory the VM does not have ends this VM, not
 * the hypervisor, and the hypervisor reports the address. The test
 * passes when the hypervisor's report names 0x40000000. */
#include "guests/lib/test.h"

const char test_title[] = "Stage-2 fault: access to unmapped guest-physical memory";

#define UNMAPPED_GPA 0x40000000ULL /* 1 GiB: mapped by the guest, not by stage-2 */

void test_main(void)
{
	gprintf("reading guest-physical 0x%llx (beyond this VM's RAM)\n", UNMAPPED_GPA);
	(void)*(volatile u64 *)UNMAPPED_GPA;
	test_fail("the read returned: the VM should have been stopped");
}
