/* Unit tests for guests/mgmt/line_edit.c, hvctl's line editor. Its output
 * goes into a one-row terminal model that knows only what the editor may
 * send (printable bytes, '\n', CR, BS, BEL, ESC [ K, ESC [ n C, ESC [ n D)
 * and fails on anything else; after each key the row must show the
 * prompt and the line, with the cursor where the editor says it is. */
#include "check.h"
#include "../../guests/mgmt/line_edit.c"

#define PROMPT "hv> "
#define ROW_MAX 2048

/* The terminal: the row being written, the rows finished before it. */
static struct term {
	char row[ROW_MAX + 1];
	size_t col, width;
	char done[8192];    /* finished rows, each ending in '\n' */
	unsigned bells;
	int bad;            /* a byte the editor must not send */
	char seq[16];       /* an escape sequence being received */
	size_t seq_len;
} t;

static void term_finish_row(void)
{
	size_t used = strlen(t.done);

	if (used + t.width + 2 < sizeof(t.done)) {
		memcpy(t.done + used, t.row, t.width);
		t.done[used + t.width] = '\n';
		t.done[used + t.width + 1] = '\0';
	}
	t.col = t.width = 0;
}

static void term_sequence(char final)
{
	size_t n = (size_t)atoi(t.seq + 2);

	if (final == 'K' && t.seq_len == 2)
		t.width = t.col;
	else if (final == 'C' && n > 0 && t.col + n <= t.width)
		t.col += n;
	else if (final == 'D' && n > 0 && n <= t.col)
		t.col -= n;
	else
		t.bad = 1;
	t.seq_len = 0;
}

static void term_byte(char c)
{
	if (t.seq_len) {
		if (t.seq_len == 1 && c != '[')
			t.bad = 1;
		if (t.seq_len >= 2 && (c < '0' || c > '9'))
			term_sequence(c);
		else if (t.seq_len < sizeof(t.seq) - 1)
			t.seq[t.seq_len++] = c;
		return;
	}
	if (c == '\x1b') {
		t.seq[0] = c;
		t.seq_len = 1;
	} else if (c == '\n') {
		term_finish_row();
	} else if (c == '\r') {
		t.col = 0;
	} else if (c == '\b') {
		t.col -= t.col ? 1 : 0;
	} else if (c == '\a') {
		t.bells++;
	} else if (c >= ' ' && c < 0x7f && t.col < ROW_MAX) {
		t.row[t.col++] = c;
		if (t.col > t.width)
			t.width = t.col;
	} else {
		t.bad = 1;
	}
}

/* What the row shows. */
static const char *row(void)
{
	t.row[t.width] = '\0';
	return t.row;
}

static void term_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	while (n--)
		term_byte(*s++);
}

/* The words that may complete: commands first, VM names after them,
 * nothing for word 1 of "vm" (its subcommands). */
static const char *const commands[] = { "help", "run", "runpage", "expect", "exit", "vm", NULL };
static const char *const vms[] = { "alpha", "beta", "bravo", NULL };
static char last_first[64];
static unsigned last_word;

static const char *candidate(void *ctx, const char *first, unsigned word, unsigned i)
{
	(void)ctx;
	snprintf(last_first, sizeof(last_first), "%s", first);
	last_word = word;
	if (word == 0)
		return commands[i];
	if (word == 1 && !strcmp(first, "vm"))
		return NULL;
	return vms[i];
}

static struct line_edit le;

static void setup_with(const char *(*cand)(void *, const char *, unsigned, unsigned))
{
	struct line_edit_io io = { .out = term_out, .candidate = cand };

	memset(&t, 0, sizeof(t));
	line_edit_init(&le, &io);
	line_edit_begin(&le, PROMPT);
}

static void setup(void)
{
	setup_with(candidate);
}

/* The row shows the prompt and the line, the cursor at the editor's. */
static int row_matches(void)
{
	char want[ROW_MAX + 16];

	snprintf(want, sizeof(want), "%s%s", PROMPT, le.buf);
	return !t.bad && t.width == strlen(want) && !memcmp(t.row, want, t.width) &&
	       t.col == strlen(PROMPT) + le.cur;
}

/* Feeds bytes; returns the last result, checking the row after each
 * byte that leaves the line open. */
