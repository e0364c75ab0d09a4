/* A triple fault ends this VM cleanly: with an empty IDT, an exception
 * cannot be delivered (#DF cannot either), the CPU shuts down, and the
 * hypervisor reports it. */
#include "guests/lib/test.h"

const char test_title[] = "Triple fault ends the VM, not the hypervisor";

void test_main(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed empty = { 0, 0 };

	gprintf("loading an empty IDT and raising #BP\n");
	asm volatile("lidt %0; int3" : : "m"(empty));
	test_fail("still running after the triple fault");
}
