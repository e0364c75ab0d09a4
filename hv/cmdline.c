/* Command-line parsing; the contract is in hv/cmdline.h.
 *
 * The input is copied into cl->buf and split there in place: quotes are
 * removed, and NULs end each key and value. Words are separated by
 * blanks (space, tab, and also CR/LF in case a loader leaves them). A
 * '"' anywhere in a word starts or ends a quoted stretch in which blanks
 * and '=' are ordinary characters, so key="a b; c" has the value
 * `a b; c`. The key ends at the first unquoted '='. */
#include "hv/cmdline.h"
#include "lib/string.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char *skip_blanks(char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/* Copies s into the zeroed cl->buf, cutting it to fit (the last byte
 * stays the terminator) and noting the cut. */
static void copy_input(struct cmdline *cl, const char *s)
{
	size_t n = s ? strnlen(s, CMDLINE_BUF - 1) : 0;

	cl->truncated = s && s[n];
	if (n)
		memcpy(cl->buf, s, n);
}

/* Splits the word at *pos in place into arg->key and arg->value (""
 * without '='), dropping its quotes, and advances *pos past the word.
 * The write cursor never passes the read cursor, so this is safe. An
 * unclosed quote takes the rest of the line and sets bad_quote. */
static void split_word(struct cmdline *cl, char **pos,
		       struct cmdline_arg *arg)
{
	char *r = *pos, *w = *pos;
	bool quoted = false;

	arg->key = w;
	arg->value = NULL;
	arg->used = false;
	for (; *r && (quoted || !is_blank(*r)); r++) {
		if (*r == '"') {
			quoted = !quoted;
		} else if (*r == '=' && !quoted && !arg->value) {
			*w++ = '\0';
			arg->value = w;
		} else {
			*w++ = *r;
		}
	}
	if (quoted)
		cl->bad_quote = true;
	if (*r)
		r++;	/* the blank that ended the word */
	*w = '\0';
	if (!arg->value)
		arg->value = w;
	*pos = r;
}

/* Keeps a parsed word. A word with an empty key ("=x", or a bare "")
 * names nothing a caller could ask for, so it is treated as malformed:
 * not stored, and counted in `dropped` like a word that did not fit, so
 * the caller's warning covers it instead of it vanishing silently. */
static void store_arg(struct cmdline *cl, const struct cmdline_arg *arg)
{
	if (!arg->key[0] || cl->count >= CMDLINE_MAX_ARGS) {
		cl->dropped++;
		return;
	}
	cl->args[cl->count++] = *arg;
}

/* GRUB passes the image path as the first word ("/boot/hv" or
 * "(hd0,msdos1)/boot/hv"); it is not an argument. */
static bool is_image_path(const char *word)
{
	return *word == '/' || *word == '(';
}

void cmdline_parse(struct cmdline *cl, const char *s)
{
	struct cmdline_arg arg;
	char *p;

	memset(cl, 0, sizeof(*cl));
	copy_input(cl, s);
	p = skip_blanks(cl->buf);
	if (is_image_path(p))
		split_word(cl, &p, &arg);	/* split like any word, not kept */
	while (*(p = skip_blanks(p))) {
		split_word(cl, &p, &arg);
		store_arg(cl, &arg);
	}
}

const char *cmdline_get(struct cmdline *cl, const char *key)
{
	const char *value = NULL;

	for (u32 i = 0; i < cl->count; i++) {
		if (strcmp(cl->args[i].key, key) == 0) {
			cl->args[i].used = true;
			value = cl->args[i].value;
		}
	}
	return value;
}

/* Reads one or more digits of `base` at *p into *out, advancing *p.
 * False when there is no digit or the value does not fit in 64 bits. */
static bool parse_digits(const char **p, unsigned base, u64 *out)
{
	const char *s = *p;
	u64 v = 0;
	int d;

	while ((d = hex_digit_value(*s)) >= 0 && (unsigned)d < base) {
		if (v > (UINT64_MAX - (u64)d) / base)
			return false;
		v = v * base + (u64)d;
		s++;
	}
	if (s == *p)
		return false;
	*p = s;
	*out = v;
	return true;
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The shift a K/M/G size suffix stands for, or 0 for any other byte. */
static unsigned suffix_shift(char c)
{
	static const char suffixes[] = { 'k', 'm', 'g' }; /* 2^10, 2^20, 2^30 */

	for (unsigned i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (to_lower(c) == suffixes[i])
			return 10 * (i + 1);
	return 0;
}

/* Accepts: decimal or 0x/0X hex digits, then at most one K/M/G suffix,
 * then the end of the string. Nothing else: no sign, no blanks. *out is
 * written only on success. */
bool cmdline_parse_u64(const char *s, u64 *out)
{
	unsigned base = 10, shift;
	u64 v;

	if (!s)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!parse_digits(&s, base, &v))
		return false;
	shift = suffix_shift(*s);
	if (shift) {
		if (v > (UINT64_MAX >> shift))
			return false;
		v <<= shift;
		s++;
	}
	if (*s)
		return false;
	*out = v;
	return true;
}

static bool equal_nocase(const char *a, const char *b)
{
	while (*a && to_lower(*a) == to_lower(*b)) {
		a++;
		b++;
	}
	return to_lower(*a) == to_lower(*b);
}

/* Case-insensitive. An empty string (a bare flag) is not a boolean:
 * callers that want "flag present means on" check for "" themselves.
 * *out is written only on success. */
bool cmdline_parse_bool(const char *s, bool *out)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "1", true },  { "yes", true },  { "on", true },   { "true", true },
		{ "0", false }, { "no", false },  { "off", false }, { "false", false },
	};

	for (size_t i = 0; s && i < ARRAY_SIZE(words); i++) {
		if (equal_nocase(s, words[i].word)) {
			*out = words[i].value;
			return true;
		}
	}
	return false;
}

static bool is_known(const char *key, const char *const *known, u32 nknown)
{
	for (u32 i = 0; i < nknown; i++)
		if (strcmp(key, known[i]) == 0)
			return true;
	return false;
}

/* Warns once per stored argument, so a repeated unknown key warns each
 * time it appears. */
void cmdline_check_known(const struct cmdline *cl, const char *const *known,
			 u32 nknown, void (*warn)(const char *key, void *ctx),
			 void *ctx)
{
	for (u32 i = 0; i < cl->count; i++)
		if (!is_known(cl->args[i].key, known, nknown))
			warn(cl->args[i].key, ctx);
}
