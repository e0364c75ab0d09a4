/* The trace-line and field-list parser (see tools/abi_parse.h): the
 * inverse of the value formatter in lib/abi_text.c, over the same
 * tables. */
#include "tools/abi_parse.h"
#include "lib/string.h"
#include "abi/hv_abi.h"

/* scan_field() keeps a bit per field of a struct in a u64. */
#define ABI_STRUCT(ty, first) enum { abi_nfields_##ty = 0
#define ABI_FIELD(ty, m, k) + 1
#define ABI_FIELD_IF(ty, m, k, sel, val) + 1
#define ABI_STRUCT_END(ty) };                                                \
	_Static_assert(abi_nfields_##ty <= 64, #ty " has over 64 fields");
#include "abi/hv_abi.def"

static void store_le(u8 *p, u32 size, u64 v)
{
	for (u32 i = 0; i < size; i++, v >>= 8)
		p[i] = (u8)v;
}

/* The call whose trace name is the n bytes at name. */
static const struct abi_call *call_by_text(const char *name, size_t n)
{
	for (u32 nr = 0; nr < HV_CALL_COUNT; nr++) {
		const struct abi_call *c = abi_call_by_nr(nr);

		if (c && strncmp(c->name, name, n) == 0 && c->name[n] == '\0')
			return c;
	}
	return NULL;
}

static const struct abi_field *field_by_text(const struct abi_struct *s,
					     const char *name, size_t n)
{
	for (u32 i = 0; i < s->nfields; i++) {
		const char *fn = s->fields[i].name;

		if (strncmp(fn, name, n) == 0 && fn[n] == '\0')
			return &s->fields[i];
	}
	return NULL;
}

/* ---- parsing: a cursor that remembers the first error ------------------- */

struct abi_scan {
	const char *start;
	const char *p;
	const char *what;	/* the first error, NULL while all is well */
};

static bool scan_fail(struct abi_scan *sc, const char *what)
{
	if (!sc->what)
		sc->what = what;
	return false;
}

/* Fails with the cursor put back at `at`, for errors about a whole word. */
static bool scan_fail_at(struct abi_scan *sc, const char *at, const char *what)
{
	sc->p = at;
	return scan_fail(sc, what);
}

static void scan_spaces(struct abi_scan *sc)
{
	while (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' ||
	       *sc->p == '\r')
		sc->p++;
}

static bool scan_char(struct abi_scan *sc, char c)
{
	if (*sc->p != c)
		return false;
	sc->p++;
	return true;
}

static bool scan_expect(struct abi_scan *sc, char c, const char *what)
{
	return scan_char(sc, c) || scan_fail(sc, what);
}

static bool scan_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* A name ("vm_create", "u.io.port"); returns its length, 0 when none. */
static size_t scan_name(struct abi_scan *sc, const char **name)
{
	*name = sc->p;
	while (scan_is_name_char(*sc->p))
		sc->p++;
	return (size_t)(sc->p - *name);
}

/* ---- parsing numbers ---------------------------------------------------- */

static bool scan_hex_digits(struct abi_scan *sc, u64 *v)
{
	const char *first = sc->p;
	int d;

	*v = 0;
	while ((d = hex_digit_value(*sc->p)) >= 0) {
		if (*v >> 60)
			return scan_fail(sc, "number too large");
		*v = *v << 4 | (u64)d;
		sc->p++;
	}
	return sc->p != first || scan_fail(sc, "hex digits expected");
}

static bool scan_decimal(struct abi_scan *sc, u64 *v)
{
	const char *first = sc->p;

	*v = 0;
	while (*sc->p >= '0' && *sc->p <= '9') {
		u64 d = (u64)(*sc->p - '0');

		if (*v > (~0ULL - d) / 10)
			return scan_fail(sc, "number too large");
		*v = *v * 10 + d;
		sc->p++;
	}
	return sc->p != first || scan_fail(sc, "number expected");
}

static bool scan_size_suffix(struct abi_scan *sc, u64 *v)
{
	for (u32 i = 0; abi_size_units[i]; i++) {
		u32 shift = 10 * (i + 1);

		if (*sc->p != abi_size_units[i])
			continue;
		if (*v >> (64 - shift))
			return scan_fail(sc, "number too large");
		*v <<= shift;
		sc->p++;
		return true;
	}
	return true;
}

/* 0x hex, or decimal with an optional size suffix. */
static bool scan_number(struct abi_scan *sc, u64 *v)
{
	if (sc->p[0] == '0' && (sc->p[1] == 'x' || sc->p[1] == 'X')) {
		sc->p += 2;
		return scan_hex_digits(sc, v);
	}
	return scan_decimal(sc, v) && scan_size_suffix(sc, v);
}

/* A number into a size-byte little-endian field. */
static bool scan_uint_into(struct abi_scan *sc, u8 *p, u32 size)
{
	const char *at = sc->p;
	u64 v;

	if (!scan_number(sc, &v))
		return false;
	if (size < sizeof(u64) && v >> (8 * size))
		return scan_fail_at(sc, at, "value too large for the field");
	store_le(p, size, v);
	return true;
}

/* ---- parsing strings, arrays, segments, bytes --------------------------- */

static bool scan_escape(struct abi_scan *sc, u8 *c)
{
	int hi, lo;

	for (u32 i = 0; abi_escape_letters[i]; i++) {
		if (scan_char(sc, abi_escape_letters[i])) {
			*c = (u8)abi_escaped[i];
			return true;
		}
	}
	if (!scan_char(sc, 'x'))
		return scan_fail(sc, "unknown escape");
	hi = hex_digit_value(sc->p[0]);
	lo = hi < 0 ? -1 : hex_digit_value(sc->p[1]);
	if (lo < 0)
		return scan_fail(sc, "\\x needs two hex digits");
	sc->p += 2;
	*c = (u8)(hi << 4 | lo);
	return true;
}

static bool scan_string_char(struct abi_scan *sc, u8 *c)
{
	if (!*sc->p)
		return scan_fail(sc, "unterminated string");
	if (scan_char(sc, '\\'))
		return scan_escape(sc, c);
	*c = (u8)*sc->p++;
	return true;
}

/* A quoted string into a char array of size bytes (NUL-padded; exactly
 * size characters leave no NUL, as the formatter allows). */
static bool scan_string_into(struct abi_scan *sc, u8 *p, u32 size)
{
	u32 n = 0;
	u8 c;

	if (!scan_expect(sc, '"', "'\"' expected"))
		return false;
	while (!scan_char(sc, '"')) {
		if (!scan_string_char(sc, &c))
			return false;
		if (n == size)
			return scan_fail(sc, "string too long for the field");
		p[n++] = c;
	}
	return true;
}

static bool scan_u64_array_into(struct abi_scan *sc, u8 *p, u32 count)
{
	u32 n = 0;

	if (!scan_expect(sc, '[', "'[' expected"))
		return false;
	scan_spaces(sc);
	if (scan_char(sc, ']'))
		return true;
	do {
		scan_spaces(sc);
		if (n == count)
			return scan_fail(sc, "too many array elements");
		if (!scan_uint_into(sc, p + n++ * sizeof(u64), sizeof(u64)))
			return false;
		scan_spaces(sc);
	} while (scan_char(sc, ','));
	return scan_expect(sc, ']', "',' or ']' expected");
}

static bool scan_segment_into(struct abi_scan *sc, u8 *p)
{
	for (u32 i = 0; i < ARRAY_SIZE(abi_seg_parts); i++) {
		if (i && !scan_expect(sc, ':', "segment: sel:base:limit:attr"))
			return false;
		if (!scan_uint_into(sc, p + abi_seg_parts[i].offset,
				    abi_seg_parts[i].size))
			return false;
	}
	return true;
}

static bool scan_raw_into(struct abi_scan *sc, u8 *p, u32 size)
{
	u32 n = 0;
	int hi, lo;

	if (!scan_expect(sc, '<', "'<' expected"))
		return false;
	while (!scan_char(sc, '>')) {
		hi = hex_digit_value(sc->p[0]);
		lo = hi < 0 ? -1 : hex_digit_value(sc->p[1]);
		if (lo < 0)
			return scan_fail(sc, "hex byte or '>' expected");
		if (n == size)
			return scan_fail(sc, "too many bytes for the field");
		p[n++] = (u8)(hi << 4 | lo);
		sc->p += 2;
	}
	return true;
}

static bool scan_value_into(struct abi_scan *sc, const struct abi_field *f,
			    u8 *p)
{
	switch (f->kind) {
	case ABI_KIND_STR:
		return scan_string_into(sc, p, f->size);
	case ABI_KIND_U64ARR:
		return scan_u64_array_into(sc, p, f->size / sizeof(u64));
	case ABI_KIND_SEG:
		return scan_segment_into(sc, p);
	case ABI_KIND_RAW:
		return scan_raw_into(sc, p, f->size);
	default:
		return scan_uint_into(sc, p, f->size);
	}
}

/* ---- parsing field lists and trace lines -------------------------------- */

/* One "name=value"; seen: a bit per field index, end: furthest byte. */
static bool scan_field(struct abi_scan *sc, const struct abi_struct *s,
		       u8 *bytes, u64 *seen, u32 *end)
{
	const struct abi_field *f;
	const char *name;
	size_t n;

	scan_spaces(sc);
	n = scan_name(sc, &name);
	if (!n)
		return scan_fail(sc, "field name expected");
	f = field_by_text(s, name, n);
	if (!f)
		return scan_fail_at(sc, name, "unknown field");
	if (*seen & BIT(f - s->fields))
		return scan_fail_at(sc, name, "field given twice");
	*seen |= BIT(f - s->fields);
	scan_spaces(sc);
	if (!scan_expect(sc, '=', "'=' expected"))
		return false;
	scan_spaces(sc);
	*end = MAX(*end, f->offset + f->size);
	return scan_value_into(sc, f, bytes + f->offset);
}

/* Reserved fields right behind the last one given were left out because
 * they were zero, not because the struct ended. */
static u32 extend_over_reserved(const struct abi_struct *s, u32 end)
{
	for (u32 i = 0; i < s->nfields; i++) {
		const struct abi_field *f = &s->fields[i];

		if (f->kind == ABI_KIND_RSVD && !f->conditional &&
		    f->offset == end)
			end += f->size;
	}
	return end;
}

/* Stops before the character that ends the list (')' or the end). */
static bool scan_field_list(struct abi_scan *sc, const struct abi_struct *s,
			    u8 *bytes, u32 cap, u32 *len)
{
	u64 seen = 0;
	u32 end = 0;

	*len = 0;
	if (!bytes || cap < s->size)
		return scan_fail(sc, "buffer too small for the struct");
	memset(bytes, 0, s->size);
	scan_spaces(sc);
	if (*sc->p == ')' || !*sc->p)
		return true;
	do {
		if (!scan_field(sc, s, bytes, &seen, &end))
			return false;
		scan_spaces(sc);
	} while (scan_char(sc, ','));
	*len = extend_over_reserved(s, end);
	return true;
}

static bool scan_end(struct abi_scan *sc)
{
	scan_spaces(sc);
	return !*sc->p || scan_fail(sc, "unexpected text");
}

/* The optional " = ret" and " (ENAME)" of a trace line. */
static bool scan_return(struct abi_scan *sc)
{
	const char *name;
	u64 v;

	scan_spaces(sc);
	if (!scan_char(sc, '='))
		return true;
	scan_spaces(sc);
	scan_char(sc, '-');
	if (!scan_decimal(sc, &v))
		return false;
	scan_spaces(sc);
	if (!scan_char(sc, '('))
		return true;
	if (!scan_name(sc, &name))
		return scan_fail(sc, "error name expected");
	return scan_expect(sc, ')', "')' expected");
}

static bool scan_call_line(struct abi_scan *sc, const struct abi_struct **s,
			   u8 *bytes, u32 cap, u32 *len)
{
	const struct abi_call *c;
	const char *name;
	size_t n;

	*s = NULL;
	*len = 0;
	scan_spaces(sc);
	n = scan_name(sc, &name);
	c = n ? call_by_text(name, n) : NULL;
	if (!c)
		return scan_fail_at(sc, name, "unknown call name");
	if (!scan_expect(sc, '(', "'(' expected"))
		return false;
	*s = c->s;
	if (c->s && !scan_field_list(sc, c->s, bytes, cap, len))
		return false;
	scan_spaces(sc);
	if (!scan_expect(sc, ')', "',' or ')' expected"))
		return false;
	return scan_return(sc) && scan_end(sc);
}

static int scan_result(const struct abi_scan *sc, bool ok,
		       struct abi_parse_error *err)
{
	if (err) {
		err->what = ok ? NULL : (sc->what ? sc->what : "parse error");
		err->column = (u32)(sc->p - sc->start);
	}
	return ok ? 0 : -1;
}

int abi_parse_fields(const struct abi_struct *s, const char *text,
		     void *bytes, u32 cap, u32 *len,
		     struct abi_parse_error *err)
{
	struct abi_scan sc = { .start = text, .p = text };
	bool ok = scan_field_list(&sc, s, bytes, cap, len) && scan_end(&sc);

	return scan_result(&sc, ok, err);
}

int abi_parse_trace_line_why(const char *line, const struct abi_struct **s,
			     void *bytes, u32 cap, u32 *len,
			     struct abi_parse_error *err)
{
	struct abi_scan sc = { .start = line, .p = line };
	bool ok = scan_call_line(&sc, s, bytes, cap, len);

	return scan_result(&sc, ok, err);
}

int abi_parse_trace_line(const char *line, const struct abi_struct **s,
			 void *bytes, u32 cap, u32 *len)
{
	return abi_parse_trace_line_why(line, s, bytes, cap, len, NULL);
}
