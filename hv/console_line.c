#include "hv/console_line.h"

static const char hex_digits[] = "0123456789abcdef";

void line_end(struct console_line *l, console_put_fn put)
{
	if (l->owner != LINE_EMPTY)
		put('\n');
	l->owner = LINE_EMPTY;
}

void line_put_hv(struct console_line *l, const char *s, size_t n, console_put_fn put)
{
	if (!n)
		return;
	if (l->owner == LINE_GUEST)
		line_end(l, put);
	for (size_t i = 0; i < n; i++)
		put(s[i]);
	l->owner = s[n - 1] == '\n' ? LINE_EMPTY : LINE_HV;
}

/* Printable ASCII and tab; a backslash is escaped too, so every "\x" in a
 * guest's line is one the hypervisor wrote. */
bool guest_byte_plain(u8 c)
{
	return (c >= 0x20 && c < 0x7f && c != '\\') || c == '\t';
}

static void put_escaped(u8 c, console_put_fn put)
{
	put('\\');
	put('x');
	put(hex_digits[c >> 4]);
	put(hex_digits[c & 0xf]);
}

/* Makes sure the current line is vm's, with its prefix written. */
static void claim_line(struct console_line *l, u32 vm, const char *name,
		       console_put_fn put)
{
	if (l->owner == LINE_GUEST && l->vm == vm)
		return;
	line_end(l, put);
	put('[');
	while (*name)
		put(*name++);
	put(']');
	put(' ');
	l->owner = LINE_GUEST;
	l->vm = vm;
}

void line_put_guest(struct console_line *l, u32 vm, const char *name,
		    const char *s, size_t n, console_put_fn put)
{
	for (size_t i = 0; i < n; i++) {
		u8 c = (u8)s[i];

		claim_line(l, vm, name, put);
		if (c == '\n') {
			put('\n');
			l->owner = LINE_EMPTY;
		} else if (guest_byte_plain(c)) {
			put((char)c);
		} else {
			put_escaped(c, put);
		}
	}
}
