/* Trace lines and field lists (the text lib/abi_text.c writes) parsed
 * back into struct bytes. Numbers are decimal, 0x hex or decimal with a
 * K/M/G/T/P/E suffix (powers of 1024); strings are quoted with \" \\ \n
 * \t \r \xNN (always two hex digits) escapes. docs/abi.md describes the
 * format.
 *
 * Each returns 0 or -1; err (may be NULL) says why. */
#ifndef TOOLS_ABI_PARSE_H
#define TOOLS_ABI_PARSE_H

#include "lib/abi_text.h"

/* Where parsing stopped and why. */
struct abi_parse_error {
	const char *what;	/* a constant message */
	u32 column;		/* 0-based, into the parsed text */
};

/* "field=value, ..." of struct s into bytes (cap >= s->size; the struct is
 * zeroed first). *len: the end of the furthest field given, extended over
 * reserved fields right behind it, so an old-size struct stays old-size. */
int abi_parse_fields(const struct abi_struct *s, const char *text,
		     void *bytes, u32 cap, u32 *len,
		     struct abi_parse_error *err);

/* A trace line, "name(field=value, ...)" with an optional " = ret" and
 * " (ENAME)". *s is NULL (and *len 0) for a call without a struct. */
int abi_parse_trace_line(const char *line, const struct abi_struct **s,
			 void *bytes, u32 cap, u32 *len);
int abi_parse_trace_line_why(const char *line, const struct abi_struct **s,
			     void *bytes, u32 cap, u32 *len,
			     struct abi_parse_error *err);

#endif
