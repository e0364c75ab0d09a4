/* hvctl's shell: the command table, dispatch, and the small commands
 * (help, info, caps, modules, expect, exit). */
#include "guests/mgmt/mgmt.h"

struct command {
	const char *name;
	void (*fn)(struct words *ws);
	const char *usage;
};

static void cmd_help(struct words *ws);

static void cmd_info(struct words *ws)
{
	(void)ws;
	print_info();
}

static void cmd_caps(struct words *ws)
{
	(void)ws;
	print_caps();
}

static void cmd_modules(struct words *ws)
{
	if (ws->n > 1 && !strcmp(ws->w[1], "check"))
		modules_check();
	else
		modules_print();
}

static void cmd_run_all(struct words *ws)
{
	cmd_run(ws, 1);
}

/* expect NAME RESULT|fault|halted|running|poweroff|reset */
static bool expect_matches(const struct child *c, const char *want)
{
	u64 v;

	if (!strcmp(want, "poweroff"))
		return c->state == CHILD_POWERED_OFF;
	if (!strcmp(want, "reset"))
		return c->state == CHILD_RESET;
	if (!strcmp(want, "fault"))
		return c->state == CHILD_FAULTED;
	if (!strcmp(want, "halted"))
		return c->state == CHILD_HALTED;
	if (!strcmp(want, "running"))
		return child_runnable(c);
	return c->state == CHILD_EXITED && parse_u64(want, &v) && v == c->result;
}

static void describe(const struct child *c, char *buf, size_t len)
{
	hv_snprintf(buf, len, "%s", c->why[0] ? c->why : child_state_name(c));
}

static void cmd_expect(struct words *ws)
{
	struct child *c;
	char got[128];
	u64 v;

	if (ws->n != 3) {
		gprintf("error: usage: expect NAME RESULT|fault|halted|running|poweroff|reset\n");
		mgmt_failed();
		return;
	}
	c = child_find(ws->w[1]);
	if (!c) {
		gprintf("expect %s %s: FAILED (no VM named '%s')\n", ws->w[1], ws->w[2], ws->w[1]);
		mgmt_failed();
		return;
	}
	describe(c, got, sizeof(got));
	if (strcmp(ws->w[2], "fault") && strcmp(ws->w[2], "halted") &&
	    strcmp(ws->w[2], "running") && strcmp(ws->w[2], "poweroff") &&
	    strcmp(ws->w[2], "reset") && !parse_u64(ws->w[2], &v)) {
		gprintf("expect %s %s: FAILED (want a number, fault, halted, running, poweroff "
			"or reset)\n",
			ws->w[1], ws->w[2]);
		mgmt_failed();
	} else if (expect_matches(c, ws->w[2])) {
		gprintf("expect %s %s: ok (%s)\n", ws->w[1], ws->w[2], got);
	} else {
		gprintf("expect %s %s: FAILED (%s)\n", ws->w[1], ws->w[2], got);
		mgmt_failed();
	}
}

static void cmd_exit(struct words *ws)
{
	u64 code;

	if (ws->n > 2 || (ws->n == 2 && (!parse_u64(ws->w[1], &code) || code > 0xffffffffu))) {
		gprintf("error: usage: exit [CODE] (CODE a 32-bit number)\n");
		return;
	}
	if (ws->n == 1) {
		code = mgmt_failures ? 1 : 0;
		gprintf("hvctl: %u failed check(s)\n", mgmt_failures);
	}
	mgmt_exit((u32)code);
}

/* A script hands the terminal to the user: what follows (a console
 * session, say) takes keys from it, as at the prompt. */
static void cmd_interactive(struct words *ws)
{
	(void)ws;
	tty_interactive = true;
}

