/* hvctl's line editor (line_edit.h): keys decoded into edits of one
 * line, each edit shown by rewriting the line from the first column it
 * changed, the history of finished lines, and Tab completion. */
#include "guests/mgmt/line_edit.h"
#include "lib/string.h"

#define CTRL(key) ((key) & 0x1f)
#define ESC 0x1b
#define DEL 0x7f
#define PARAM_MAX 1000 /* ESC [ n ~ : larger n are all unknown */
#define FIRST_WORD_MAX 32

/* What a key asks for, once its bytes are decoded. */
enum key {
	KEY_UNKNOWN,
	KEY_UP,
	KEY_DOWN,
	KEY_LEFT,
	KEY_RIGHT,
	KEY_HOME,
	KEY_END,
	KEY_DELETE,
};

static void out(struct line_edit *le, const char *s, size_t n)
{
	if (n)
		le->io.out(le->io.ctx, s, n);
}

static void out_str(struct line_edit *le, const char *s)
{
	out(le, s, strlen(s));
}

static void out_number(struct line_edit *le, size_t v)
{
	char digits[24];
	size_t at = sizeof(digits);

	do {
		digits[--at] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out(le, digits + at, sizeof(digits) - at);
}

static void bell(struct line_edit *le)
{
	out(le, "\a", 1);
}

/* Moves the terminal's cursor n columns: ESC [ n C (right) or D (left),
 * one column left BS. */
static void move(struct line_edit *le, size_t n, char dir)
{
	if (!n)
		return;
	if (n == 1 && dir == 'D') {
		out(le, "\b", 1);
		return;
	}
	out_str(le, "\x1b[");
	out_number(le, n);
	out(le, &dir, 1);
}

/* The terminal's cursor is at column `from` of the line: shows the line
 * from there to its end, erases what a longer line left behind, and puts
 * the cursor back at le->cur. */
static void show_from(struct line_edit *le, size_t from, bool shorter)
{
	out(le, le->buf + from, le->len - from);
	if (shorter)
		out_str(le, "\x1b[K");
	move(le, le->len - le->cur, 'D');
}

static void cursor_to(struct line_edit *le, size_t pos)
{
	if (pos < le->cur)
		move(le, le->cur - pos, 'D');
	else
		move(le, pos - le->cur, 'C');
	le->cur = pos;
}

/* Inserts n bytes at the cursor; false (and nothing changed) when the
 * line would become too long. */
static bool insert(struct line_edit *le, const char *s, size_t n)
{
	size_t at = le->cur;

	if (le->len + n > LINE_EDIT_MAX)
		return false;
	if (!n)
		return true;
	memmove(le->buf + at + n, le->buf + at, le->len - at + 1);
	memcpy(le->buf + at, s, n);
	le->len += n;
	le->cur += n;
	show_from(le, at, false);
	return true;
}

/* Erases the character at `at`, where the terminal's cursor is. */
static void erase_at(struct line_edit *le, size_t at)
{
	memmove(le->buf + at, le->buf + at + 1, le->len - at);
	le->len--;
	le->cur = at;
	show_from(le, at, true);
}

/* Makes `text` the line, the cursor at its end. */
static void replace(struct line_edit *le, const char *text)
{
	size_t old = le->len;

	cursor_to(le, 0);
	le->len = le->cur = strlen(text);
	memmove(le->buf, text, le->len + 1);
	show_from(le, 0, le->len < old);
}

static void clear(struct line_edit *le)
{
	le->len = le->cur = 0;
	le->buf[0] = '\0';
}

/* ---- history ----------------------------------------------------------- */

/* The nth newest line kept (1 the newest). */
static const char *history_entry(const struct line_edit *le, unsigned n)
{
	return le->history[(le->next + LINE_EDIT_HISTORY - n) % LINE_EDIT_HISTORY];
}

static void history_keep(struct line_edit *le)
{
	if (!le->len || (le->kept && !strcmp(history_entry(le, 1), le->buf)))
		return;
	memcpy(le->history[le->next], le->buf, le->len + 1);
	le->next = (le->next + 1) % LINE_EDIT_HISTORY;
	if (le->kept < LINE_EDIT_HISTORY)
		le->kept++;
}

/* Up (older) or Down (newer); below the newest is the draft. */
static void history_step(struct line_edit *le, bool older)
{
	if (older ? le->back == le->kept : le->back == 0) {
		bell(le);
		return;
	}
	if (le->back == 0)
		memcpy(le->draft, le->buf, le->len + 1);
	le->back += older ? 1 : -1;
	replace(le, le->back ? history_entry(le, le->back) : le->draft);
}

/* ---- completion -------------------------------------------------------- */

/* Where the word before the cursor starts. */
static size_t word_start(const struct line_edit *le)
{
	size_t s = le->cur;

	while (s && le->buf[s - 1] != ' ')
		s--;
	return s;
}

/* How many words start before `end`. */
static unsigned words_before(const char *buf, size_t end)
{
	unsigned n = 0;

	for (size_t i = 0; i < end; i++)
		if (buf[i] != ' ' && (i == 0 || buf[i - 1] == ' '))
			n++;
	return n;
}

static void first_word(const struct line_edit *le, char *w, size_t size)
{
	const char *p = le->buf;
	size_t n = 0;

	while (*p == ' ')
		p++;
	for (; p[n] && p[n] != ' ' && n + 1 < size; n++)
		w[n] = p[n];
	w[n] = '\0';
}

/* How far a and b agree, within their first n characters. */
static size_t agree(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (i < n && a[i] && a[i] == b[i])
		i++;
	return i;
}

/* The candidates for one word, and those starting with a prefix. */
struct completion {
	char first[FIRST_WORD_MAX];
	unsigned word;
	const char *prefix;
	size_t prefix_len;
};

/* The i-th candidate starting with the prefix, counting from *i. */
static const char *next_match(struct line_edit *le, const struct completion *cp, unsigned *i)
{
	const char *name;

	if (!le->io.candidate)
		return NULL;
	while ((name = le->io.candidate(le->io.ctx, cp->first, cp->word, (*i)++)))
		if (!strncmp(name, cp->prefix, cp->prefix_len))
			return name;
	return NULL;
}

/* Several matches: listed on their own line, the line shown below. */
static void list_matches(struct line_edit *le, const struct completion *cp)
{
	const char *name;
	unsigned i = 0, n = 0;

	out_str(le, "\n");
	while ((name = next_match(le, cp, &i))) {
		if (n++)
			out_str(le, "  ");
		out_str(le, name);
	}
	out_str(le, "\n");
	line_edit_redraw(le);
}

static void complete(struct line_edit *le)
{
	size_t start = word_start(le);
	struct completion cp = { .word = words_before(le->buf, start),
				 .prefix = le->buf + start, .prefix_len = le->cur - start };
	const char *name, *match = NULL;
	unsigned i = 0, matches = 0;
	size_t common = 0;

	first_word(le, cp.first, sizeof(cp.first));
	while ((name = next_match(le, &cp, &i))) {
		if (!matches++) {
			match = name;
			common = strlen(name);
		} else {
			common = agree(match, name, common);
		}
	}
	if (!matches || !insert(le, match + cp.prefix_len, common - cp.prefix_len)) {
		bell(le);
	} else if (matches == 1) {
		if (le->buf[le->cur] != ' ' && !insert(le, " ", 1))
			bell(le);
	} else {
		cp.prefix = match;
		cp.prefix_len = common;
		list_matches(le, &cp);
	}
}

/* ---- keys -------------------------------------------------------------- */

static void backspace(struct line_edit *le)
{
	if (!le->cur) {
		bell(le);
		return;
	}
	move(le, 1, 'D');
	erase_at(le, le->cur - 1);
}

static void apply(struct line_edit *le, enum key k)
{
	if (k == KEY_UP || k == KEY_DOWN)
		history_step(le, k == KEY_UP);
	else if (k == KEY_LEFT && le->cur)
		cursor_to(le, le->cur - 1);
	else if (k == KEY_RIGHT && le->cur < le->len)
		cursor_to(le, le->cur + 1);
	else if (k == KEY_HOME)
		cursor_to(le, 0);
	else if (k == KEY_END)
		cursor_to(le, le->len);
	else if (k == KEY_DELETE && le->cur < le->len)
		erase_at(le, le->cur);
	else
		bell(le);
}

/* The final byte of ESC [ ... or ESC O ...; n the number, 0 without. */
static enum key sequence_key(u8 final, u32 n)
{
	static const struct {
		u8 final;
		enum key key;
	} letters[] = {
		{ 'A', KEY_UP }, { 'B', KEY_DOWN }, { 'C', KEY_RIGHT },
		{ 'D', KEY_LEFT }, { 'H', KEY_HOME }, { 'F', KEY_END },
	};

	if (final == '~') {
		if (n == 1 || n == 7)
			return KEY_HOME;
		if (n == 4 || n == 8)
			return KEY_END;
		return n == 3 ? KEY_DELETE : KEY_UNKNOWN;
	}
	for (size_t i = 0; i < ARRAY_SIZE(letters) && n <= 1; i++)
		if (letters[i].final == final)
			return letters[i].key;
	return KEY_UNKNOWN;
}

/* A line that grew too long is refused at once, with what follows up to
 * Enter. */
static void refuse(struct line_edit *le)
{
	cursor_to(le, le->len);
	out_str(le, "\nline too long (max ");
	out_number(le, LINE_EDIT_MAX);
	out_str(le, " characters)\n");
	le->refused = true;
	clear(le);
}

static enum line_edit_result line_end(struct line_edit *le)
{
	cursor_to(le, le->len);
	out_str(le, "\n");
	if (le->refused)
		return LINE_EDIT_ABANDONED; /* its kept part was cleared */
	history_keep(le);
	return LINE_EDIT_DONE;
}

static enum line_edit_result abandon(struct line_edit *le)
{
	cursor_to(le, le->len);
	out_str(le, "^C\n");
	clear(le);
	return LINE_EDIT_ABANDONED;
}

static void printable(struct line_edit *le, u8 c)
{
	char ch = (char)c;

	if (le->refused)
		out(le, &ch, 1);
	else if (!insert(le, &ch, 1))
		refuse(le);
}

/* Keys that edit; a refused line takes none of them. */
static void edit_key(struct line_edit *le, u8 c)
{
	if (le->refused)
		return;
	if (c == '\b' || c == DEL)
		backspace(le);
	else if (c == CTRL('U'))
		replace(le, "");
	else if (c == '\t')
		complete(le);
	else if (c == CTRL('A'))
		apply(le, KEY_HOME);
	else if (c == CTRL('E'))
		apply(le, KEY_END);
	else
		bell(le); /* another control key, or a byte >= 0x80 */
}

/* One byte outside an escape sequence. */
static enum line_edit_result plain_byte(struct line_edit *le, u8 c)
{
	bool after_cr = le->after_cr;

	le->after_cr = c == '\r';
	if (c == '\n' && after_cr)
		return LINE_EDIT_MORE; /* the LF of CR LF */
	if (c == '\r' || c == '\n')
		return line_end(le);
	if (c == CTRL('C'))
		return abandon(le);
	if (c == ESC)
		le->escape = LINE_ESC_START;
	else if (c >= ' ' && c < DEL)
		printable(le, c);
	else
		edit_key(le, c);
	return LINE_EDIT_MORE;
}

/* One byte inside an escape sequence. */
static void escape_byte(struct line_edit *le, u8 c)
{
	enum line_edit_escape at = le->escape;

	le->escape = LINE_ESC_NONE;
	if (at == LINE_ESC_START && (c == '[' || c == 'O')) {
		le->escape = c == '[' ? LINE_ESC_CSI : LINE_ESC_SS3;
		le->param = 0;
	} else if (at == LINE_ESC_CSI && c >= '0' && c <= '9') {
		le->escape = LINE_ESC_CSI;
		le->param = le->param < PARAM_MAX ? le->param * 10 + (u32)(c - '0') : PARAM_MAX;
	} else if (at == LINE_ESC_CSI && c >= 0x20 && c <= 0x3f) {
		le->escape = LINE_ESC_CSI; /* ';' and other parameters: unknown */
		le->param = PARAM_MAX;
	} else if (le->refused) {
		return;
	} else if (at != LINE_ESC_START && c >= 0x40 && c <= 0x7e) {
		apply(le, sequence_key(c, at == LINE_ESC_CSI ? le->param : 0));
	} else {
		bell(le); /* ESC and a key (Alt-key), or a sequence cut short */
	}
}

/* Bytes that can be inside a sequence; any other one ends it. */
static bool sequence_byte(u8 c)
{
	return c >= 0x20 && c <= 0x7e;
}

enum line_edit_result line_edit_feed(struct line_edit *le, u8 byte)
{
	if (le->escape == LINE_ESC_NONE)
		return plain_byte(le, byte);
	if (sequence_byte(byte)) {
		escape_byte(le, byte);
		return LINE_EDIT_MORE;
	}
	le->escape = LINE_ESC_NONE;
	if (!le->refused)
		bell(le); /* a sequence cut short by a control key: the key counts */
	return plain_byte(le, byte);
}

void line_edit_init(struct line_edit *le, const struct line_edit_io *io)
{
	memset(le, 0, sizeof(*le));
	le->io = *io;
}

void line_edit_begin(struct line_edit *le, const char *prompt)
{
	le->prompt = prompt;
	le->escape = LINE_ESC_NONE;
	le->refused = false;
	le->back = 0;
	clear(le);
	out_str(le, prompt);
}

const char *line_edit_text(const struct line_edit *le)
{
	return le->buf;
}

void line_edit_redraw(struct line_edit *le)
{
	if (le->refused)
		return;
	out_str(le, "\r");
	out_str(le, le->prompt);
	show_from(le, 0, true);
}
