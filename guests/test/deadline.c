/* Run deadlines (HV_RUN_DEADLINE): a run given a deadline in VM 0's TSC
 * returns HV_EXIT_TIMESLICE once VM 0's TSC has reached it, though the
 * child spins without ever exiting, or waits in HLT, through VCPU_RUN's
 * struct and through the run page. A deadline already past enters no
 * child, after applying the call's answer to the last exit. A 32-byte
 * struct has no deadline: the flag with it is -EINVAL. A #GP answered
 * that way is queued, and dropped when the VMM then sets a new RIP. The hypervisor
 * does not report its time slice, so only the order of the deadline and
 * the return is asserted; how long after the deadline it came is shown. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/lib/timing.h"

const char test_title[] = "run deadlines: a run returns by VM 0's TSC deadline";

#define PORT_IN 0x10
#define PORT_MARK 0x11
#define ANSWER 0x5a
#define MSR_UNKNOWN 0x4b564d01 /* no MSR the hypervisor emulates */

/* The child: one IN (the VMM answers it), then an endless loop counting
 * in its memory, with IF set (Bochs' SVM takes no host interrupt out of
 * a guest with IF clear); started at child_halt instead, HLT with IF
 * set. No interrupt is ever sent to it. Started at child_msr, an RDMSR
 * its VMM answers; at child_mark, an OUT. It has no IDT: an exception
 * shuts it down. */
asm(".pushsection .rodata.deadline, \"a\"\n"
    ".code64\n"
    "child_start:\n"
    "	inb $0x10, %al\n"
    "child_after_in:\n"
    "	sti\n"
    "child_spin:\n"
    "	incq child_count(%rip)\n"
    "	jmp child_spin\n"
    "child_halt:\n"
    "	sti\n"
    "	hlt\n"
    "	jmp child_halt\n"
    "child_msr:\n"
    "	movl $0x4b564d01, %ecx\n"
    "	rdmsr\n"
    "	jmp child_msr\n"
    "child_mark:\n"
    "	outb %al, $0x11\n"
    "	jmp child_mark\n"
    ".balign 8\n"
    "child_count: .quad 0\n"
    "child_end:\n"
    ".popsection\n");

extern const u8 child_start[], child_after_in[], child_halt[], child_msr[], child_mark[],
	child_count[], child_end[];

static struct hv_exit ex;
static u8 page_store[4096] __attribute__((aligned(4096)));
static struct hv_run_page *const page = (struct hv_run_page *)page_store;
static u32 tsc_khz;

static u64 child_counter(u32 vm)
{
	u64 n = ~0ull;

	hv_vm_copy(vm, HV_COPY_FROM_VM, HV_CHILD_CODE + (u64)(child_count - child_start), &n,
		   sizeof(n));
	return n;
}

static long start_child(const char *name, bool lapic, u32 exit_reasons)
{
	long vm = hv_vm_create(name, 2 * MIB, 1, exit_reasons);
	u64 on = 1;

	if (vm < 0 || (lapic && hv_feature(HV_FEATURE_SET | HV_FEATURE_LAPIC, vm, &on)) ||
	    hv_vcpu_create(vm) < 0 ||
	    hv_child_boot_long_mode(vm, 0, child_start, child_end - child_start)) {
		test_fail("cannot start child %s: %ld", name, vm);
		return -1;
	}
	return vm;
}

/* One run with `deadline` 1 ms ahead (through the page or the struct):
 * HV_EXIT_TIMESLICE, VM 0's TSC at the return at or past the deadline.
 * The microseconds it came after the deadline go to *late_us. */
