/* #DB and #AC are intercepted by the hypervisor (so that a guest cannot
 * make their delivery loop inside the CPU, XSA-156) and must still reach
 * the guest exactly as the hardware raises them: single-step with DR6.BS,
 * a data breakpoint with DR6.B0, INT1 (ICEBP) returning past itself,
 * general detect with DR6.BD and DR7.GD cleared for the handler, and #AC
 * at CPL 3 with its error code (SVM exits used to drop error codes).
 * `aconly` on the command line checks #AC alone. */
#include "guests/lib/test.h"
#include "guests/lib/user.h"
#include "lib/string.h"

const char test_title[] = "#DB reflected as the hardware raises it";

#define DR6_B0 BIT(0)
#define DR6_BD BIT(13)
#define DR6_BS BIT(14)
#define DR7_GD BIT(13)

static volatile u64 watched;

static void single_step(void)
{
	u32 before = last_debug.count;
	u64 after_nop;

	asm volatile("pushfq; orq $0x100, (%%rsp); popfq\n\t"
		     "nop\n\t"
		     "1: leaq 1b(%%rip), %0" : "=r"(after_nop) : : "memory", "cc");
	CHECK(last_debug.count == before + 1, "single-step: %u #DB, want 1",
	      last_debug.count - before);
	CHECK(last_debug.dr6 & DR6_BS, "single-step: DR6 0x%llx lacks BS",
	      (unsigned long long)last_debug.dr6);
	if (last_debug.count == before + 1 && (last_debug.dr6 & DR6_BS))
		gprintf("single-step: #DB with DR6.BS\n");
	(void)after_nop;
}

static void data_breakpoint(void)
{
	u32 before = last_debug.count;

	asm volatile("mov %0, %%dr0" : : "r"((u64)&watched));
	write_dr7(0x400 | BIT(0) | (1ULL << 16) | (3ULL << 18)); /* L0, write, 4 bytes */
	watched = 1;
	write_dr7(0x400);
	CHECK(last_debug.count == before + 1, "data breakpoint: %u #DB, want 1",
	      last_debug.count - before);
	CHECK(last_debug.dr6 & DR6_B0, "data breakpoint: DR6 0x%llx lacks B0",
	      (unsigned long long)last_debug.dr6);
	if (last_debug.count == before + 1 && (last_debug.dr6 & DR6_B0))
		gprintf("data breakpoint: #DB with DR6.B0\n");
}

static void icebp(void)
{
	u32 before;
	u64 next;

	if (!int1_safe()) { /* QEMU 7.2's TCG has no INT1 */
		gprintf("INT1: #UD on this CPU, not checked\n");
		return;
	}
	before = last_debug.count;
	asm volatile(".byte 0xf1\n\t1: leaq 1b(%%rip), %0" : "=r"(next) : : "memory");
	CHECK(last_debug.count == before + 1, "INT1: %u #DB, want 1", last_debug.count - before);
	CHECK(last_debug.rip == next, "INT1: #DB at 0x%llx, want 0x%llx (after INT1)",
	      (unsigned long long)last_debug.rip, (unsigned long long)next);
	if (last_debug.count == before + 1 && last_debug.rip == next)
		gprintf("INT1: #DB returns past the instruction\n");
}

static void general_detect(void)
{
	u32 before = last_debug.count;

	write_dr7(0x400 | DR7_GD);
	asm volatile("mov %0, %%dr1" : : "r"(0x1234ULL)); /* faults, then runs */
	if (last_debug.count == before) { /* QEMU 7.2's TCG has no GD */
		write_dr7(0x400);
		gprintf("general detect: no #DB on this CPU, not checked\n");
		return;
	}
	CHECK(last_debug.count == before + 1, "general detect: %u #DB, want 1",
	      last_debug.count - before);
	CHECK(last_debug.dr6 & DR6_BD, "general detect: DR6 0x%llx lacks BD",
	      (unsigned long long)last_debug.dr6);
	CHECK(!(read_dr7() & DR7_GD), "general detect: DR7.GD still set");
	if (last_debug.count == before + 1 && (last_debug.dr6 & DR6_BD) &&
	    !(read_dr7() & DR7_GD))
		gprintf("general detect: #DB with DR6.BD, DR7.GD cleared\n");
}

#define CR0_AM BIT(18)
#define RFLAGS_AC BIT(18)
#define VEC_AC 17

static u64 cr0_read(void)
{
	u64 v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

/* At CPL 3 with EFLAGS.AC: a misaligned load; 1 when it did not fault. */
static u64 misaligned_load(u64 addr)
{
	int ok = 1;
	u64 v;

	asm volatile("pushfq; orq %[ac], (%%rsp); popfq\n\t"
		     FIXUP_ASM("movq (%[a]), %[v]")
		     : [ok] "+r"(ok), [v] "=r"(v)
		     : [a] "r"(addr), [ac] "i"(RFLAGS_AC)
		     : "memory", "cc");
	return (u64)ok;
}

static void alignment_check(void)
{
	static u8 buf[16] __attribute__((aligned(16)));
	u64 cr0 = cr0_read(), loaded;

	asm volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_AM));
	last_fixup_vector = -1;
	loaded = run_user(misaligned_load, (u64)(buf + 1));
	asm volatile("mov %0, %%cr0" : : "r"(cr0));
	if (loaded && last_fixup_vector == -1) { /* QEMU 7.2's TCG has no #AC */
		gprintf("#AC: not raised by this CPU, not checked\n");
		return;
	}
	CHECK(last_fixup_vector == VEC_AC, "misaligned load at CPL 3: vector %d, want #AC",
	      last_fixup_vector);
	CHECK(last_fixup_error == 0, "#AC error code 0x%llx, want 0",
	      (unsigned long long)last_fixup_error);
	if (last_fixup_vector == VEC_AC && last_fixup_error == 0)
		gprintf("#AC: raised at CPL 3 with its error code, handled\n");
}

static bool ac_only(void)
{
	const char *c = boot_info->cmdline;

	for (; *c; c++)
		if (!strncmp(c, "aconly", 6))
			return true;
	return false;
}

void test_main(void)
{
	if (!ac_only()) {
		single_step();
		data_breakpoint();
		icebp();
		general_detect();
	}
	user_init();
	alignment_check();
}