static enum line_edit_result feed_n(const char *s, size_t n)
{
	enum line_edit_result r = LINE_EDIT_MORE;

	for (size_t i = 0; i < n; i++) {
		r = line_edit_feed(&le, (u8)s[i]);
		if (r == LINE_EDIT_MORE && !le.refused)
			CHECK(row_matches());
	}
	return r;
}

#define FEED(s) feed_n(s, sizeof(s) - 1)

/* The line and the cursor are as wanted, and the row shows them. */
#define CHECK_LINE(text, at)              \
	do {                              \
		CHECK_STR(le.buf, text);  \
		CHECK_EQ(le.cur, at);     \
		CHECK(row_matches());     \
	} while (0)

/* A line typed and ended with Enter; the next prompt shown. */
static void enter_line(const char *s)
{
	feed_n(s, strlen(s));
	CHECK_EQ(FEED("\r"), LINE_EDIT_DONE);
	line_edit_begin(&le, PROMPT);
}

#define LEFT "\x1b[D"
#define RIGHT "\x1b[C"
#define UP "\x1b[A"
#define DOWN "\x1b[B"

TEST(typed_keys_are_echoed_and_enter_ends_the_line)
{
	setup();
	CHECK_EQ(FEED("vm list"), LINE_EDIT_MORE);
	CHECK_STR(row(), PROMPT "vm list");
	CHECK_EQ(FEED("\r"), LINE_EDIT_DONE);
	CHECK_STR(line_edit_text(&le), "vm list");
	CHECK_STR(t.done, PROMPT "vm list\n");
	CHECK_EQ(t.bells, 0);
}

TEST(cr_lf_is_one_enter_and_lf_alone_is_one)
{
	setup();
	FEED("a");
	CHECK_EQ(FEED("\r"), LINE_EDIT_DONE);
	line_edit_begin(&le, PROMPT);
	CHECK_EQ(FEED("\n"), LINE_EDIT_MORE); /* the LF of CR LF */
	FEED("b");
	CHECK_EQ(FEED("\n"), LINE_EDIT_DONE);
	CHECK_STR(line_edit_text(&le), "b");
	line_edit_begin(&le, PROMPT);
	CHECK_EQ(FEED("\n"), LINE_EDIT_DONE); /* a second LF is a new Enter */
	CHECK_STR(line_edit_text(&le), "");
}

TEST(backspace_del_and_ctrl_h_erase_before_the_cursor)
{
	setup();
	FEED("abcd\b");
	CHECK_STR(le.buf, "abc");
	FEED("\x7f");
	CHECK_STR(le.buf, "ab");
	FEED("\x08");
	CHECK_STR(le.buf, "a");
	FEED(LEFT "\x7f");
	CHECK_STR(le.buf, "a");
	CHECK_EQ(t.bells, 1); /* nothing before the cursor */
}

TEST(backspace_in_the_middle_closes_the_gap)
{
	setup();
	FEED("vm lisst" LEFT LEFT "\x7f");
	CHECK_LINE("vm list", 5);
}

TEST(delete_key_erases_under_the_cursor)
{
	setup();
	FEED("abXc" LEFT LEFT "\x1b[3~");
	CHECK_LINE("abc", 2);
	FEED("\x1b[F\x1b[3~");
	CHECK_EQ(t.bells, 1); /* nothing under the cursor at the end */
}

TEST(insertion_in_the_middle)
{
	setup();
	FEED("vm creat x" LEFT LEFT "e");
	CHECK_LINE("vm create x", 9);
	FEED("\x1b[H> ");
	CHECK_STR(le.buf, "> vm create x");
	CHECK(row_matches());
}

TEST(left_and_right_stop_at_the_ends)
{
	setup();
	FEED("ab" RIGHT);
	CHECK_EQ(t.bells, 1);
	FEED(LEFT LEFT);
	CHECK_EQ(le.cur, 0);
	FEED(LEFT);
	CHECK_EQ(t.bells, 2);
	FEED("\x1bOC");
	CHECK_EQ(le.cur, 1);
	FEED("\x1bOD");
	CHECK_EQ(le.cur, 0);
}

