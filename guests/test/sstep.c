/* Single-stepping over instructions the hypervisor completes for the
 * guest (CPUID, IN, OUT, RDMSR, WRMSR, a hypercall): each ends in the
 * single-step #DB the CPU would raise, with DR6.BS and RIP after the
 * instruction, exactly once. */
#include "guests/lib/test.h"

const char test_title[] = "Single-step #DB after emulated instructions";

#define DR6_BS BIT(14)
#define UNCLAIMED_PORT 0x5f0
#define MSR_PAT 0x277

/* Around one instruction: TF set before it (it applies from the next
 * instruction on), and the address right after it in %[next]; the #DB
 * handler clears TF again. */
#define TF_ON "pushfq; orq $0x100, (%%rsp); popfq\n\t"
#define NEXT "\n\t1: leaq 1b(%%rip), %[next]"

static void expect_step(const char *what, u32 before, u64 after)
{
	u32 n = last_debug.count - before;

	CHECK(n == 1, "%s: %u #DB, want 1", what, n);
	CHECK(last_debug.dr6 & DR6_BS, "%s: DR6 0x%llx lacks BS", what,
	      (unsigned long long)last_debug.dr6);
	CHECK(last_debug.rip == after, "%s: #DB at 0x%llx, want 0x%llx (after it)", what,
	      (unsigned long long)last_debug.rip, (unsigned long long)after);
	if (n == 1 && (last_debug.dr6 & DR6_BS) && last_debug.rip == after)
		gprintf("%s: #DB with DR6.BS right after it\n", what);
}

void test_main(void)
{
	u32 before, a = 0, b, c = 0, d;
	u64 after;
	u8 in;
	long ret;

	before = last_debug.count;
	asm volatile(TF_ON "cpuid" NEXT : [next] "=&r"(after), "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	expect_step("CPUID", before, after);

	before = last_debug.count;
	asm volatile(TF_ON "inb %w[port], %b[val]" NEXT
		     : [next] "=&r"(after), [val] "=a"(in) : [port] "d"(UNCLAIMED_PORT));
	expect_step("IN", before, after);
	CHECK(in == 0xff, "IN of an unclaimed port: 0x%x", in);

	before = last_debug.count;
	asm volatile(TF_ON "outb %b[val], %w[port]" NEXT
		     : [next] "=&r"(after) : [val] "a"(0), [port] "d"(UNCLAIMED_PORT));
	expect_step("OUT", before, after);

	before = last_debug.count;
	asm volatile(TF_ON "rdmsr" NEXT : [next] "=&r"(after), "=a"(a), "=d"(d) : "c"(MSR_PAT));
	expect_step("RDMSR", before, after);

	before = last_debug.count;
	asm volatile(TF_ON "wrmsr" NEXT : [next] "=&r"(after) : "c"(MSR_PAT), "a"(a), "d"(d));
	expect_step("WRMSR", before, after);

	before = last_debug.count;
	if (cpu_is_amd())
		asm volatile(TF_ON "vmmcall" NEXT : [next] "=&r"(after), "=a"(ret)
			     : "a"((u64)HV_CALL_ABI_VERSION), "D"(0ULL) : "memory");
	else
		asm volatile(TF_ON "vmcall" NEXT : [next] "=&r"(after), "=a"(ret)
			     : "a"((u64)HV_CALL_ABI_VERSION), "D"(0ULL) : "memory");
	expect_step("hypercall", before, after);
	CHECK(ret == HV_ABI_VERSION, "hypercall returned %ld", ret);
}
