/* Scripted mode: VM 0's command line may carry mgmt.script="a; b; c".
 * GRUB hands a quoted word over either as written or re-quoted as a
 * whole ("mgmt.script=a; b; c"), with inner quotes as \"; the word
 * splitter undoes both. Each command is echoed as "hvctl> cmd" and run. */
#include "guests/mgmt/mgmt.h"

#define SCRIPT_KEY "mgmt.script"
#define SCRIPT_CUT_AT (HV_BOOT_CMDLINE_MAX - 1) /* what VM 0 is handed of it */

/* Finds the script in the command line; false when there is none. */
static bool script_find(const char *cmdline, struct words *ws, const char **script)
{
	if (!words_split(ws, cmdline)) {
		gprintf("hvctl: command line has too many words; looking at the first %u\n",
			WORDS_MAX);
	}
	for (int i = 0; i < ws->n; i++) {
		if ((*script = opt_value(ws->w[i], SCRIPT_KEY)))
			return true;
	}
	return false;
}

/* Copies the next ';'-separated command (quotes respected) into cmd;
 * returns where the rest starts, or NULL at the end. */
static const char *next_command(const char *p, char *cmd, size_t len)
{
	bool quoted = false;
	size_t n = 0;

	if (!*p)
		return NULL;
	for (; *p && (quoted || *p != ';'); p++) {
		if (*p == '"')
			quoted = !quoted;
		if (n + 1 < len)
			cmd[n++] = *p;
	}
	cmd[n] = '\0';
	return *p ? p + 1 : p;
}

void script_run(const char *cmdline)
{
	static struct words ws;
	static char cmd[LINE_MAX], trimmed[LINE_MAX];
	const char *script, *p;

	if (!script_find(cmdline, &ws, &script)) {
		gprintf("hvctl: no %s on the command line\n", SCRIPT_KEY);
		return;
	}
	if (strlen(cmdline) >= SCRIPT_CUT_AT)
		gprintf("hvctl: warning: the command line is %u bytes long; the hypervisor "
			"keeps %u bytes of a module string, so the script may be cut short\n",
			(u32)strlen(cmdline), SCRIPT_CUT_AT);
	gprintf("hvctl: running %s\n", SCRIPT_KEY);
	for (p = script; (p = next_command(p, cmd, sizeof(cmd)));) {
		trim_copy(trimmed, sizeof(trimmed), cmd, false);
		if (!trimmed[0])
			continue;
		gprintf("hvctl> %s\n", trimmed);
		shell_exec(trimmed);
	}
	gprintf("hvctl: script done\n");
}