static bool run_to_deadline(u32 vm, bool paged, u64 *late_us)
{
	u64 deadline = rdtsc_ordered() + tsc_khz, after;
	long r = paged ? hv_vcpu_run_paged_deadline(vm, 0, page, HV_RUN_DEADLINE, deadline)
		       : hv_vcpu_run_deadline(vm, 0, &ex, HV_RUN_DEADLINE, 0, deadline);

	after = rdtsc_ordered();
	if (r != HV_EXIT_TIMESLICE) {
		test_fail("%s deadline run: %ld, want HV_EXIT_TIMESLICE", paged ? "paged" : "struct",
			  r);
		return false;
	}
	CHECK(deadline <= after, "%s run returned %llu cycles before its deadline",
	      paged ? "paged" : "struct", (unsigned long long)(deadline - after));
	*late_us = deadline <= after ? (after - deadline) * 1000 / tsc_khz : 0;
	return deadline <= after;
}

/* A spinning child (after its IN): a run ends by the deadline, with the
 * child run in between; a run without one lasts a time slice. */
static void check_spinning(u32 vm, bool paged)
{
	u64 before = child_counter(vm), late, start, plain;

	if (!run_to_deadline(vm, paged, &late))
		return;
	CHECK(child_counter(vm) > before, "the child did not run before the deadline");
	start = rdtsc_ordered();
	CHECK((paged ? hv_vcpu_run_paged_flags(vm, 0, 0) : hv_vcpu_run_flags(vm, 0, &ex, 0, 0)) ==
		      HV_EXIT_TIMESLICE, "run without a deadline: not a time slice");
	plain = (rdtsc_ordered() - start) * 1000 / tsc_khz;
	gprintf("%s: spinning child back by its deadline (+%llu us; a plain slice %llu us)\n",
		paged ? "run page" : "struct", (unsigned long long)late,
		(unsigned long long)plain);
}

/* A deadline already past: nothing runs, but the answer to the pending
 * IN is applied (AL, RIP past the IN). */
static void check_past(u32 vm, bool paged)
{
	struct hv_vcpu_regs regs;
	u64 before = child_counter(vm), deadline = rdtsc_ordered() - 1;
	long r;

	if (paged) {
		page->complete_value = ANSWER;
		r = hv_vcpu_run_paged_deadline(vm, 0, page, HV_RUN_DEADLINE | HV_RUN_COMPLETE,
					       deadline);
	} else {
		r = hv_vcpu_run_deadline(vm, 0, &ex, HV_RUN_DEADLINE | HV_RUN_COMPLETE, ANSWER,
					 deadline);
	}
	CHECK(r == HV_EXIT_TIMESLICE, "past deadline: %ld, want HV_EXIT_TIMESLICE", r);
	CHECK(child_counter(vm) == before, "past deadline: the child ran (%llu -> %llu)",
	      (unsigned long long)before, (unsigned long long)child_counter(vm));
	CHECK(hv_vcpu_get_regs(vm, 0, &regs) == 0 && (u8)regs.gprs[0] == ANSWER &&
		      regs.rip == HV_CHILD_CODE + (u64)(child_after_in - child_start),
	      "past deadline: the IN not answered (al 0x%x rip 0x%llx)", (u8)regs.gprs[0],
	      (unsigned long long)regs.rip);
	gprintf("%s: past deadline: the IN answered, the child not entered\n",
		paged ? "run page" : "struct");
}

/* The first run stops at the child's IN. */
static bool run_to_in(u32 vm, bool paged)
{
	long r = paged ? hv_vcpu_run_paged_flags(vm, 0, 0) : hv_vcpu_run_flags(vm, 0, &ex, 0, 0);
	const struct hv_exit *e = paged ? &page->exit : &ex;

	if (r != HV_EXIT_IO || e->u.io.port != PORT_IN || !e->u.io.direction) {
		test_fail("first run: %ld (port 0x%x), want the IN", r, e->u.io.port);
		return false;
	}
	return true;
}

static void check_refused(u32 vm)
{
	struct hv_vcpu_run a = { .size = HV_VCPU_RUN_SIZE_VER0, .flags = HV_RUN_DEADLINE,
				 .vm = vm, .exit = (u64)&ex };

	ex.argsz = sizeof(ex);
	CHECK(hv_call(HV_CALL_VCPU_RUN, &a) == -HV_EINVAL, "32-byte struct with HV_RUN_DEADLINE");
	CHECK(hv_vcpu_run_paged_flags(vm, 0, HV_RUN_DEADLINE << 1) == -HV_EINVAL,
	      "the next run flag is unknown");
	gprintf("refused: HV_RUN_DEADLINE in a 32-byte struct -> -EINVAL\n");
}