TEST(every_home_and_end_key)
{
	static const char *const homes[] = { "\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~", "\x01" };
	static const char *const ends[] = { "\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~", "\x05" };

	setup();
	FEED("hello");
	for (size_t i = 0; i < ARRAY_SIZE(homes); i++) {
		feed_n(homes[i], strlen(homes[i]));
		CHECK_EQ(le.cur, 0);
		feed_n(ends[i], strlen(ends[i]));
		CHECK_EQ(le.cur, 5);
	}
	CHECK_EQ(t.bells, 0);
}

TEST(ctrl_u_erases_the_whole_line)
{
	setup();
	FEED("vm destroy all" LEFT LEFT "\x15");
	CHECK_LINE("", 0);
	CHECK_STR(row(), PROMPT);
	FEED("ok");
	CHECK_EQ(FEED("\r"), LINE_EDIT_DONE);
	CHECK_STR(line_edit_text(&le), "ok");
}

TEST(ctrl_c_abandons_the_line_and_keeps_it_out_of_history)
{
	setup();
	FEED("exit 3" LEFT LEFT);
	CHECK_EQ(FEED("\x03"), LINE_EDIT_ABANDONED);
	CHECK_STR(line_edit_text(&le), "");
	CHECK_STR(t.done, PROMPT "exit 3^C\n");
	line_edit_begin(&le, PROMPT);
	FEED(UP);
	CHECK_EQ(t.bells, 1);
	CHECK_STR(le.buf, "");
}

TEST(history_goes_back_and_forth_and_returns_to_the_draft)
{
	setup();
	enter_line("one");
	enter_line("two");
	enter_line("three");
	FEED("dra");
	FEED(UP);
	CHECK_STR(le.buf, "three");
	FEED(UP UP);
	CHECK_STR(le.buf, "one");
	FEED(UP);
	CHECK_EQ(t.bells, 1); /* nothing older */
	FEED(DOWN);
	CHECK_STR(le.buf, "two");
	FEED("\x1bOB");
	CHECK_STR(le.buf, "three");
	FEED(DOWN);
	CHECK_STR(le.buf, "dra");
	FEED(DOWN);
	CHECK_EQ(t.bells, 2); /* nothing newer than the draft */
	FEED("\x1bOA");
	CHECK_STR(le.buf, "three");
	CHECK(row_matches());
}

TEST(history_keeps_no_empty_line_and_no_repeat_of_the_last)
{
	setup();
	enter_line("stats");
	enter_line("stats");
	enter_line("");
	enter_line("info");
	enter_line("stats");
	CHECK_EQ(le.kept, 3);
	FEED(UP UP UP);
	CHECK_STR(le.buf, "stats");
	FEED(UP);
	CHECK_EQ(t.bells, 1);
}

TEST(history_keeps_the_last_lines_only)
{
	char line[16];

	setup();
	for (int i = 0; i < LINE_EDIT_HISTORY + 4; i++) {
		snprintf(line, sizeof(line), "cmd %d", i);
		enter_line(line);
	}
	CHECK_EQ(le.kept, LINE_EDIT_HISTORY);
	for (int i = 0; i < LINE_EDIT_HISTORY; i++)
		FEED(UP);
	CHECK_STR(le.buf, "cmd 4");
	FEED(UP);
	CHECK_EQ(t.bells, 1);
}

TEST(editing_a_recalled_line_leaves_the_history_alone)
{
	setup();
	enter_line("vm create a hello");
	FEED(UP LEFT LEFT LEFT LEFT LEFT LEFT "b");
	CHECK_STR(le.buf, "vm create ab hello");
	CHECK_EQ(FEED("\r"), LINE_EDIT_DONE);
	CHECK_STR(line_edit_text(&le), "vm create ab hello");
	line_edit_begin(&le, PROMPT);
	FEED(UP UP);
	CHECK_STR(le.buf, "vm create a hello");
}

TEST(a_shorter_recalled_line_erases_the_longer_one)
{
	setup();
	enter_line("x");
	FEED("a much longer line" UP);
	CHECK_STR(row(), PROMPT "x");
	CHECK(row_matches());
}

TEST(tab_with_one_match_completes_and_adds_a_space)
{
	setup();
	FEED("he\t");
	CHECK_STR(le.buf, "help ");
	CHECK_EQ(last_word, 0);
	FEED("\x15" "vm run a\t");
	CHECK_STR(le.buf, "vm run alpha ");
	CHECK_EQ(last_word, 2);
	CHECK_STR(last_first, "vm");
	CHECK_EQ(t.bells, 0);
}

