/* Round-robin over the vCPUs of runnable children: each round gives
 * every ready vCPU of every runnable child of the set one slice (vmm.c),
 * all on VM 0's one CPU. A vCPU that waits for a SIPI is asked again a
 * round later (its run returns at once); a halted one is not run again.
 * A child none of whose vCPUs ran in a whole round can never run again
 * (only its own vCPUs could start the waiting ones) and has halted. The
 * run ends when no child is left, after max_slices rounds, or, in the
 * interactive shell, when a key arrives on COM1 between two slices. */
#include "guests/mgmt/mgmt.h"

static u32 runnable_count(struct child **set, u32 n)
{
	u32 k = 0;

	for (u32 i = 0; i < n; i++)
		k += child_runnable(set[i]);
	return k;
}

static void report_still_running(struct child **set, u32 n, u64 rounds)
{
	for (u32 i = 0; i < n; i++)
		if (child_runnable(set[i]))
			gprintf("vm %s: still running after %llu slices\n", set[i]->name,
				(unsigned long long)rounds);
}

/* Whether vCPU i gets a slice this round (a waiting one every other). */
static bool vcpu_due(struct child_vcpu *v)
{
	if (v->state == VCPU_HALTED || v->state == VCPU_UNUSED)
		return false;
	if (v->skip) {
		v->skip = false;
		return false;
	}
	return true;
}

/* A slice for each due vCPU of c; false when a key interrupted. */
static bool child_round(struct child *c)
{
	bool ran = false, asked = false;

	for (u32 i = 0; i < c->vcpus && child_runnable(c); i++) {
		if (!vcpu_due(&c->vcpu[i])) {
			asked |= c->vcpu[i].state == VCPU_WAIT_SIPI;
			continue;
		}
		ran |= vmm_slice(c, i);
		if (tty_interactive && tty_take_key())
			return false;
	}
	if (child_runnable(c) && !ran && !asked)
		child_end(c, CHILD_HALTED, "no vCPU can run: each is halted or waits for a SIPI");
	return true;
}

/* One round for each runnable child; false when a key interrupted. */
static bool run_round(struct child **set, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (child_runnable(set[i]) && !child_round(set[i]))
			return false;
	return true;
}

enum run_end sched_run(struct child **set, u32 n, u64 max_slices)
{
	u64 rounds = 0;

	while (runnable_count(set, n)) {
		if (max_slices && rounds == max_slices) {
			report_still_running(set, n, rounds);
			return RUN_BOUND;
		}
		rounds++;
		if (!run_round(set, n)) {
			gprintf("run: interrupted by a key after %llu round(s); %u VM(s) still "
				"runnable\n", (unsigned long long)rounds, runnable_count(set, n));
			return RUN_KEY;
		}
	}
	return RUN_DONE;
}
