/* hvctl's line editor: a state machine fed one byte at a time, with no
 * hardware of its own. What it shows goes out through a callback; what
 * a name may complete to comes from another. One editor keeps its
 * history across the lines it reads.
 *
 * Keys:
 *   printable ASCII       inserted at the cursor
 *   Enter (CR, LF, CR LF) the line is done (LF right after CR is skipped)
 *   Backspace, ^H, DEL    erase the character before the cursor
 *   Delete (ESC [ 3 ~)    erase the character under the cursor
 *   Left/Right            ESC [ D / C (or ESC O D / C): move one character
 *   Home/End              ESC [ H / F, ESC O H / F, ESC [ 1 ~ / 4 ~,
 *                         ESC [ 7 ~ / 8 ~, Ctrl-A / Ctrl-E
 *   Up/Down               ESC [ A / B (or ESC O A / B): older / newer
 *                         history; below the newest is the line that was
 *                         being typed
 *   Ctrl-U                erase the whole line
 *   Ctrl-C                abandon the line ("^C")
 *   Tab                   complete the word before the cursor
 *
 * Deliberate choices:
 *   - Tab never enters the line. The word before the cursor is completed
 *     against the names the completion callback lists for its position:
 *     one match is completed (and a space follows it), several are
 *     completed as far as they agree and then listed on a line of their
 *     own with the line redrawn below; no match, or a position where no
 *     completion applies, rings the bell and changes nothing.
 *   - A byte of 0x80 or above (a byte of UTF-8 text) is refused with the
 *     bell, one per byte: hvctl's words are ASCII, and the cursor
 *     arithmetic counts one column per byte. Other control keys and
 *     escape sequences the editor does not know ring the bell too; an
 *     ESC followed by anything but '[' or 'O' is one such sequence (the
 *     byte after ESC is taken with it).
 *   - No silent truncation: a key that would make the line longer than
 *     LINE_EDIT_MAX characters refuses the whole line at once, with
 *     "line too long (max N characters)" on a line of its own. What
 *     follows up to Enter is shown but belongs to the refused line and
 *     is dropped with it (Ctrl-C ends it too): nothing of it runs, not
 *     even the rest of a pasted line.
 *   - The history keeps the last LINE_EDIT_HISTORY lines that were
 *     done, oldest first out; an empty line, or one equal to the line
 *     before it, is not kept. Editing a recalled line changes the copy
 *     being edited, never the history.
 *
 * Output uses only printable characters, '\n' (a new line: the sink
 * ends it as its console does), CR, BS, the bell (BEL) and the ANSI
 * sequences ESC [ K, ESC [ n C and ESC [ n D, so any ANSI serial
 * terminal shows it. The prompt and the line are assumed to fit on one
 * row of the terminal.
 */
#ifndef GUESTS_MGMT_LINE_EDIT_H
#define GUESTS_MGMT_LINE_EDIT_H

#include "lib/types.h"

#define LINE_EDIT_MAX 511     /* characters of a line, at most */
#define LINE_EDIT_HISTORY 16  /* lines the history keeps */

/* What one byte did to the line. */
enum line_edit_result {
	LINE_EDIT_MORE,      /* the line goes on */
	LINE_EDIT_DONE,      /* Enter: the line is in line_edit_text */
	LINE_EDIT_ABANDONED, /* Ctrl-C, or Enter ends a refused line */
};

struct line_edit_io {
	/* Shows n bytes at the terminal. */
	void (*out)(void *ctx, const char *s, size_t n);
	/* The i-th name that may stand as word `word` (0 the first) of a
	 * line whose first word is `first`, NULL after the last. NULL
	 * altogether: nothing completes. */
	const char *(*candidate)(void *ctx, const char *first, unsigned word, unsigned i);
	void *ctx;
};

/* Where the editor is inside an escape sequence. */
enum line_edit_escape {
	LINE_ESC_NONE,
	LINE_ESC_START, /* after ESC */
	LINE_ESC_CSI,   /* after ESC [ */
	LINE_ESC_SS3,   /* after ESC O */
};

struct line_edit {
	struct line_edit_io io;
	const char *prompt;
	char buf[LINE_EDIT_MAX + 1];
	size_t len, cur;            /* the line's length, the cursor */
	bool refused;               /* too long: dropped at Enter */
	enum line_edit_escape escape;
	u32 param;                  /* ESC [ n ~: n */
	bool after_cr;              /* the last byte was CR */
	char history[LINE_EDIT_HISTORY][LINE_EDIT_MAX + 1];
	unsigned kept;              /* lines in the history */
	unsigned next;              /* the slot the next line goes to */
	unsigned back;              /* 0: the line being typed; n: the nth newest */
	char draft[LINE_EDIT_MAX + 1]; /* the line being typed, while back > 0 */
};

/* An editor with an empty history. */
void line_edit_init(struct line_edit *le, const struct line_edit_io *io);
/* Starts a line: shows the prompt. */
void line_edit_begin(struct line_edit *le, const char *prompt);
/* Applies one byte from the terminal. */
enum line_edit_result line_edit_feed(struct line_edit *le, u8 byte);
/* The line, NUL-terminated (after LINE_EDIT_DONE: the finished one). */
const char *line_edit_text(const struct line_edit *le);
/* Shows the prompt and the line again, on the row the cursor is on
 * (after other output broke it), with the cursor where it was; a
 * refused line shows nothing. */
void line_edit_redraw(struct line_edit *le);

#endif
