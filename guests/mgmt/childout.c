/* What a child transmits on its UART, shown on VM 0's console a line at a
 * time as "[NAME] line". Carriage returns are dropped, other control and
 * non-ASCII bytes print as '?', and a line longer than the buffer is
 * printed in pieces. The child `vm console` is attached to has its
 * bytes shown as they come, unchanged: the terminal is its own. The
 * other children's lines are kept meanwhile, HELD_LINES of them, and
 * shown when the console detaches. */
#include "guests/mgmt/mgmt.h"

#define HELD_LINES 32
#define HELD_LEN (HV_NAME_MAX + CHILD_LINE_MAX + 4)

static char held[HELD_LINES][HELD_LEN];
static u32 held_n, held_lost;
static bool console_mid_line; /* the attached child's output so far */

/* A line of hvctl's is about to be printed. */
static void line_begins(void)
{
	if (console_mid_line)
		gprintf("\n");
	console_mid_line = false;
	tty_output_begins();
}

/* "[NAME] text", printed, or kept while a console is attached. */
static void show_line(const struct child *c, const char *text)
{
	if (vmm_quiet)
		return;
	if (!console_in_session()) {
		line_begins();
		gprintf("[%s] %s\n", c->name, text);
	} else if (held_n < HELD_LINES) {
		hv_snprintf(held[held_n++], HELD_LEN, "[%s] %s", c->name, text);
	} else {
		held_lost++;
	}
}

void child_out_release(void)
{
	for (u32 i = 0; i < held_n; i++)
		gprintf("%s\n", held[i]);
	if (held_lost)
		gprintf("console: %u more line(s) of other VMs were not kept\n", held_lost);
	held_n = held_lost = 0;
}

void child_out_flush(struct child *c)
{
	if (console_attached(c))
		line_begins();
	if (!c->out_len)
		return;
	c->out_line[c->out_len] = '\0';
	show_line(c, c->out_line);
	c->out_len = 0;
}

void child_out_byte(void *ctx, u8 ch)
{
	struct child *c = ctx;

	if (console_attached(c)) {
		gprintf("%c", ch);
		console_mid_line = ch != '\n';
		return;
	}
	if (ch == '\n') {
		if (c->out_len)
			child_out_flush(c);
		else
			show_line(c, "");
		return;
	}
	if (ch == '\r')
		return;
	if (ch != '\t' && (ch < ' ' || ch > '~'))
		ch = '?';
	c->out_line[c->out_len++] = (char)ch;
	if (c->out_len == CHILD_LINE_MAX - 1)
		child_out_flush(c);
}
