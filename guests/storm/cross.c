/* Calls on what another vCPU owns, made only when several vCPUs storm.
 * Each must get an answer from a small set, never crash anything, and
 * leave the owner's world as the owner's model has it: a call on another
 * vCPU's live child is malformed (it fails in decode, before any effect)
 * or only reads (STATS, VM_COPY from it, a window onto it that is taken
 * away again); a well-formed VM_DESTROY goes to an id its owner destroyed
 * (-ENOENT for good). The owner may destroy its child at any moment, so
 * -ENOENT is always among the answers.
 *
 * The shared child is the one VM every vCPU runs: one vCPU at HLT in a
 * loop, created by vCPU 0 before the others start. Its vCPU is bound to
 * CPU 0 (the first to set its registers) and other CPUs get -EBUSY; once
 * a child vCPU may move between CPUs while it is not running, a run from
 * any CPU succeeds unless it is running elsewhere right then (-EBUSY).
 * So every run of it answers its exit (HLT, or the slice's end) or
 * -EBUSY, and so does reading its registers. */
#include "guests/storm/storm.h"

/* Where this vCPU maps a window onto another's child: VM 0 has no RAM
 * there, and each vCPU's is its own. */
#define WINDOW_GPA (1ULL << 46)
#define WINDOW_STRIDE (16 * PAGE_SIZE)
#define COPY_MAX 256

static u32 shared_vm;
static const u8 hlt_loop[] = { 0xf4, 0xeb, 0xfd }; /* hlt; jmp .-1 */

void shared_child_create(void)
{
	long vm = hv_vm_create("storm-shared", 2 * MIB, 1, 0);

	if (vm < 0 || hv_vcpu_create((u32)vm) != 0 ||
	    hv_child_boot_long_mode((u32)vm, 0, hlt_loop, sizeof(hlt_loop)))
		guest_panic("storm: the shared child: %ld", vm);
	shared_vm = (u32)vm;
	extra_vms = 1;
}

void shared_child_destroy(void)
{
	if (hv_vm_destroy(shared_vm))
		test_error("the shared child was not destroyed");
	extra_vms = 0;
}

/* A call with its struct at a spot of this vCPU's scratch area that only
 * these calls use. */
static long cross_call(u64 nr, const void *a, u32 len, outcomes allow, struct hc *c)
{
	u64 at = scratch + SCRATCH_SIZE - 3 * PAGE_SIZE;

	*c = (struct hc){ .nr = nr, .rdi = at, .allow = allow };
	put_bytes(at, a, len);
	tally.cross_calls++;
	return issue(c);
}

static u32 stray_bit(void)
{
	return 1u << rnd_below(32);
}

static void destroy_theirs(void)
{
	struct hv_vm_destroy a = { sizeof(a), 0, 0, 0 };
	struct hc c;

	if (chance(50)) { /* live: with a flag or reserved bit, it must stay */
		a.vm = foreign_live();
		if (chance(50))
			a.flags = stray_bit();
		else
			a.reserved = stray_bit();
		if (a.vm)
			cross_call(HV_CALL_VM_DESTROY, &a, sizeof(a), E(EINVAL) | E(ENOENT), &c);
	} else if ((a.vm = foreign_gone())) {
		cross_call(HV_CALL_VM_DESTROY, &a, sizeof(a), E(ENOENT), &c);
	}
}

/* Runs and a new vCPU with a bit no version knows: the run must not run,
 * the vCPU must not be created (nor bound to this CPU). */
static void run_theirs(void)
{
	struct hv_vcpu_run a = { sizeof(a), 1u << (20 + rnd_below(12)), foreign_live(),
				 (u32)rnd_below(2), scratch + SCRATCH_SIZE - 4 * PAGE_SIZE, 0, 0 };
	struct hc c;

	if (a.vm)
		cross_call(HV_CALL_VCPU_RUN, &a, HV_VCPU_RUN_SIZE_VER0,
			   E(EINVAL) | E(ENOENT) | E(EBUSY) | E(ESRCH), &c);
}

static void new_vcpu_theirs(void)
{
	struct hv_vcpu_create a = { sizeof(a), 0, foreign_live(), stray_bit() };
	struct hc c;

	if (a.vm)
		cross_call(HV_CALL_VCPU_CREATE, &a, sizeof(a), E(EINVAL) | E(ENOENT), &c);
}

/* Reads: STATS of it, a VM_COPY out of its first chunk. */
static void read_theirs(void)
{
	u32 vm = foreign_live();
	struct hv_stats s = { .argsz = sizeof(s), .flags = HV_STATS_VM, .vm = vm };
	struct hv_vm_copy a = { sizeof(a), HV_COPY_FROM_VM, vm, 0, rnd_below(2 * MIB - COPY_MAX),
				scratch + SCRATCH_STRUCTS, 1 + rnd_below(COPY_MAX) };
	struct hc c;

	if (!vm)
		return;
	if (chance(50))
		cross_call(HV_CALL_STATS, &s, sizeof(s), OK | E(ENOENT), &c);
	else
		cross_call(HV_CALL_VM_COPY, &a, sizeof(a), OK | E(ENOENT), &c);
}

/* A window onto its first page, taken away again: the owner may destroy
 * the child in between, which closes the window (-ENOENT then). VM 0's
 * windows are few, but each vCPU has at most this one. */
static void window_theirs(void)
{
	struct hv_vm_window a = { sizeof(a), 0, foreign_live(), 0, 0, PAGE_SIZE,
				  WINDOW_GPA + self * WINDOW_STRIDE, 0 };
	struct hc c;

	if (!a.vm || cross_call(HV_CALL_VM_MAP_WINDOW, &a, sizeof(a),
				OK | E(ENOENT) | E(ENOMEM), &c))
		return;
	a.length = 0;
	cross_call(HV_CALL_VM_UNMAP_WINDOW, &a, sizeof(a), OK | E(ENOENT), &c);
}

static void run_shared(void)
{
	u64 exit_gpa = scratch + SCRATCH_SIZE - 4 * PAGE_SIZE;
	struct hv_vcpu_run a = { sizeof(a), 0, shared_vm, 0, exit_gpa, 0, 0 };
	const struct hv_exit *x = (const struct hv_exit *)exit_gpa;
	struct hc c;
	long r;

	*(u32 *)exit_gpa = sizeof(*x);
	r = cross_call(HV_CALL_VCPU_RUN, &a, HV_VCPU_RUN_SIZE_VER0, OK | E(EBUSY), &c);
	if (r < 0)
		return;
	if (r != HV_EXIT_HLT && r != HV_EXIT_TIMESLICE)
		unexpected(&c, "the shared child's run ended with %ld", r);
	else if (x->reason != (u32)r)
		unexpected(&c, "the shared child's exit record says %u", x->reason);
}

static void regs_shared(void)
{
	struct hv_vcpu_regs r = { .size = sizeof(r), .vm = shared_vm };
	struct hc c;

	cross_call(HV_CALL_VCPU_GET_REGS, &r, 16, OK | E(EBUSY), &c);
}

void storm_cross(void)
{
	static void (*const calls[])(void) = {
		destroy_theirs, run_theirs, new_vcpu_theirs, read_theirs,
		window_theirs, run_shared, run_shared, regs_shared,
	};

	calls[rnd_below(ARRAY_SIZE(calls))]();
}
