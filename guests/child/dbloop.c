/* XSA-156 (CVE-2015-8104): a #DB whose own delivery hits a data
 * breakpoint. The #DB handler runs on an IST stack, and DR0 watches the
 * slot where delivery pushes SS, so every delivery raises the next #DB
 * before the handler's first instruction. On hardware that loop never
 * leaves the CPU's microcode unless the hypervisor intercepts #DB; with
 * the intercept each #DB is an exit, and the child is preempted and can
 * be stopped like any other spinning guest. */
#include "guests/lib/test.h"
#include "guests/lib/user.h"

const char test_title[] = "#DB delivery loop";

#define IST_STACK_SIZE 4096
#define DR7_L0 BIT(0)
#define DR7_RW0_WRITE (1ULL << 16)
#define DR7_LEN0_8 (2ULL << 18)

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static u8 ist_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

/* #DB gets IST 1 (the gate's IST field is byte 4 of the 16-byte gate). */
static void db_on_ist(void)
{
	struct desc_ptr idtr;

	asm volatile("sidt %0" : "=m"(idtr));
	((u8 *)idtr.base)[16 * 1 + 4] = 1;
}

void test_main(void)
{
	u64 *ss_slot = (u64 *)(ist_stack + IST_STACK_SIZE - 8);
	u64 dr7 = 0x400 | DR7_L0 | DR7_RW0_WRITE | DR7_LEN0_8;

	user_init(); /* the runtime's TSS, which has room for IST stacks */
	user_set_ist(1, (u64)ist_stack + IST_STACK_SIZE);
	db_on_ist();
	asm volatile("mov %0, %%dr0" : : "r"((u64)ss_slot));
	asm volatile("mov %0, %%dr7" : : "r"(dr7));
	gprintf("#DB delivery now hits its own breakpoint, forever\n");
	*(volatile u64 *)ss_slot = 0; /* the first #DB */
	test_fail("the #DB loop ended");
}
