/* Tables expanded from abi/hv_abi.def, and the trace-line formatter and
 * parser built on them (see hv/abi_format.h). Values are read and written
 * little-endian byte by byte, so neither alignment nor the host's byte
 * order matters. Static names avoid lib/printf.c's: the unit tests
 * #include both into one file. */
#include "hv/abi_format.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "abi/hv_abi.h"

#define ABI_MEMBER_SIZE(type, m) sizeof(((struct type *)0)->m)
#define ABI_MEMBER_IS(type, m, t) \
	__builtin_types_compatible_p(__typeof__(((struct type *)0)->m), t)

/* ---- compile-time checks: each KIND matches its member's C type -------- */

#define ABI_KIND_OK_U8(ty, m) ABI_MEMBER_IS(ty, m, u8)
#define ABI_KIND_OK_U16(ty, m) ABI_MEMBER_IS(ty, m, u16)
#define ABI_KIND_OK_U32(ty, m) ABI_MEMBER_IS(ty, m, u32)
#define ABI_KIND_OK_U64(ty, m) ABI_MEMBER_IS(ty, m, u64)
#define ABI_KIND_OK_HEX16(ty, m) ABI_MEMBER_IS(ty, m, u16)
#define ABI_KIND_OK_HEX32(ty, m) ABI_MEMBER_IS(ty, m, u32)
#define ABI_KIND_OK_HEX64(ty, m) ABI_MEMBER_IS(ty, m, u64)
#define ABI_KIND_OK_SIZE64(ty, m) ABI_MEMBER_IS(ty, m, u64)
#define ABI_KIND_OK_GPA(ty, m) ABI_MEMBER_IS(ty, m, u64)
#define ABI_KIND_OK_RSVD(ty, m) \
	(ABI_MEMBER_IS(ty, m, u8) || ABI_MEMBER_IS(ty, m, u16) || \
	 ABI_MEMBER_IS(ty, m, u32) || ABI_MEMBER_IS(ty, m, u64))
#define ABI_KIND_OK_STR(ty, m) \
	ABI_MEMBER_IS(ty, m, char[ABI_MEMBER_SIZE(ty, m)])
#define ABI_KIND_OK_U64ARR(ty, m) \
	ABI_MEMBER_IS(ty, m, u64[ABI_MEMBER_SIZE(ty, m) / sizeof(u64)])
#define ABI_KIND_OK_SEG(ty, m) ABI_MEMBER_IS(ty, m, struct hv_segment)
#define ABI_KIND_OK_RAW(ty, m) 1

