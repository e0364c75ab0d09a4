/* A child that tries to read memory that is not its own: a guest-physical
 * address beyond its RAM (where another VM's or the hypervisor's memory
 * would be if guests shared an address space). Its VMM must see a
 * stage-2 fault for exactly that address; nothing else may be disturbed. */
#include "guests/lib/test.h"

const char test_title[] = "Reading memory that belongs to nobody in this VM";

#define FOREIGN_GPA 0x3f000000ULL

void test_main(void)
{
	gprintf("reading guest-physical 0x%llx\n", FOREIGN_GPA);
	(void)*(volatile u64 *)FOREIGN_GPA;
	test_fail("the read of foreign memory returned");
}
