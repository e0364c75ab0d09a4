/* What a child transmits on its UART, shown on VM 0's console a line at a
 * time as "[NAME] line". Carriage returns are dropped, other control and
 * non-ASCII bytes print as '?', and a line longer than the buffer is
 * printed in pieces. The child `vm console` is attached to has its
 * bytes shown as they come, unchanged: the terminal is its own; another
 * child's line meanwhile starts on a line of its own. */
#include "guests/mgmt/mgmt.h"

static bool console_mid_line; /* the attached child's output so far */

/* A line of hvctl's is about to be printed. */
static void line_begins(void)
{
	if (console_mid_line)
		gprintf("\n");
	console_mid_line = false;
	tty_output_begins();
}

void child_out_flush(struct child *c)
{
	if (console_attached(c))
		line_begins();
	if (!c->out_len)
		return;
	c->out_line[c->out_len] = '\0';
	if (!vmm_quiet) {
		line_begins();
		gprintf("[%s] %s\n", c->name, c->out_line);
	}
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
		if (c->out_len) {
			child_out_flush(c);
		} else if (!vmm_quiet) {
			line_begins();
			gprintf("[%s]\n", c->name);
		}
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
