/* Round-robin over runnable children: each round gives every runnable
 * child of the set one slice (vmm.c). The run ends when none is left,
 * after max_slices rounds, or, in the interactive shell, when a key
 * arrives on COM1 between two slices. */
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

/* One slice for each runnable child; false when a key interrupted. */
static bool run_round(struct child **set, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		if (!child_runnable(set[i]))
			continue;
		vmm_slice(set[i]);
		if (tty_interactive && tty_take_key())
			return false;
	}
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