#define ABI_FIELD(ty, m, kind)                                               \
	_Static_assert(ABI_KIND_OK_##kind(ty, m), #ty "." #m " is not " #kind);
#define ABI_FIELD_IF(ty, m, kind, sel, val)                                  \
	ABI_FIELD(ty, m, kind)                                               \
	_Static_assert(ABI_MEMBER_IS(ty, sel, u32) &&                        \
		       offsetof(struct ty, sel) < offsetof(struct ty, m),    \
		       #ty "." #sel " cannot select " #m);
#include "abi/hv_abi.def"

/* ---- the tables --------------------------------------------------------- */

#define ABI_STRUCT(ty, first) static const struct abi_field abi_fields_##ty[] = {
#define ABI_FIELD(ty, m, k)                                                  \
	{ .name = #m, .offset = offsetof(struct ty, m),                      \
	  .size = ABI_MEMBER_SIZE(ty, m), .kind = ABI_KIND_##k },
#define ABI_FIELD_IF(ty, m, k, sel, val)                                     \
	{ .name = #m, .offset = offsetof(struct ty, m),                      \
	  .size = ABI_MEMBER_SIZE(ty, m), .kind = ABI_KIND_##k,              \
	  .conditional = true, .sel_offset = offsetof(struct ty, sel),       \
	  .sel_size = ABI_MEMBER_SIZE(ty, sel), .when = (val) },
#define ABI_STRUCT_END(ty) };
#include "abi/hv_abi.def"

#define ABI_STRUCT(ty, first)                                                \
	_Static_assert((first) <= sizeof(struct ty), #ty " VER0 too big");  \
	_Static_assert(ARRAY_SIZE(abi_fields_##ty) <= 64, #ty " too long"); \
	static const struct abi_struct abi_struct_##ty = {                   \
		.name = #ty, .size = sizeof(struct ty), .first_size = (first), \
		.fields = abi_fields_##ty,                                   \
		.nfields = ARRAY_SIZE(abi_fields_##ty),                      \
	};
#include "abi/hv_abi.def"

static const struct abi_struct *const abi_struct_list[] = {
#define ABI_STRUCT(ty, first) &abi_struct_##ty,
#include "abi/hv_abi.def"
};

static const struct abi_call abi_calls[HV_CALL_COUNT] = {
#define ABI_CALL(nr, nm, ty, d) \
	[nr] = { .name = nm, .s = &abi_struct_##ty, .dir = ABI_DIR_##d },
#define ABI_CALL_NOARG(nr, nm) [nr] = { .name = nm, .dir = ABI_DIR_NONE },
#include "abi/hv_abi.def"
};

static const char *const abi_kind_names[ABI_KIND_COUNT] = {
	[ABI_KIND_U8] = "U8",		[ABI_KIND_U16] = "U16",
	[ABI_KIND_U32] = "U32",		[ABI_KIND_U64] = "U64",
	[ABI_KIND_HEX16] = "HEX16",	[ABI_KIND_HEX32] = "HEX32",
	[ABI_KIND_HEX64] = "HEX64",	[ABI_KIND_SIZE64] = "SIZE64",
	[ABI_KIND_GPA] = "GPA",		[ABI_KIND_RSVD] = "RSVD",
	[ABI_KIND_STR] = "STR",		[ABI_KIND_U64ARR] = "U64ARR",
	[ABI_KIND_SEG] = "SEG",		[ABI_KIND_RAW] = "RAW",
};

static const char *const abi_errno_names[] = {
	[HV_EPERM] = "EPERM",	[HV_ENOENT] = "ENOENT",
	[HV_ESRCH] = "ESRCH",	[HV_E2BIG] = "E2BIG",
	[HV_ENOMEM] = "ENOMEM",	[HV_EFAULT] = "EFAULT",
	[HV_EBUSY] = "EBUSY",	[HV_EEXIST] = "EEXIST",
	[HV_EINVAL] = "EINVAL",	[HV_ENOTTY] = "ENOTTY",
	[HV_ENOSPC] = "ENOSPC",	[HV_ENOSYS] = "ENOSYS",
};

/* Size suffixes, each 1024 times the one before; 'K' is 2^10. */
static const char abi_size_units[] = "KMGTPE";

/* ---- lookups ------------------------------------------------------------ */

u32 abi_struct_count(void)
{
	return ARRAY_SIZE(abi_struct_list);
}

const struct abi_struct *abi_struct_at(u32 i)
{
	return i < ARRAY_SIZE(abi_struct_list) ? abi_struct_list[i] : NULL;
}

const struct abi_struct *abi_struct_by_name(const char *name)
{
	for (u32 i = 0; name && i < ARRAY_SIZE(abi_struct_list); i++)
		if (strcmp(abi_struct_list[i]->name, name) == 0)
			return abi_struct_list[i];
	return NULL;
}

const struct abi_call *abi_call_by_nr(u32 nr)
{
	if (nr >= ARRAY_SIZE(abi_calls) || !abi_calls[nr].name)
		return NULL;
	return &abi_calls[nr];
}

const struct abi_struct *abi_call_struct(u32 nr)
{
	const struct abi_call *c = abi_call_by_nr(nr);

	return c ? c->s : NULL;
}

const char *abi_call_name(u32 nr)
{
	const struct abi_call *c = abi_call_by_nr(nr);

	return c ? c->name : NULL;
}

/* The call whose trace name is the n bytes at name. */
static const struct abi_call *abi_call_by_text(const char *name, size_t n)
{
	for (u32 nr = 0; nr < ARRAY_SIZE(abi_calls); nr++) {
		const char *cn = abi_calls[nr].name;

		if (cn && strncmp(cn, name, n) == 0 && cn[n] == '\0')
			return &abi_calls[nr];
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

const char *abi_kind_name(enum abi_kind kind)
{
	return (u32)kind < ABI_KIND_COUNT ? abi_kind_names[kind] : "?";
}

const char *abi_errno_name(s64 err)
{
	if (err <= 0 || err >= (s64)ARRAY_SIZE(abi_errno_names))
		return NULL;
	return abi_errno_names[err];
}

/* ---- bytes -------------------------------------------------------------- */

static u64 load_le(const u8 *p, u32 size)
{
	u64 v = 0;

	while (size--)
		v = v << 8 | p[size];
	return v;
}

static void store_le(u8 *p, u32 size, u64 v)
{
	for (u32 i = 0; i < size; i++, v >>= 8)
		p[i] = (u8)v;
}

static bool field_in_range(const struct abi_field *f, u32 len)
{
	return f->offset + f->size <= len;
}

/* False only for a union member whose (present) selector picks another. */
static bool field_selected(const struct abi_field *f, const u8 *bytes,
			   u32 len)
{
	if (!f->conditional)
		return true;
	if (f->sel_offset + f->sel_size > len)
		return false;
	return load_le(bytes + f->sel_offset, f->sel_size) == f->when;
}

bool abi_field_present(const struct abi_field *f, const void *bytes, u32 len)
{
	if (!bytes)
		return false;
	return field_in_range(f, len) && field_selected(f, bytes, len);
}

/* ---- output cursor: counts every byte, stores what fits ----------------- */

struct abi_out {
	char *buf;
	size_t size;
	size_t len;
};

static struct abi_out ao_start(char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	return (struct abi_out){ .buf = buf, .size = size, .len = 0 };
}

static int ao_finish(const struct abi_out *o)
{
	return o->len > 0x7fffffff ? -1 : (int)o->len;
}

static void ao_char(struct abi_out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
		o->buf[o->len + 1] = '\0';
	}
	o->len++;
}

static __printf(2, 3) void ao_printf(struct abi_out *o, const char *fmt, ...)
{
	bool room = o->len < o->size;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(room ? o->buf + o->len : NULL,
			 room ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* ---- values ------------------------------------------------------------- */

static void put_hex(struct abi_out *o, u64 v)
{
	if (v)
		ao_printf(o, "0x%llx", (unsigned long long)v);
	else
		ao_char(o, '0');
}

static void put_size(struct abi_out *o, u64 v)
{
	int unit = -1;

	while (v && !(v & 1023) && abi_size_units[unit + 1]) {
		v >>= 10;
		unit++;
	}
	ao_printf(o, "%llu", (unsigned long long)v);
	if (unit >= 0)
		ao_char(o, abi_size_units[unit]);
}

static void put_string_char(struct abi_out *o, u8 c)
{
	static const char plain[] = "\"\\\n\t\r";
	static const char named[] = "\"\\ntr";

	for (u32 i = 0; plain[i]; i++) {
		if (c == (u8)plain[i]) {
			ao_char(o, '\\');
			ao_char(o, named[i]);
			return;
		}
	}
	if (c < 0x20 || c > 0x7e)
		ao_printf(o, "\\x%02x", c);
	else
		ao_char(o, (char)c);
}

/* Up to the first NUL, never past the array. */
static void put_string(struct abi_out *o, const u8 *p, u32 size)
{
	size_t n = strnlen((const char *)p, size);

	ao_char(o, '"');
	for (size_t i = 0; i < n; i++)
		put_string_char(o, p[i]);
	ao_char(o, '"');
}

static void put_u64_array(struct abi_out *o, const u8 *p, u32 count)
{
	ao_char(o, '[');
	for (u32 i = 0; i < count; i++) {
		if (i)
			ao_printf(o, ", ");
		put_hex(o, load_le(p + i * sizeof(u64), sizeof(u64)));
	}
	ao_char(o, ']');
}

#define SEG_PART(m) offsetof(struct hv_segment, m), \
	sizeof(((struct hv_segment *)0)->m)

/* The parts of a segment in their printed order, sel:base:limit:attr. */
static const struct { u32 offset, size; } seg_parts[] = {
	{ SEG_PART(selector) }, { SEG_PART(base) },
	{ SEG_PART(limit) }, { SEG_PART(attr) },
};

static void put_segment(struct abi_out *o, const u8 *p)
{
	for (u32 i = 0; i < ARRAY_SIZE(seg_parts); i++) {
		if (i)
			ao_char(o, ':');
		put_hex(o, load_le(p + seg_parts[i].offset, seg_parts[i].size));
	}
}

static void put_raw(struct abi_out *o, const u8 *p, u32 size)
{
	ao_char(o, '<');
	for (u32 i = 0; i < size; i++)
		ao_printf(o, "%02x", p[i]);
	ao_char(o, '>');
}

/* p: the field's own bytes. */
static void put_value(struct abi_out *o, const struct abi_field *f,
		      const u8 *p)
{
	switch (f->kind) {
	case ABI_KIND_U8:
	case ABI_KIND_U16:
	case ABI_KIND_U32:
	case ABI_KIND_U64:
		ao_printf(o, "%llu", (unsigned long long)load_le(p, f->size));
		break;
	case ABI_KIND_SIZE64:
		put_size(o, load_le(p, f->size));
		break;
	case ABI_KIND_STR:
		put_string(o, p, f->size);
		break;
	case ABI_KIND_U64ARR:
		put_u64_array(o, p, f->size / sizeof(u64));
		break;
	case ABI_KIND_SEG:
		put_segment(o, p);
		break;
	case ABI_KIND_RAW:
		put_raw(o, p, f->size);
		break;
	default:	/* HEX*, GPA, RSVD */
		put_hex(o, load_le(p, f->size));
		break;
	}
}

/* ---- structs, calls and tables ------------------------------------------ */

static bool quiet_when_zero(const struct abi_field *f, const u8 *bytes)
{
	return f->kind == ABI_KIND_RSVD &&
	       load_le(bytes + f->offset, f->size) == 0;
}

static void put_fields(struct abi_out *o, const struct abi_struct *s,
		       const u8 *bytes, u32 len)
{
	const char *sep = "";

	for (u32 i = 0; i < s->nfields; i++) {
		const struct abi_field *f = &s->fields[i];

		if (!abi_field_present(f, bytes, len) ||
		    quiet_when_zero(f, bytes))
			continue;
		ao_printf(o, "%s%s=", sep, f->name);
		put_value(o, f, bytes + f->offset);
		sep = ", ";
	}
}

int abi_format_struct(const struct abi_struct *s, const void *bytes, u32 len,
		      char *out, size_t outlen)
{
	struct abi_out o = ao_start(out, outlen);

	if (s)
		put_fields(&o, s, bytes, len);
	return ao_finish(&o);
}

int abi_format_value(const struct abi_field *f, const void *bytes,
		     char *out, size_t outlen)
{
	struct abi_out o = ao_start(out, outlen);

	put_value(&o, f, (const u8 *)bytes + f->offset);
	return ao_finish(&o);
}

static void put_return(struct abi_out *o, s64 ret)
{
	const char *name = ret < 0 && ret > -4096 ? abi_errno_name(-ret) : NULL;

	ao_printf(o, " = %lld", (long long)ret);
	if (name)
		ao_printf(o, " (%s)", name);
}

int abi_format_call(u32 nr, const void *bytes, u32 len, s64 ret, char *out,
		    size_t outlen)
{
	const struct abi_call *c = abi_call_by_nr(nr);
	struct abi_out o = ao_start(out, outlen);

	if (c) {
		ao_printf(&o, "%s(", c->name);
		if (c->s)
			put_fields(&o, c->s, bytes, len);
		ao_char(&o, ')');
	} else {
		ao_printf(&o, "hypercall_%u(...)", nr);
	}
	put_return(&o, ret);
	return ao_finish(&o);
}

static u32 longest_field_name(const struct abi_struct *s)
{
	u32 longest = 0;

	for (u32 i = 0; i < s->nfields; i++)
		longest = MAX(longest, (u32)strlen(s->fields[i].name));
	return longest;
}

static void put_table_line(struct abi_out *o, const struct abi_field *f,
			   const u8 *bytes, u32 len, int width)
{
	ao_printf(o, "%6u %4u  %-*s ", f->offset, f->size, width, f->name);
	if (field_in_range(f, len)) {
		ao_printf(o, "= ");
		put_value(o, f, bytes + f->offset);
	} else {
		ao_printf(o, "(absent: past byte %u)", len);
	}
	ao_char(o, '\n');
}

int abi_format_table(const struct abi_struct *s, const void *bytes, u32 len,
		     char *out, size_t outlen)
{
	struct abi_out o = ao_start(out, outlen);
	int width = (int)longest_field_name(s);

	if (!bytes)
		len = 0;
	ao_printf(&o, "offset size  %-*s value\n", width, "field");
	for (u32 i = 0; i < s->nfields; i++) {
		const struct abi_field *f = &s->fields[i];

		if (field_selected(f, bytes, len))
			put_table_line(&o, f, bytes, len, width);
	}
	return ao_finish(&o);
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
	static const char named[] = "\"\\ntr";
	static const char plain[] = "\"\\\n\t\r";
	int hi, lo;

	for (u32 i = 0; named[i]; i++) {
		if (scan_char(sc, named[i])) {
			*c = (u8)plain[i];
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
	for (u32 i = 0; i < ARRAY_SIZE(seg_parts); i++) {
		if (i && !scan_expect(sc, ':', "segment: sel:base:limit:attr"))
			return false;
		if (!scan_uint_into(sc, p + seg_parts[i].offset,
				    seg_parts[i].size))
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
	c = n ? abi_call_by_text(name, n) : NULL;
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
