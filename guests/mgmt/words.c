/* Small parsing and formatting helpers: words, numbers, sizes, errno
 * names. */
#include "guests/mgmt/mgmt.h"
#include "lib/abi_errno.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies one word from p to *out (at most up to end); returns where the
 * word ends in the input, or NULL when the buffer is full. */
static const char *word_copy(const char *p, char **out, const char *end)
{
	bool quoted = false;

	for (; *p && (quoted || !is_space(*p)); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (*p == '\\' && p[1])
			p++;
		if (*out >= end)
			return NULL;
		*(*out)++ = *p;
	}
	return p;
}

bool words_split(struct words *ws, const char *line)
{
	const char *end = ws->buf + sizeof(ws->buf) - 1;
	char *out = ws->buf;

	ws->n = 0;
	for (;;) {
		while (is_space(*line))
			line++;
		if (!*line)
			return true;
		if (ws->n == WORDS_MAX)
			return false;
		ws->raw[ws->n] = line;
		ws->w[ws->n++] = out;
		line = word_copy(line, &out, end);
		if (!line)
			return false;
		*out++ = '\0';
	}
}

static int digit_value(char c, u32 base)
{
	int d = -1;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d >= 0 && (u32)d < base ? d : -1;
}

/* Parses the number at the start of s; *end is where it stopped. */
static bool parse_prefix(const char *s, u64 *out, const char **end)
{
	u32 base = 10;
	u64 v = 0;
	int d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2], 16) >= 0) {
		base = 16;
		s += 2;
	}
	if (digit_value(*s, base) < 0)
		return false;
	for (; (d = digit_value(*s, base)) >= 0; s++) {
		if (v > (~0ULL - (u64)d) / base)
			return false;
		v = v * base + (u64)d;
	}
	*out = v;
	*end = s;
	return true;
}

bool parse_u64(const char *s, u64 *out)
{
	const char *end;

	return parse_prefix(s, out, &end) && !*end;
}

static int size_shift(const char *suffix)
{
	static const struct {
		const char *s;
		int shift;
	} units[] = {
		{ "", 20 }, { "k", 10 }, { "kb", 10 }, { "kib", 10 }, { "m", 20 },
		{ "mb", 20 }, { "mib", 20 }, { "g", 30 }, { "gb", 30 }, { "gib", 30 },
	};
	char low[4];
	size_t i;

	for (i = 0; i < sizeof(low) - 1 && suffix[i]; i++)
		low[i] = (char)(suffix[i] | 0x20);
	if (suffix[i])
		return -1;
	low[i] = '\0';
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(low, units[i].s))
			return units[i].shift;
	return -1;
}

bool parse_on_off(const char *s, bool *on)
{
	*on = !strcmp(s, "on");
	return *on || !strcmp(s, "off");
}

bool parse_size(const char *s, u64 *bytes)
{
	const char *end;
	int shift;
	u64 v;

	if (!parse_prefix(s, &v, &end) || (shift = size_shift(end)) < 0)
		return false;
	if (v > (~0ULL >> shift))
		return false;
	*bytes = v << shift;
	return true;
}

const char *opt_value(const char *word, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(word, key, n) && word[n] == '=' ? word + n + 1 : NULL;
}

const char *err_name(long err)
{
	static char other[32];
	const char *name = abi_errno_name(err);

	if (name)
		return name;
	hv_snprintf(other, sizeof(other), "error %ld", err);
	return other;
}

const char *fmt_size(u64 bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (bytes && !(bytes & 1023) && u < 5) {
		bytes >>= 10;
		u++;
	}
	if (u < 0)
		hv_snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		hv_snprintf(buf, len, "%llu%c", (unsigned long long)bytes, units[u]);
	return buf;
}

void trim_copy(char *dst, size_t len, const char *src, bool unquote)
{
	size_t n;

	while (is_space(*src))
		src++;
	n = strlen(src);
	while (n && is_space(src[n - 1]))
		n--;
	if (unquote && n >= 2 && src[0] == '"' && src[n - 1] == '"') {
		src++;
		n -= 2;
	}
	if (!len)
		return;
	n = MIN(n, len - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

const char *fmt_human(u64 bytes, char *buf, size_t len)
{
	if (bytes >= 10 * GIB)
		hv_snprintf(buf, len, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= 10 * MIB)
		hv_snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else if (bytes >= 10 * 1024)
		hv_snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		hv_snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
	return buf;
}
