/* HLT with interrupts enabled and nothing pending returns to the guest
 * (nothing can wake it, so the hypervisor resumes it at once). */
#include "guests/lib/test.h"

const char test_title[] = "HLT with interrupts enabled resumes the guest";

void test_main(void)
{
	volatile int after = 0;

	for (int i = 0; i < 3; i++)
		asm volatile("sti; hlt; cli");
	after = 1;
	CHECK(after == 1, "did not resume after HLT");
}
