/* `vm console NAME`: VM 0's terminal attached to a child's UART. Keys go
 * to the child's receiver; those it has no room for yet wait in the
 * child's pending bytes, CONSOLE_PENDING of them, fed in before each of
 * its slices even after a detach. Only a child that reads nothing while
 * that many keys wait loses the next ones (counted): Ctrl-] must still
 * get through. The child's output is shown as it comes,
 * unprefixed. Ctrl-] detaches; the child stays in the background, as do
 * all the others, which run a round between two keys as at the prompt
 * (their lines are shown after the session, childout.c).
 * A script's session ends at Ctrl-] too, or when its typed keys (`type`)
 * have run out. Those come as from a typist who waits for the child: a
 * key only when the child has taken the last one and had TYPED_GAP
 * rounds to answer it (the end too waits that long). */
#include "guests/mgmt/mgmt.h"

#define TYPED_GAP 16

static struct child *attached;
static u32 dropped; /* keys of this session that found no room */
static u32 quiet_rounds; /* since the child took the last typed key */

bool console_attached(const struct child *c)
{
	return c == attached;
}

bool console_in_session(void)
{
	return attached != NULL;
}

void console_feed(struct child *c)
{
	size_t room = uart_rx_room(&c->uart), n = c->in_len < room ? c->in_len : room;

	if (!n)
		return;
	n = uart_receive(&c->uart, c->in_pending, n);
	c->in_len -= (u32)n;
	memmove(c->in_pending, c->in_pending + n, c->in_len);
}

/* Takes one key for the child; false when the session ends. */
static bool console_key(struct child *c)
{
	int key;

	if (!tty_interactive && (c->in_len || c->uart.rx_count))
		quiet_rounds = 0;
	if (!tty_interactive && quiet_rounds++ < TYPED_GAP)
		return true;
	if ((key = tty_key()) == CONSOLE_ESCAPE)
		return false;
	if (key < 0)
		return tty_interactive; /* a script's keys have run out */
	quiet_rounds = 0;
	if (c->in_len < CONSOLE_PENDING)
		c->in_pending[c->in_len++] = (u8)key;
	else
		dropped++;
	return true;
}

/* Runs everything in the background, one key per round, until the
 * escape, the end of the script's keys, or the child's end. */
static void console_session(struct child *c)
{
	while (child_runnable(c) && console_key(c))
		sched_wait_round();
}

void cmd_vm_console(struct words *ws)
{
	struct child *c;

	if (!(c = vm_command_child(ws, 2, "vm console NAME")) || !sched_start(c))
		return;
	child_out_flush(c);
	gprintf("console: attached to %s, Ctrl-] detaches\n", c->name);
	attached = c;
	dropped = quiet_rounds = 0;
	console_session(c);
	attached = NULL;
	if (dropped)
		gprintf("\nconsole: %u key(s) lost: %s read no input\n", dropped, c->name);
	if (child_runnable(c))
		gprintf("\nconsole: detached from %s, it keeps running in the background\n",
			c->name);
	else
		gprintf("console: %s has ended\n", c->name);
	child_out_release();
}
