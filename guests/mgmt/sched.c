/* Round-robin over the vCPUs of runnable children: each round gives
 * every ready vCPU of every runnable child of the set one slice (vmm.c),
 * all on VM 0's one CPU. A vCPU that waits for a SIPI is asked again a
 * round later (its run returns at once); a halted one is not run again.
 * A child none of whose vCPUs ran in a whole round can never run again
 * (only its own vCPUs could start the waiting ones) and has halted. The
 * run ends when no child is left, after max_slices rounds, or, in the
 * interactive shell, when a key arrives on COM1 between two slices.
 *
 * Background children (`vm start`, `vm console`) get a round whenever
 * the shell waits for a key, in each round of a foreground run, and in
 * a console session; a child's typed input goes into its UART before
 * each of its slices. A paused child is not runnable: it gets none.
 * Each slice's TSC ticks count as the child's CPU time; after each
 * round, the children that ended by themselves get their on_stop. */
#include "guests/mgmt/mgmt.h"
#include "guests/lib/timing.h"

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

static bool timed_slice(struct child *c, u32 i)
{
	u64 t0 = rdtsc_ordered();
	bool ran = vmm_slice(c, i);

	c->cpu_ticks += rdtsc_ordered() - t0;
	return ran;
}

/* A slice for each due vCPU of c; false when a key interrupted (only
 * when keys_stop). */
static bool child_round(struct child *c, bool keys_stop)
{
	bool ran = false, asked = false;

	for (u32 i = 0; i < c->vcpus && child_runnable(c); i++) {
		if (!vcpu_due(&c->vcpu[i])) {
			asked |= c->vcpu[i].state == VCPU_WAIT_SIPI;
			continue;
		}
		console_feed(c);
		ran |= timed_slice(c, i);
		if (keys_stop && tty_interactive && tty_take_key())
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
		if (child_runnable(set[i]) && !child_round(set[i], true))
			return false;
	return true;
}

static bool in_set(const struct child *c, struct child **set, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (set[i] == c)
			return true;
	return false;
}

/* A round for each runnable background child not in set[]. */
static void background_round_except(struct child **set, u32 n)
{
	struct child *c;

	for (u32 i = 0; i < CHILDREN_MAX; i++)
		if ((c = child_at(i)) && c->background && child_runnable(c) && !in_set(c, set, n))
			child_round(c, false);
}

void sched_background_round(void)
{
	background_round_except(NULL, 0);
	lifecycle_sweep();
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
		background_round_except(set, n);
		if (!run_round(set, n)) {
			gprintf("run: interrupted by a key after %llu round(s); %u VM(s) still "
				"runnable\n", (unsigned long long)rounds, runnable_count(set, n));
			return RUN_KEY;
		}
	}
	return RUN_DONE;
}

bool sched_start(struct child *c)
{
	if (!child_runnable(c)) {
		gprintf("error: vm %s is %s, not runnable\n", c->name, child_state_name(c));
		return false;
	}
	c->background = true;
	return true;
}

/* vm start NAME...: each runs in the background from now on. */
void cmd_vm_start(struct words *ws)
{
	struct child *c;

	if (ws->n < 3)
		return (void)gprintf("error: usage: vm start NAME...\n");
	for (int i = 2; i < ws->n; i++) {
		if ((c = child_named(ws->w[i])) && sched_start(c))
			gprintf("vm %s: running in the background\n", c->name);
	}
}

/* idle ROUNDS (a test aid): what the shell does while the user types
 * nothing, for ROUNDS background rounds. */
void cmd_idle(struct words *ws)
{
	u64 rounds;

	if (ws->n != 2 || !parse_u64(ws->w[1], &rounds))
		return (void)gprintf("error: usage: idle ROUNDS\n");
	while (rounds--)
		sched_background_round();
}