static const struct command commands[] = {
	{ "help", cmd_help, "help                      this list" },
	{ "info", cmd_info, "info                      what start-up discovered" },
	{ "caps", cmd_caps, "caps                      capability chain and extensions (live)" },
	{ "modules", cmd_modules, "modules [check]           boot modules children are made from; check:\n"
	  "                          writes to those mapped read-only are refused" },
	{ "vm", cmd_vm, "vm create NAME MODULE [mem=SIZE] [vcpus=N] [mmio] [lapic] [pc]\n"
			"          [cpus=LIST] [initrd=MODULE] [reset=stop|restart]\n"
			"          [cmdline=\"...\" | args=...]\n"
			"                          cpus=0,2-3: the CPUs its vCPUs run on (vCPU i\n"
			"                          on the i-th; default vCPU i on CPU i mod the\n"
			"                          CPU count); pc reset=restart: a reset reboots\n"
			"                          it (default reset=stop: a reset ends it)\n"
			"vm run [NAME|all] [slices=N]  (any key returns to the prompt)\n"
			"vm start NAME...          run in the background: at the prompt, in\n"
			"                          runs and consoles, until it ends or is stopped\n"
			"vm console NAME           the terminal on its UART (starts it); Ctrl-]\n"
			"                          detaches, it keeps running\n"
			"vm create NAME            from its definition in a config module\n"
			"vm defs                   the definitions read at start-up\n"
			"vm list | vm info NAME | vm stop NAME | vm destroy NAME|all\n"
			"vm pause|resume|reset NAME  (every NAME may be the VM's id)\n"
			"vm mem NAME ADDR LEN      hex dump of its memory (LEN at most 4096)\n"
			"vm stats NAME             its exits by reason and time in guest mode\n"
			"vm cycle MODULE COUNT     create, run, destroy COUNT times; leak check\n"
			"vm cpuid NAME [vendor=TEXT] [LEAF[.SUB]=EAX:EBX:ECX:EDX ...]\n"
			"                          the child's CPUID table, before it first runs" },
	{ "run", cmd_run_all, "run [NAME|all] [slices=N] same as vm run" },
	{ "stats", cmd_stats, "stats                     hypervisor and per-VM statistics, the RAM a\n"
			      "                          new VM can have; per CPU its exits, time in\n"
			      "                          children and idle since the last stats" },
	{ "dmesg", cmd_dmesg, "dmesg [-c]                the hypervisor's log; -c: later ones show only\n"
			      "                          newer lines" },
	{ "trace", cmd_trace, "trace on [VM] [EVENT...]  the hypervisor's binary trace buffer: record\n"
			      "                          exit hypercall inject run_start run_end vm_stop\n"
			      "                          (default all) of VM (default every VM)\n"
			      "trace off | trace dump    stop recording; write the records out as\n"
			      "                          hvtrace lines (build/hvtrace summarizes them)\n"
			      "trace console [on|off]    each hypercall as a text line on the console" },
	{ "runpage", cmd_runpage, "runpage [on|off]          new children run through the run page or VCPU_RUN v1" },
	{ "selftest", cmd_selftest, "selftest                  bad pointers must give -EFAULT" },
	{ "bench", cmd_bench, "bench [tsc=instructions]  cost of one VM create + destroy in TSC ticks\n"
	  "                          (make bench: its TSC counts instructions)" },
	{ "expect", cmd_expect, "expect NAME RESULT|fault|halted|running|poweroff|reset" },
	{ "type", cmd_type, "type TEXT                 test aid: TEXT as keys typed at this terminal\n"
			    "                          (^M Enter, ^] the console escape)" },
	{ "idle", cmd_idle, "idle ROUNDS               test aid: the prompt's wait for a key, ROUNDS\n"
			    "                          background rounds long" },
	{ "interactive", cmd_interactive, "interactive               (scripts) the rest takes keys from the terminal,\n"
					  "                          e.g. before vm console (make run-linux)" },
	{ "exit", cmd_exit, "exit [CODE]               end the machine (default: 1 if a check failed)" },
};

static void cmd_help(struct words *ws)
{
	(void)ws;
	gprintf("commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		gputs(commands[i].usage); /* `vm`'s is longer than gprintf's 511 */
		gputs("\n");
	}
	gprintf("SIZE: MiB, or with K/M/G; a multiple of 2M (default 16M); max: the most a new\n"
		"VM can have now (stats)\n");
	gprintf("a key stops an interactive run; scripted runs stop after %u slices\n",
		SCRIPT_SLICES_DEFAULT);
}

const char *shell_command_name(size_t i)
{
	return i < ARRAY_SIZE(commands) ? commands[i].name : NULL;
}

void shell_exec(const char *line)
{
	static struct words ws;

	if (!words_split(&ws, line)) {
		gprintf("error: line too long or more than %u words\n", WORDS_MAX);
		return;
	}
	if (!ws.n || ws.w[0][0] == '#')
		return;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(ws.w[0], commands[i].name)) {
			commands[i].fn(&ws);
			return;
		}
	}
	gprintf("error: unknown command '%s' (try help)\n", ws.w[0]);
}

void shell_interactive(void)
{
	static char line[LINE_MAX];

	tty_interactive = true;
	gprintf("hvctl: interactive; type help\n");
	for (;;) {
		tty_readline("hvctl> ", line, sizeof(line));
		shell_exec(line);
	}
}
