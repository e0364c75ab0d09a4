/* `vm cycle MODULE COUNT`: COUNT times create a child from MODULE, run it
 * to its end and destroy it; then compare the hypervisor's free bytes
 * before and after. Children run quietly; only unusual ends are shown. */
#include "guests/mgmt/mgmt.h"

#define CYCLE_MEM (16 * MIB)

/* One create/run/destroy; false when the cycle cannot go on (or a key
 * interrupted it). */
static bool cycle_once(const char *module, u64 *done, u64 *clean)
{
	u64 i = *done;
	char name[HV_NAME_MAX];
	struct create_args a = { name, module, CYCLE_MEM, 1, NULL, 0, false, false, NULL, NULL, 0 };
	enum run_end end = RUN_DONE;
	struct child *c;
	bool ok;

	hv_snprintf(name, sizeof(name), "cycle-%llu", (unsigned long long)i);
	vmm_quiet = true;
	c = child_create(&a);
	if (c)
		end = sched_run(&c, 1, SCRIPT_SLICES_DEFAULT);
	vmm_quiet = false;
	if (!c) {
		gprintf("cycle: run %llu: could not create the VM\n", (unsigned long long)i);
		return false;
	}
	if (c->state == CHILD_EXITED && c->result == 0)
		(*clean)++;
	else
		gprintf("cycle: run %llu: %s\n", (unsigned long long)i,
			c->why[0] ? c->why : child_state_name(c));
	ok = !child_destroy(c);
	*done += ok;
	if (!ok)
		gprintf("cycle: run %llu: could not destroy the VM\n", (unsigned long long)i);
	return ok && end != RUN_KEY;
}

static void cycle_report(u64 count, u64 before, u64 after)
{
	if (after == before) {
		gprintf("cycle: %llu runs, free bytes before %llu after %llu: unchanged\n",
			(unsigned long long)count, (unsigned long long)before,
			(unsigned long long)after);
		return;
	}
	if (after < before)
		gprintf("cycle: %llu runs, free bytes before %llu after %llu: LEAKED %llu\n",
			(unsigned long long)count, (unsigned long long)before,
			(unsigned long long)after, (unsigned long long)(before - after));
	else
		gprintf("cycle: %llu runs, free bytes before %llu after %llu: CHANGED +%llu\n",
			(unsigned long long)count, (unsigned long long)before,
			(unsigned long long)after, (unsigned long long)(after - before));
	mgmt_failed();
}

void cmd_cycle(struct words *ws)
{
	u64 count, before, after, done = 0, clean = 0;
	long r;

	if (ws->n != 4 || !parse_u64(ws->w[3], &count) || !count) {
		gprintf("error: usage: vm cycle MODULE COUNT (COUNT >= 1)\n");
		return;
	}
	if (!module_find(ws->w[2])) {
		gprintf("error: cycle: no boot module named '%s' (see modules)\n", ws->w[2]);
		mgmt_failed();
		return;
	}
	if ((r = stats_free_bytes(&before))) {
		gprintf("error: cycle: stats: %s\n", err_name(r));
		return;
	}
	while (done < count && cycle_once(ws->w[2], &done, &clean))
		;
	if ((r = stats_free_bytes(&after))) {
		gprintf("error: cycle: stats: %s\n", err_name(r));
		mgmt_failed();
		return;
	}
	gprintf("cycle: %llu of %llu runs exited with 0\n", (unsigned long long)clean,
		(unsigned long long)done);
	if (done < count)
		mgmt_failed();
	cycle_report(done, before, after);
}
