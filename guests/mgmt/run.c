/* `vm run [NAME|all] [slices=N]` and `run ...`: pick the children, then
 * hand them to the scheduler. Interactive runs end at a key; scripted
 * runs without slices= stop waiting after SCRIPT_SLICES_DEFAULT. */
#include "guests/mgmt/mgmt.h"

static bool run_args(struct words *ws, int first, const char **name, u64 *slices)
{
	const char *v;

	*name = NULL;
	*slices = 0;
	for (int i = first; i < ws->n; i++) {
		if ((v = opt_value(ws->w[i], "slices"))) {
			if (!parse_u64(v, slices) || !*slices) {
				gprintf("error: slices=%s: want a number >= 1\n", v);
				return false;
			}
		} else if (!*name) {
			*name = ws->w[i];
		} else {
			gprintf("error: usage: vm run [NAME|all] [slices=N]\n");
			return false;
		}
	}
	if (*name && !strcmp(*name, "all"))
		*name = NULL;
	return true;
}

/* The children to run: the named one, or every runnable one. */
static u32 pick(const char *name, struct child **set)
{
	struct child *c;
	u32 n = 0;

	if (name) {
		if (!(c = child_named(name)))
			return 0;
		if (!child_runnable(c)) {
			gprintf("error: vm %s is %s, not runnable\n", c->name, child_state_name(c));
			return 0;
		}
		set[n++] = c;
		return n;
	}
	for (u32 i = 0; i < CHILDREN_MAX; i++)
		if ((c = child_at(i)) && child_runnable(c))
			set[n++] = c;
	if (!n)
		gprintf("run: no runnable VM\n");
	return n;
}

void cmd_run(struct words *ws, int first)
{
	struct child *set[CHILDREN_MAX];
	const char *name;
	u64 slices;
	u32 n;

	if (!run_args(ws, first, &name, &slices) || !(n = pick(name, set)))
		return;
	if (!slices && !tty_interactive)
		slices = SCRIPT_SLICES_DEFAULT;
	gprintf("run: %u VM(s)%s\n", n, tty_interactive ? "; any key returns to the prompt" : "");
	if (sched_run(set, n, slices) == RUN_DONE)
		gprintf("run: done\n");
	lifecycle_sweep();
}