TEST(tab_in_the_middle_completes_the_word_before_the_cursor)
{
	setup();
	FEED("exp a" LEFT LEFT "\t");
	CHECK_LINE("expect a", 6); /* the space there already follows */
	FEED("\x1b[F\t");
	CHECK_STR(le.buf, "expect alpha ");
	FEED("\x1b[H" "xx\t"); /* "xxexpect": no command starts so */
	CHECK_EQ(t.bells, 1);
}

TEST(tab_with_several_matches_lists_them_and_redraws)
{
	setup();
	FEED("ru\t");
	CHECK_STR(le.buf, "run"); /* as far as run and runpage agree */
	CHECK_STR(t.done, PROMPT "run\nrun  runpage\n");
	CHECK(row_matches());
	FEED(" b\t");
	CHECK_STR(le.buf, "run b");
	CHECK_STR(t.done, PROMPT "run\nrun  runpage\n" PROMPT "run b\nbeta  bravo\n");
	FEED(LEFT "\t"); /* the cursor stays where it was */
	CHECK_EQ(le.cur, 4);
	CHECK(row_matches());
	CHECK_EQ(t.bells, 0);
}

TEST(tab_without_a_match_or_without_completion_rings)
{
	setup();
	FEED("zz\t");
	CHECK_STR(le.buf, "zz");
	CHECK_EQ(t.bells, 1);
	FEED("\x15" "vm \t"); /* vm's subcommand: nothing completes */
	CHECK_STR(le.buf, "vm ");
	CHECK_EQ(t.bells, 2);
	setup_with(NULL);
	FEED("he\t");
	CHECK_STR(le.buf, "he");
	CHECK_EQ(t.bells, 1);
	CHECK(!strchr(le.buf, '\t'));
}

TEST(a_line_of_the_maximum_length_is_taken)
{
	char line[LINE_EDIT_MAX + 1];

	setup();
	memset(line, 'a', LINE_EDIT_MAX);
	line[LINE_EDIT_MAX] = '\0';
	feed_n(line, LINE_EDIT_MAX);
	CHECK_EQ(FEED("\r"), LINE_EDIT_DONE);
	CHECK_STR(line_edit_text(&le), line);
}

TEST(a_line_too_long_is_refused_whole_not_cut)
{
	char line[LINE_EDIT_MAX + 8];

	setup();
	memset(line, 'a', sizeof(line));
	feed_n(line, LINE_EDIT_MAX);
	FEED("b");
	CHECK(strstr(t.done, "\nline too long (max 511 characters)\n"));
	CHECK_STR(le.buf, "");
	line_edit_redraw(&le); /* a refused line shows nothing */
	FEED("; exit\x1b[A\x7f\t");
	CHECK_STR(row(), "; exit"); /* shown, not kept, no key edits */
	CHECK_EQ(FEED("\r"), LINE_EDIT_ABANDONED);
	CHECK_STR(line_edit_text(&le), "");
	CHECK_EQ(le.kept, 0);
	CHECK(!t.bad);
	line_edit_begin(&le, PROMPT);
	FEED("ok");
	CHECK_EQ(FEED("\r"), LINE_EDIT_DONE);
	CHECK_STR(line_edit_text(&le), "ok");
}

TEST(a_refused_line_ends_with_ctrl_c_too)
{
	char line[LINE_EDIT_MAX + 1];

	setup();
	memset(line, 'a', sizeof(line));
	feed_n(line, sizeof(line));
	CHECK_EQ(FEED("\x03"), LINE_EDIT_ABANDONED);
	line_edit_begin(&le, PROMPT);
	FEED("x");
	CHECK(row_matches());
}

TEST(a_completion_that_would_not_fit_rings)
{
	char line[LINE_EDIT_MAX];

	setup();
	memset(line, ' ', sizeof(line));
	feed_n(line, LINE_EDIT_MAX - 3);
	FEED("he\t");
	CHECK_EQ(le.len, LINE_EDIT_MAX - 1);
	CHECK_EQ(t.bells, 1);
	CHECK(!le.refused);
}