static void check_run_kind(bool paged)
{
	long vm = start_child(paged ? "dl-page" : "dl-struct", false, 0);

	if (vm < 0)
		return;
	if (paged && hv_vcpu_run_page_set(vm, 0, page)) {
		test_fail("run page");
		return;
	}
	if (!paged)
		check_refused(vm);
	if (run_to_in(vm, paged)) {
		check_past(vm, paged);
		check_spinning(vm, paged);
	}
	CHECK(!paged || page->size == HV_RUN_PAGE_SIZE_VER0, "run page size %u", page->size);
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
}

/* The child's vCPU goes on at `label` (GPRS only, the rest kept). */
static bool set_rip(u32 vm, const u8 *label)
{
	struct hv_vcpu_regs regs;

	if (hv_vcpu_get_regs(vm, 0, &regs)) {
		test_fail("get regs");
		return false;
	}
	regs.flags = HV_REGS_GPRS;
	regs.rip = HV_CHILD_CODE + (u64)(label - child_start);
	if (hv_vcpu_set_regs(&regs)) {
		test_fail("set regs");
		return false;
	}
	return true;
}

/* The VMM answers an RDMSR with #GP in a run whose deadline is past: the
 * #GP is queued, the child not entered. The VMM then gives the vCPU a
 * new RIP: the #GP belonged to the RDMSR, so the next run starts at the
 * new RIP without it (the child would shut down on it). */
static void check_gp_dropped(void)
{
	long vm = start_child("dl-msr", false, BIT(HV_EXIT_MSR)), r;

	if (vm < 0 || !set_rip(vm, child_msr))
		return;
	r = hv_vcpu_run_flags(vm, 0, &ex, 0, 0);
	if (r != HV_EXIT_MSR || ex.u.msr.index != MSR_UNKNOWN) {
		test_fail("first run: %ld (MSR 0x%x), want the RDMSR", r, ex.u.msr.index);
		return;
	}
	r = hv_vcpu_run_deadline(vm, 0, &ex, HV_RUN_DEADLINE | HV_RUN_MSR_GP, 0,
				 rdtsc_ordered() - 1);
	CHECK(r == HV_EXIT_TIMESLICE, "#GP answer, past deadline: %ld, want HV_EXIT_TIMESLICE", r);
	if (!set_rip(vm, child_mark))
		return;
	r = hv_vcpu_run_flags(vm, 0, &ex, 0, 0);
	CHECK(r == HV_EXIT_IO && ex.u.io.port == PORT_MARK,
	      "after a new RIP: %ld (port 0x%x), want the OUT there, not the dropped #GP", r,
	      ex.u.io.port);
	if (r == HV_EXIT_IO && ex.u.io.port == PORT_MARK)
		gprintf("past deadline: a #GP answered, then a new RIP: the child starts there "
			"without it\n");
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
}

/* A child waiting in HLT inside the hypervisor (virtual LAPIC, IF set)
 * comes back by the deadline too. */
static void check_halted(void)
{
	long vm = start_child("dl-halt", true, 0);
	u64 late;

	if (vm < 0 || !set_rip(vm, child_halt))
		return;
	if (run_to_deadline(vm, false, &late))
		gprintf("halted child back by its deadline (+%llu us)\n", (unsigned long long)late);
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
}

void test_main(void)
{
	CHECK(hv_check_extension(HV_EXT_RUN_DEADLINE) == 1, "HV_EXT_RUN_DEADLINE = %ld",
	      hv_check_extension(HV_EXT_RUN_DEADLINE));
	tsc_khz = (u32)hv_check_extension(HV_EXT_TSC);
	if (!tsc_khz) {
		test_fail("no TSC frequency");
		return;
	}
	check_run_kind(false);
	check_run_kind(true);
	check_halted();
	check_gp_dropped();
}
