/* Round-robin over the vCPUs of runnable children, per CPU of VM 0
 * (cpus.c): each round on a CPU gives every due vCPU placed on that CPU
 * one slice (vmm.c). The shell's CPU 0 runs rounds while a `vm run`
 * goes on, while the shell waits for a key, and in a console session;
 * each other CPU's worker runs rounds for as long as it has vCPUs of
 * children that run now (in the background or in a `vm run`'s set).
 *
 * A vCPU that waits for a SIPI is asked again once another vCPU of its
 * child made progress (a slice that ran) since it was last asked: only
 * its siblings can start it. A child all of whose vCPUs are halted or
 * were asked since the last progress can never run again, and has
 * halted. A `vm run` ends when no child of its set is left, once a vCPU
 * of its set had max_slices slices, or, in the interactive shell,
 * when a key arrives on COM1 between two slices.
 *
 * A paused child is not runnable: it gets none. A child's typed input
 * goes into its UART before each of its slices. Each slice's TSC ticks
 * count as the child's CPU time; the children that ended by themselves
 * get their on_stop from the shell (lifecycle_sweep). */
#include "guests/mgmt/mgmt.h"
#include "guests/lib/timing.h"

static u32 runnable_count(struct child **set, u32 n)
{
	u32 k = 0;

	for (u32 i = 0; i < n; i++)
		k += child_runnable(set[i]);
	return k;
}

/* With several vCPUs, each one's slices in this run follow. */
static void report_still_running(struct child **set, u32 n, u64 slices)
{
	for (u32 i = 0; i < n; i++) {
		if (!child_runnable(set[i]))
			continue;
		gprintf("vm %s: still running after %llu slices\n", set[i]->name,
			(unsigned long long)slices);
		for (u32 k = 0; k < set[i]->vcpus && set[i]->vcpus > 1; k++)
			gprintf("vm %s: vcpu %u on CPU %u: %llu slices, %llu exits\n", set[i]->name, k,
				set[i]->vcpu[k].cpu,
				(unsigned long long)set[i]->run_slices[k],
				(unsigned long long)set[i]->vcpu[k].exits);
	}
}

/* Whether vCPU v of c gets a slice now. */
static bool vcpu_due(const struct child *c, const struct child_vcpu *v)
{
	if (v->state == VCPU_HALTED || v->state == VCPU_UNUSED || v->in_run)
		return false;
	return v->state != VCPU_WAIT_SIPI || v->asked != c->progress;
}

/* Every vCPU halted, or waiting for a SIPI and asked since the last
 * progress: nothing can start any of them again. */
static bool child_stuck(const struct child *c)
{
	for (u32 i = 0; i < c->vcpus; i++) {
		const struct child_vcpu *v = &c->vcpu[i];

		if (v->in_run || vcpu_due(c, v))
			return false;
	}
	return true;
}

static bool timed_slice(struct child *c, u32 i, u32 cpu)
{
	u64 t0 = rdtsc_ordered();
	bool ran = vmm_slice(c, i, cpu);

	c->cpu_ticks += rdtsc_ordered() - t0;
	if (ran)
		c->progress++;
	else if (child_alive(c) && child_stuck(c))
		child_end(c, CHILD_HALTED, "no vCPU can run: each is halted or waits for a SIPI");
	return ran;
}

/* A slice for each due vCPU of c placed on CPU `cpu`; *gave tells
 * whether one got a slice. False when a key interrupted (only when
 * keys_stop). */
static bool child_round(struct child *c, u32 cpu, bool keys_stop, bool *gave)
{
	for (u32 i = 0; i < c->vcpus && child_runs(c); i++) {
		if (c->vcpu[i].cpu != cpu || !vcpu_due(c, &c->vcpu[i]))
			continue;
		console_feed(c);
		timed_slice(c, i, cpu);
		*gave = true;
		if (keys_stop && tty_interactive && tty_take_key())
			return false;
	}
	return true;
}

