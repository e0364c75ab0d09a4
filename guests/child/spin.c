/* A child that never exits: it must be preempted (time slices) and can
 * only end by its VMM stopping it. */
#include "guests/lib/test.h"

const char test_title[] = "Spinning forever";

void test_main(void)
{
	volatile u64 n = 0;

	gprintf("spinning without exits\n");
	for (;;)
		n++;
}
