/* hv.cfg parsing (see config.h for the format). The file is untrusted
 * bytes: every character is checked before it joins a line, lines and
 * values are bounded, and any error names its line and what was
 * expected, since the user reads it on a firmware console. */
#include "boot/efi/config.h"
#include "lib/printf.h"
#include "lib/string.h"

/* The longest line must hold the longest value of each key. */
_Static_assert(EFI_CFG_LINE_MAX >= sizeof("cmdline=") - 1 + BOOT_CMDLINE_MAX - 1,
	       "a line holds the longest cmdline");
_Static_assert(EFI_CFG_LINE_MAX >= sizeof("module=\"\" ") - 1 + EFI_CFG_PATH_MAX - 1 +
	       BOOT_MODULE_STRING_MAX - 1, "a line holds the longest module line");

struct parse {
	const u8 *p;
	size_t len;
	size_t pos;	/* byte offset of the next character */
	unsigned width; /* bytes per character: 1, or 2 for UTF-16LE */
	struct efi_cfg *out;
	char *err;
	size_t errlen;
	u32 line; /* 1-based; 0 while looking at the whole file */
	char buf[EFI_CFG_LINE_MAX + 1];
};

static enum efi_cfg_status __printf(3, 4)
fail(struct parse *ps, enum efi_cfg_status st, const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;

	ps->out->error_line = ps->line;
	if (!ps->err || !ps->errlen)
		return st;
	if (ps->line) /* a prefix this short cannot fail */
		n = MIN((size_t)hv_snprintf(ps->err, ps->errlen, "line %u: ", ps->line),
			ps->errlen - 1);
	va_start(ap, fmt);
	hv_vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	return st;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The character at ps->pos (without consuming it); false at the end. */
static bool peek(const struct parse *ps, u32 *c)
{
	if (ps->len - ps->pos < ps->width)
		return false;
	*c = ps->p[ps->pos];
	if (ps->width == 2)
		*c |= (u32)ps->p[ps->pos + 1] << 8;
	return true;
}

/* Byte-order marks: decides the width and skips the mark (ASCII, one
 * byte wide, without one). */
static enum efi_cfg_status detect_encoding(struct parse *ps)
{
	const u8 *p = ps->p;

	if (ps->len > EFI_CFG_FILE_MAX)
		return fail(ps, EFI_CFG_TOO_LARGE, "the file is %zu bytes, at most %u are accepted",
			    ps->len, EFI_CFG_FILE_MAX);
	if (ps->len >= 2 && p[0] == 0xfe && p[1] == 0xff)
		return fail(ps, EFI_CFG_BAD_ENCODING,
			    "the file is UTF-16 big-endian (byte-order mark FE FF): "
			    "save it as ASCII, UTF-8 or UTF-16LE");
	if (ps->len >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		if (ps->len % 2)
			return fail(ps, EFI_CFG_BAD_ENCODING,
				    "the file starts with a UTF-16LE byte-order mark (FF FE) "
				    "but has an odd number of bytes (%zu)", ps->len);
		ps->width = 2;
		ps->pos = 2;
		ps->out->encoding = EFI_CFG_UTF16LE;
	} else if (ps->len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		ps->pos = 3;
		ps->out->encoding = EFI_CFG_UTF8_BOM;
	}
	return EFI_CFG_OK;
}

/* A character that may not appear in the file at all. */
static enum efi_cfg_status bad_char(struct parse *ps, u32 c, u32 col)
{
	if (c == 0)
		return fail(ps, EFI_CFG_BAD_CHAR, "NUL %s at column %u%s",
			    ps->width == 2 ? "character" : "byte", col,
			    ps->width == 2 ? "" :
			    " (is the file UTF-16 without a byte-order mark?)");
	if (c == '\r')
		return fail(ps, EFI_CFG_BAD_CHAR,
			    "carriage return not followed by a line feed at column %u", col);
	if (c >= 0x80)
		return fail(ps, EFI_CFG_BAD_CHAR, ps->width == 2 ?
			    "non-ASCII character U+%04X at column %u: only ASCII is accepted" :
			    "non-ASCII byte 0x%02x at column %u: only ASCII is accepted",
			    c, col);
	return fail(ps, EFI_CFG_BAD_CHAR, "control character 0x%02x at column %u",
		    c, col);
}

/* Reads one line into ps->buf (terminated, line end dropped) and sets
 * *n to its length. */
static enum efi_cfg_status read_line(struct parse *ps, size_t *n)
{
	u32 c, next;

	*n = 0;
	while (peek(ps, &c)) {
		ps->pos += ps->width;
		if (c == '\n')
			break;
		if (c == '\r' && peek(ps, &next) && next == '\n')
			continue;
		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return bad_char(ps, c, (u32)*n + 1);
		if (*n == EFI_CFG_LINE_MAX)
			return fail(ps, EFI_CFG_LINE_TOO_LONG,
				    "line longer than %u characters", EFI_CFG_LINE_MAX);
		ps->buf[(*n)++] = (char)c;
	}
	ps->buf[*n] = '\0';
	return EFI_CFG_OK;
}

/* [s, e) without blanks at either end. */
static void trim(char **s, char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

/* [v, e) as a string in dst[size]; `what` names the value if it is too
 * long. */
static enum efi_cfg_status copy_value(struct parse *ps, const char *what,
				      char *dst, size_t size, const char *v,
				      const char *e)
{
	size_t n = (size_t)(e - v);

	if (n >= size)
		return fail(ps, EFI_CFG_VALUE_TOO_LONG,
			    "%s is %zu characters long, at most %zu fit", what, n, size - 1);
	memcpy(dst, v, n);
	dst[n] = '\0';
	return EFI_CFG_OK;
}

static enum efi_cfg_status set_cmdline(struct parse *ps, const char *v, const char *e)
{
	struct efi_cfg *out = ps->out;

	if (out->cmdline_line)
		return fail(ps, EFI_CFG_DUPLICATE, "cmdline given again (first on line %u)",
			    out->cmdline_line);
	out->cmdline_line = ps->line;
	return copy_value(ps, "cmdline", out->cmdline, sizeof(out->cmdline), v, e);
}

/* Characters FAT file names cannot hold (besides controls, already gone). */
static bool path_char_ok(char c)
{
	return c != '"' && c != '*' && c != ':' && c != '<' && c != '>' &&
	       c != '?' && c != '|';
}

/* module=PATH [STRING] or module="PATH WITH BLANKS" [STRING]; v..e is
 * the trimmed value. */
static enum efi_cfg_status add_module(struct parse *ps, const char *v, const char *e)
{
	struct efi_cfg *out = ps->out;
	struct efi_cfg_module *m = &out->modules[out->module_count];
	bool quoted = v < e && *v == '"';
	const char *path = v + quoted, *pend;
	enum efi_cfg_status st;

	if (out->module_count >= BOOT_MODULES_MAX)
		return fail(ps, EFI_CFG_TOO_MANY_MODULES,
			    "more than %u module lines: at most %u modules are taken",
			    BOOT_MODULES_MAX, BOOT_MODULES_MAX);
	for (v = path; v < e && (quoted ? *v != '"' : !is_blank(*v)); v++)
		;
	pend = v;
	if (quoted && v == e)
		return fail(ps, EFI_CFG_BAD_PATH, "module path has no closing '\"'");
	if (quoted && ++v < e && !is_blank(*v))
		return fail(ps, EFI_CFG_BAD_PATH,
			    "expected a blank after the quoted module path, got '%c'", *v);
	if (pend == path)
		return fail(ps, EFI_CFG_EMPTY_PATH,
			    "module= without a file path: expected module=PATH [STRING]");
	for (const char *s = path; s < pend; s++)
		if (!path_char_ok(*s))
			return fail(ps, EFI_CFG_BAD_PATH,
				    "module path has a '%c', which file names cannot hold", *s);
	while (v < e && is_blank(*v))
		v++;
	st = copy_value(ps, "module path", m->path, sizeof(m->path), path, pend);
	if (st == EFI_CFG_OK)
		st = copy_value(ps, "module string", m->string, sizeof(m->string), v, e);
	if (st == EFI_CFG_OK) {
		m->line = ps->line;
		out->module_count++;
	}
	return st;
}

static enum efi_cfg_status parse_line(struct parse *ps, size_t n)
{
	char *s = ps->buf, *e = ps->buf + n, *eq, *ke, *v;

	trim(&s, &e);
	if (s == e || *s == '#')
		return EFI_CFG_OK;
	for (eq = s; eq < e && *eq != '='; eq++)
		;
	if (eq == e)
		return fail(ps, EFI_CFG_NO_EQUALS,
			    "no '=' in \"%.40s%s\": expected cmdline=COMMAND LINE or "
			    "module=PATH [STRING]", s, e - s > 40 ? "..." : "");
	ke = eq;
	trim(&s, &ke);
	*ke = '\0'; /* the key s as a string: its end is the '=' or a blank */
	v = eq + 1;
	trim(&v, &e);
	if (!strcmp(s, "cmdline"))
		return set_cmdline(ps, v, e);
	if (!strcmp(s, "module"))
		return add_module(ps, v, e);
	if (!*s)
		return fail(ps, EFI_CFG_UNKNOWN_KEY,
			    "nothing before '=': expected cmdline= or module=");
	return fail(ps, EFI_CFG_UNKNOWN_KEY, "unknown key '%.32s%s': expected cmdline or module",
		    s, ke - s > 32 ? "..." : "");
}

enum efi_cfg_status efi_cfg_parse(const void *buf, size_t len,
				  struct efi_cfg *out, char *err,
				  size_t errlen)
{
	/* 1.6 KiB on the stack; UEFI gives at least 128 KiB */
	struct parse ps = { .p = buf, .len = len, .width = 1, .out = out,
			    .err = err, .errlen = errlen };
	enum efi_cfg_status st;
	size_t n;

	memset(out, 0, sizeof(*out)); /* encoding EFI_CFG_ASCII */
	if (err && errlen)
		err[0] = '\0';
	st = detect_encoding(&ps);
	/* A UTF-16LE file has an even length: no half character is left. */
	while (st == EFI_CFG_OK && ps.pos < ps.len) {
		ps.line++;
		st = read_line(&ps, &n);
		if (st == EFI_CFG_OK)
			st = parse_line(&ps, n);
	}
	return st;
}

const char *efi_cfg_status_name(enum efi_cfg_status st)
{
	static const char *const names[] = {
		[EFI_CFG_OK] = "ok",
		[EFI_CFG_TOO_LARGE] = "file too large",
		[EFI_CFG_BAD_ENCODING] = "bad encoding",
		[EFI_CFG_BAD_CHAR] = "bad character",
		[EFI_CFG_LINE_TOO_LONG] = "line too long",
		[EFI_CFG_NO_EQUALS] = "missing '='",
		[EFI_CFG_UNKNOWN_KEY] = "unknown key",
		[EFI_CFG_DUPLICATE] = "duplicate key",
		[EFI_CFG_VALUE_TOO_LONG] = "value too long",
		[EFI_CFG_EMPTY_PATH] = "empty module path",
		[EFI_CFG_BAD_PATH] = "bad module path",
		[EFI_CFG_TOO_MANY_MODULES] = "too many modules",
	};

	if ((unsigned)st < ARRAY_SIZE(names) && names[st])
		return names[st];
	return "unknown status";
}

bool efi_cfg_dirname(const char *path, char *dir, size_t dirlen)
{
	size_t last = 0;

	for (size_t i = 0; path[i]; i++)
		if (path[i] == '\\')
			last = i;
	return (size_t)hv_snprintf(dir, dirlen, "%.*s", (int)last, path) < dirlen;
}

bool efi_cfg_resolve(const char *dir, const char *path, char *out,
		     size_t outlen)
{
	bool absolute = path[0] == '\\' || path[0] == '/';
	int n = absolute ? hv_snprintf(out, outlen, "%s", path) :
			   hv_snprintf(out, outlen, "%s\\%s", dir, path);

	if (n < 0 || (size_t)n >= outlen)
		return false;
	for (; *out; out++)
		if (*out == '/')
			*out = '\\';
	return true;
}