/* The shell's round for each runnable child of set[]; false when a key
 * interrupted. */
static bool run_round(struct child **set, u32 n, bool *gave)
{
	for (u32 i = 0; i < n; i++)
		if (child_runs(set[i]) && !child_round(set[i], 0, true, gave))
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

/* The shell's round for each runnable background child not in set[]. */
static void background_round_except(struct child **set, u32 n, bool *gave)
{
	struct child *c;

	for (u32 i = 0; i < CHILDREN_MAX; i++)
		if ((c = child_at(i)) && c->background && child_runs(c) && !in_set(c, set, n))
			child_round(c, 0, false, gave);
}

/* One round for each runnable background child (between keystrokes);
 * false when no vCPU ran. */
static bool sched_background_round(void)
{
	bool gave = false;

	background_round_except(NULL, 0, &gave);
	lifecycle_sweep();
	return gave;
}

void sched_wait_round(void)
{
	if (!sched_background_round())
		vm0_wait_a_while();
}

/* A child whose vCPUs the workers run now: in the background or in a
 * `vm run`'s set, and runs. */
static bool child_scheduled(const struct child *c)
{
	return (c->background || c->foreground) && child_runs(c);
}

bool sched_cpu_round(u32 cpu)
{
	bool gave = false;
	struct child *c;

	for (u32 i = 0; i < CHILDREN_MAX; i++)
		if ((c = child_at(i)) && child_scheduled(c))
			child_round(c, cpu, false, &gave);
	return gave;
}

bool sched_cpu_waits_sipi(u32 cpu)
{
	struct child *c;

	for (u32 i = 0; i < CHILDREN_MAX; i++) {
		if (!(c = child_at(i)) || !child_scheduled(c))
			continue;
		for (u32 k = 0; k < c->vcpus; k++)
			if (c->vcpu[k].cpu == cpu && c->vcpu[k].state == VCPU_WAIT_SIPI)
				return true;
	}
	return false;
}

static void set_foreground(struct child **set, u32 n, bool on)
{
	for (u32 i = 0; i < n; i++)
		set[i]->foreground = on;
	if (on)
		vm0_cpus_wake_all();
}

/* The most slices one vCPU of the set had in this run: with every vCPU
 * on one CPU, the rounds run. */
static u64 set_rounds(struct child **set, u32 n)
{
	u64 most = 0;

	for (u32 i = 0; i < n; i++)
		for (u32 k = 0; k < set[i]->vcpus; k++)
			most = MAX(most, set[i]->run_slices[k]);
	return most;
}

static void run_slices_clear(struct child **set, u32 n)
{
	for (u32 i = 0; i < n; i++)
		memset(set[i]->run_slices, 0, sizeof(set[i]->run_slices));
}

enum run_end sched_run(struct child **set, u32 n, u64 max_slices)
{
	enum run_end end = RUN_DONE;
	u64 rounds = 0;
	bool gave;

	run_slices_clear(set, n);
	set_foreground(set, n, true);
	while (runnable_count(set, n)) {
		if (max_slices && set_rounds(set, n) >= max_slices) {
			report_still_running(set, n, max_slices);
			end = RUN_BOUND;
			break;
		}
		rounds++;
		gave = false;
		background_round_except(set, n, &gave);
		if (!run_round(set, n, &gave)) {
			gprintf("run: interrupted by a key after %llu round(s); %u VM(s) still "
				"runnable\n", (unsigned long long)rounds, runnable_count(set, n));
			end = RUN_KEY;
			break;
		}
		if (!gave)
			vm0_wait_a_while();
	}
	set_foreground(set, n, false);
	return end;
}

bool sched_start(struct child *c)
{
	if (!child_runnable(c)) {
		gprintf("error: vm %s is %s, not runnable\n", c->name, child_state_name(c));
		return false;
	}
	c->background = true;
	vm0_cpus_wake_all();
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
		sched_wait_round();
}
