/* COM1 input. VM 0 owns the real UART: poll LSR bit 0 (data ready) and
 * read RBR. The line editor echoes, erases with backspace/DEL, kills the
 * line with Ctrl-U, discards it with Ctrl-C, and skips ANSI escape
 * sequences (arrow keys). */
#include "guests/mgmt/mgmt.h"

#define COM1 0x3f8
#define LSR_DATA_READY 0x01
#define CTRL_C 0x03
#define CTRL_U 0x15
#define ESC 0x1b
#define DRAIN_POLLS 200000

bool tty_interactive;

static int tty_getc_nowait(void)
{
	if (!(inb(COM1 + 5) & LSR_DATA_READY))
		return -1;
	return inb(COM1);
}

static int tty_getc(void)
{
	int c;

	while ((c = tty_getc_nowait()) < 0)
		asm volatile("pause");
	return c;
}

/* A key may be several bytes (an arrow key is ESC [ A; Enter may be
 * CR LF): the rest arrives right behind the first one and goes too. */
static void drain_input(void)
{
	for (u32 i = 0; i < DRAIN_POLLS; i++)
		if (tty_getc_nowait() >= 0)
			i = 0;
}

bool tty_take_key(void)
{
	if (tty_getc_nowait() < 0)
		return false;
	drain_input();
	return true;
}

static void erase_chars(size_t n)
{
	while (n--)
		gprintf("\b \b");
}

/* ESC [ ... final byte: 0 plain, 1 after ESC, 2 inside the sequence. */
static bool skip_escape(int *state, int c)
{
	if (*state == 1) {
		*state = (c == '[' || c == 'O') ? 2 : 0;
		return true;
	}
	if (*state == 2) {
		if (c >= 0x40 && c <= 0x7e)
			*state = 0;
		return true;
	}
	if (c == ESC) {
		*state = 1;
		return true;
	}
	return false;
}

/* Applies one key to the line; true when the line is complete. */
static bool edit_key(int c, char *buf, size_t len, size_t *n)
{
	if (c == '\r' || c == '\n') {
		gprintf("\n");
		return true;
	}
	if (c == '\b' || c == 0x7f) {
		if (*n) {
			(*n)--;
			erase_chars(1);
		}
	} else if (c == CTRL_U) {
		erase_chars(*n);
		*n = 0;
	} else if (c == CTRL_C) {
		gprintf("^C\n");
		*n = 0;
		return true;
	} else if (c >= ' ' && c < 0x7f && *n + 1 < len) {
		buf[(*n)++] = (char)c;
		gprintf("%c", c);
	}
	return false;
}

void tty_readline(const char *prompt, char *buf, size_t len)
{
	static int last;
	int esc = 0, c;
	size_t n = 0;

	gprintf("%s", prompt);
	for (;;) {
		c = tty_getc();
		if (c == '\n' && last == '\r') { /* the second half of CR LF */
			last = 0;
			continue;
		}
		last = c;
		if (skip_escape(&esc, c))
			continue;
		if (edit_key(c, buf, len, &n))
			break;
	}
	buf[n] = '\0';
}
