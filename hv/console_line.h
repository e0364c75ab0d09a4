/* Who owns the console line being written, and how guest text is made
 * unmistakably a guest's. Guest text (CONSOLE_WRITE) is shown line by line
 * as "[<vm name>] <text>": every console line that holds guest text starts
 * with exactly one such prefix, and bytes a terminal would act on are
 * written as \xNN. A guest's unfinished line continues without a new prefix
 * on its next write only if nobody wrote to the console in between;
 * otherwise the open line is ended first, so neither the hypervisor nor
 * another guest ever continues someone else's line. Pure: the caller
 * supplies the byte sink, so host unit tests drive it directly. */
#ifndef HV_CONSOLE_LINE_H
#define HV_CONSOLE_LINE_H

#include "lib/types.h"

enum line_owner {
	LINE_EMPTY, /* at the start of a line */
	LINE_HV,    /* the hypervisor's own text, unfinished */
	LINE_GUEST, /* guest `vm`'s text, unfinished */
};

struct console_line {
	enum line_owner owner;
	u32 vm; /* with LINE_GUEST: the VM id (ids are never reused) */
};

typedef void (*console_put_fn)(char c);

/* The hypervisor's text, as is; ends an open guest line first. */
void line_put_hv(struct console_line *l, const char *s, size_t n, console_put_fn put);

/* Guest text from VM `vm` named `name`: prefixed and escaped. */
void line_put_guest(struct console_line *l, u32 vm, const char *name,
		    const char *s, size_t n, console_put_fn put);

/* Ends whatever line is open, so the next byte starts a line. */
void line_end(struct console_line *l, console_put_fn put);

/* True when the guest byte c is written as it is (else as \xNN). */
bool guest_byte_plain(u8 c);

#endif