TEST(escape_sequences_fed_in_pieces)
{
	setup();
	FEED("abc");
	FEED("\x1b");
	CHECK_STR(le.buf, "abc");
	FEED("[");
	FEED("D");
	CHECK_EQ(le.cur, 2);
	FEED("\x1b[");
	FEED("3");
	CHECK_EQ(le.escape, LINE_ESC_CSI);
	FEED("~");
	CHECK_STR(le.buf, "ab");
	CHECK_EQ(t.bells, 0);
}

TEST(unknown_escape_sequences_ring_and_change_nothing)
{
	static const char *const unknown[] = {
		"\x1b[Z", "\x1b[5~", "\x1b[2~", "\x1b[1;5C", "\x1b[99999~", "\x1bOP", "\x1bx",
		"\x1b[2A",
	};

	setup();
	FEED("ab" LEFT);
	for (size_t i = 0; i < ARRAY_SIZE(unknown); i++)
		feed_n(unknown[i], strlen(unknown[i]));
	CHECK_LINE("ab", 1);
	CHECK_EQ(t.bells, ARRAY_SIZE(unknown));
	CHECK_EQ(le.escape, LINE_ESC_NONE);
}

TEST(a_sequence_cut_short_by_a_control_key_rings_and_the_key_counts)
{
	setup();
	FEED("ab\x1b[\x01");
	CHECK_EQ(le.cur, 0);
	CHECK_EQ(t.bells, 1);
	CHECK_EQ(FEED("\x1b\r"), LINE_EDIT_DONE);
	CHECK_EQ(t.bells, 2);
	CHECK_STR(line_edit_text(&le), "ab");
}

TEST(non_ascii_bytes_ring_and_are_not_taken)
{
	setup();
	FEED("caf\xc3\xa9");
	CHECK_STR(le.buf, "caf");
	CHECK_EQ(t.bells, 2);
	FEED("\x80\xff\x02\x00");
	CHECK_EQ(t.bells, 6);
	CHECK_STR(le.buf, "caf");
}

TEST(redraw_after_a_broken_line_keeps_the_cursor)
{
	setup();
	FEED("vm list" LEFT LEFT);
	term_out(NULL, "\n[a] tick 1\n", 12); /* a child's line */
	line_edit_redraw(&le);
	CHECK(row_matches());
	CHECK_EQ(t.col, strlen(PROMPT) + 5);
}

RUN_TESTS("line_edit", T(typed_keys_are_echoed_and_enter_ends_the_line),
	  T(cr_lf_is_one_enter_and_lf_alone_is_one),
	  T(backspace_del_and_ctrl_h_erase_before_the_cursor),
	  T(backspace_in_the_middle_closes_the_gap),
	  T(delete_key_erases_under_the_cursor),
	  T(insertion_in_the_middle),
	  T(left_and_right_stop_at_the_ends),
	  T(every_home_and_end_key),
	  T(ctrl_u_erases_the_whole_line),
	  T(ctrl_c_abandons_the_line_and_keeps_it_out_of_history),
	  T(history_goes_back_and_forth_and_returns_to_the_draft),
	  T(history_keeps_no_empty_line_and_no_repeat_of_the_last),
	  T(history_keeps_the_last_lines_only),
	  T(editing_a_recalled_line_leaves_the_history_alone),
	  T(a_shorter_recalled_line_erases_the_longer_one),
	  T(tab_with_one_match_completes_and_adds_a_space),
	  T(tab_in_the_middle_completes_the_word_before_the_cursor),
	  T(tab_with_several_matches_lists_them_and_redraws),
	  T(tab_without_a_match_or_without_completion_rings),
	  T(a_line_of_the_maximum_length_is_taken),
	  T(a_line_too_long_is_refused_whole_not_cut),
	  T(a_refused_line_ends_with_ctrl_c_too),
	  T(a_completion_that_would_not_fit_rings),
	  T(escape_sequences_fed_in_pieces),
	  T(unknown_escape_sequences_ring_and_change_nothing),
	  T(a_sequence_cut_short_by_a_control_key_rings_and_the_key_counts),
	  T(non_ascii_bytes_ring_and_are_not_taken),
	  T(redraw_after_a_broken_line_keeps_the_cursor))
