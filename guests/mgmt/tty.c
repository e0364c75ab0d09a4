/* COM1 input. VM 0 owns the real UART: poll LSR bit 0 (data ready) and
 * read RBR. The line editor echoes, erases with backspace/DEL, kills the
 * line with Ctrl-U, discards it with Ctrl-C, and skips ANSI escape
 * sequences (arrow keys). While it waits for a key, the background
 * children run a round at a time; a child's line printed meanwhile
 * breaks the prompt's line, which is shown again below it.
 *
 * Typed-ahead keys (`type`, a test aid) come before COM1's: scripts
 * drive `vm console` with them as a user at the terminal would. */
#include "guests/mgmt/mgmt.h"

#define COM1 0x3f8
#define LSR_DATA_READY 0x01
#define CTRL_C 0x03
#define CTRL_U 0x15
#define ESC 0x1b
#define DRAIN_POLLS 200000
#define TYPED_MAX 256
#define CARET_FIRST '?' /* ^? is DEL, ^@ to ^_ the control keys */
#define CARET_LAST '_'

bool tty_interactive;

static u8 typed[TYPED_MAX];
static u32 typed_head, typed_len;

/* The line being edited, to show again after a child's line broke it. */
static struct line_edit {
	const char *prompt;
	char *buf;
	size_t *n;
	bool active, broken;
} edit;

static int tty_getc_nowait(void)
{
	if (!(inb(COM1 + 5) & LSR_DATA_READY))
		return -1;
	return inb(COM1);
}

int tty_key(void)
{
	if (typed_head < typed_len)
		return typed[typed_head++];
	typed_head = typed_len = 0;
	return tty_getc_nowait();
}

void tty_output_begins(void)
{
	if (edit.active && !edit.broken) {
		gprintf("\n");
		edit.broken = true;
	}
}

static void show_line_again(void)
{
	if (!edit.broken)
		return;
	edit.broken = false;
	edit.buf[*edit.n] = '\0';
	gprintf("%s%s", edit.prompt, edit.buf);
}

/* Waits for a key, running the background children meanwhile. */
static int tty_getc(void)
{
	int c;

	for (;;) {
		show_line_again();
		if ((c = tty_key()) >= 0)
			return c;
		sched_background_round();
		asm volatile("pause");
	}
}

/* Appends one key to the typed-ahead ones; false when they are full. */
static bool type_key(u8 key)
{
	if (typed_len == TYPED_MAX) {
		gprintf("error: type: more than %u keys waiting\n", TYPED_MAX);
		return false;
	}
	typed[typed_len++] = key;
	return true;
}

/* Keys of one word: ^X is the control key X, the rest as written. */
static bool type_word(const char *p)
{
	for (; *p; p++) {
		u8 key = (u8)*p;

		if (key == '^' && p[1] >= CARET_FIRST && p[1] <= CARET_LAST)
			key = (u8)(*++p ^ 0x40);
		if (!type_key(key))
			return false;
	}
	return true;
}

/* type WORD... : the words, a space between two, as typed keys. */
void cmd_type(struct words *ws)
{
	if (ws->n < 2) {
		gprintf("error: usage: type TEXT (^M Enter, ^] the console escape)\n");
		return;
	}
	for (int i = 1; i < ws->n; i++)
		if ((i > 1 && !type_key(' ')) || !type_word(ws->w[i]))
			return;
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

	edit = (struct line_edit){ .prompt = prompt, .buf = buf, .n = &n, .active = true };
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
	edit.active = false;
	buf[n] = '\0';
}
