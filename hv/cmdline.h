/* Command-line parsing: `key=value` words separated by spaces; values may
 * be double-quoted to hold spaces (`mgmt.script="a; b"`); a word without
 * `=` is a flag with an empty value. A leading word that looks like the
 * image path GRUB puts first (starts with '/' or '(') is skipped. Pure;
 * unit-tested. */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include "lib/types.h"

#define CMDLINE_MAX_ARGS 32
#define CMDLINE_BUF 1024

struct cmdline_arg {
	const char *key;   /* points into cmdline.buf */
	const char *value; /* "" for flags */
	bool used;          /* set by cmdline_get when a known key reads it */
};

struct cmdline {
	char buf[CMDLINE_BUF];
	u32 count;
	struct cmdline_arg args[CMDLINE_MAX_ARGS];
	u32 dropped;      /* words not stored: beyond CMDLINE_MAX_ARGS, or
	                   * malformed with an empty key ("=x") */
	bool truncated;   /* the input was longer than buf */
	bool bad_quote;   /* an opening quote was never closed */
};

/* Parses `s` into `cl`. Never fails: problems are recorded in the flags
 * above for the caller to warn about. */
void cmdline_parse(struct cmdline *cl, const char *s);

/* The value of the LAST occurrence of `key`, or NULL when absent. Marks
 * every occurrence of the key as used. */
const char *cmdline_get(struct cmdline *cl, const char *key);

/* Parses an unsigned number with optional 0x prefix and K/M/G suffix
 * (powers of 1024). Returns false on garbage or overflow. */
bool cmdline_parse_u64(const char *s, u64 *out);

/* Parses "1/0/yes/no/on/off/true/false"; returns false on other input. */
bool cmdline_parse_bool(const char *s, bool *out);

/* Calls warn(key, ctx) for each argument whose key is not in
 * known[0..nknown). */
void cmdline_check_known(const struct cmdline *cl, const char *const *known,
			 u32 nknown, void (*warn)(const char *key, void *ctx),
			 void *ctx);

#endif
