/* COM1 input. VM 0 owns the real UART: poll LSR bit 0 (data ready) and
 * read RBR. Lines are read with the line editor (line_edit.h): history,
 * cursor keys, Tab completion of commands and VM names. While it waits
 * for a key, the background children run a round at a time; a child's
 * line printed meanwhile breaks the prompt's line, which is shown again
 * below it.
 *
 * Typed-ahead keys (`type`, a test aid) come before COM1's: scripts
 * drive `vm console` and the prompt with them as a user at the terminal
 * would. */
#include "guests/mgmt/line_edit.h"
#include "guests/mgmt/mgmt.h"

#define COM1 0x3f8
#define LSR_DATA_READY 0x01
#define DRAIN_POLLS 200000
#define TYPED_MAX 256
#define CARET_FIRST '?' /* ^? is DEL, ^@ to ^_ the control keys */
#define CARET_LAST '_'
#define SHOW_CHUNK 256  /* bytes per gprintf: well inside its buffer */

_Static_assert(LINE_MAX == LINE_EDIT_MAX + 1, "a shell line holds any line the editor takes");

bool tty_interactive;

static u8 typed[TYPED_MAX];
static u32 typed_head, typed_len;

static struct line_edit editor;
static bool editing, broken; /* a line is being edited; a child's line broke it */

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
	if (editing && !broken) {
		gprintf("\n");
		broken = true;
	}
}

static void show_line_again(void)
{
	if (!broken)
		return;
	broken = false;
	line_edit_redraw(&editor);
}

/* Waits for a key, running the background children meanwhile. */
static int tty_getc(void)
{
	int c;

	for (;;) {
		show_line_again();
		if ((c = tty_key()) >= 0)
			return c;
		sched_wait_round();
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

/* The editor's output. */
static void show(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i += SHOW_CHUNK)
		gprintf("%.*s", (int)MIN(n - i, (size_t)SHOW_CHUNK), s + i);
}

/* The i-th existing child's name. */
static const char *vm_name(unsigned i)
{
	for (u32 slot = 0; slot < CHILDREN_MAX; slot++) {
		const struct child *c = child_at(slot);

		if (c && !i--)
			return c->name;
	}
	return NULL;
}

/* Words that name a VM: `run NAME`, `expect NAME`, `vm SUB NAME...`. */
static bool names_a_vm(const char *first, unsigned word)
{
	if (!strcmp(first, "vm"))
		return word >= 2;
	return word == 1 && (!strcmp(first, "run") || !strcmp(first, "expect"));
}

/* Tab completion: the first word from the commands, a VM's name from
 * the existing VMs; nothing else completes. */
static const char *complete_name(void *ctx, const char *first, unsigned word, unsigned i)
{
	(void)ctx;
	if (word == 0)
		return shell_command_name(i);
	return names_a_vm(first, word) ? vm_name(i) : NULL;
}

void tty_readline(const char *prompt, char *buf, size_t len)
{
	static const struct line_edit_io io = { .out = show, .candidate = complete_name };
	enum line_edit_result r;

	if (!editor.io.out)
		line_edit_init(&editor, &io);
	line_edit_begin(&editor, prompt);
	editing = true;
	while ((r = line_edit_feed(&editor, (u8)tty_getc())) == LINE_EDIT_MORE)
		;
	editing = false;
	hv_strlcpy(buf, r == LINE_EDIT_DONE ? line_edit_text(&editor) : "", len);
}
