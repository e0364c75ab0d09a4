/* Tables expanded from abi/hv_abi.def and the value formatter built on
 * them (see lib/abi_text.h). The compile-time checks that each KIND
 * matches its member's C type are host-side, in tools/abi_print.c, which
 * `make all`, hvdump and the unit tests compile. */
#include "lib/abi_text.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "abi/hv_abi.h"

/* ---- the tables --------------------------------------------------------- */

#define ABI_MEMBER_SIZE(type, m) sizeof(((struct type *)0)->m)

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
	const struct abi_struct abi_struct_##ty = {                          \
		.name = #ty, .size = sizeof(struct ty), .first_size = (first), \
		.fields = abi_fields_##ty,                                   \
		.nfields = ARRAY_SIZE(abi_fields_##ty),                      \
	};
#include "abi/hv_abi.def"

/* Rows may carry more columns than these; only the first ones are read. */
static const struct abi_call abi_calls[HV_CALL_COUNT] = {
#define ABI_CALL(nr, nm, ty, d, ...) \
	[nr] = { .name = nm, .s = &abi_struct_##ty, .dir = ABI_DIR_##d },
#define ABI_CALL_NOARG(nr, nm, ...) [nr] = { .name = nm, .dir = ABI_DIR_NONE },
#include "abi/hv_abi.def"
};

const char abi_size_units[] = "KMGTPE";

#define SEG_PART(m) { offsetof(struct hv_segment, m), \
		      sizeof(((struct hv_segment *)0)->m) }

const struct abi_seg_part abi_seg_parts[4] = {
	SEG_PART(selector), SEG_PART(base), SEG_PART(limit), SEG_PART(attr),
};

const char abi_escaped[] = "\"\\\n\t\r";
const char abi_escape_letters[] = "\"\\ntr";

const struct abi_call *abi_call_by_nr(u32 nr)
{
	if (nr >= ARRAY_SIZE(abi_calls) || !abi_calls[nr].name)
		return NULL;
	return &abi_calls[nr];
}

/* ---- bytes -------------------------------------------------------------- */

static u64 load_le(const u8 *p, u32 size)
{
	u64 v = 0;

	while (size--)
		v = v << 8 | p[size];
	return v;
}

bool abi_field_in_range(const struct abi_field *f, u32 len)
{
	return f->offset + f->size <= len;
}

/* False only for a union member whose (present) selector picks another. */
bool abi_field_selected(const struct abi_field *f, const void *bytes, u32 len)
{
	if (!f->conditional)
		return true;
	if (f->sel_offset + f->sel_size > len)
		return false;
	return load_le((const u8 *)bytes + f->sel_offset, f->sel_size) == f->when;
}

bool abi_field_present(const struct abi_field *f, const void *bytes, u32 len)
{
	if (!bytes)
		return false;
	return abi_field_in_range(f, len) && abi_field_selected(f, bytes, len);
}

/* ---- output cursor ------------------------------------------------------ */

struct abi_out abi_out_start(char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	return (struct abi_out){ .buf = buf, .size = size, .len = 0 };
}

int abi_out_finish(const struct abi_out *o)
{
	return o->len > 0x7fffffff ? -1 : (int)o->len;
}

void abi_out_char(struct abi_out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
		o->buf[o->len + 1] = '\0';
	}
	o->len++;
}

void abi_out_printf(struct abi_out *o, const char *fmt, ...)
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
		abi_out_printf(o, "0x%llx", (unsigned long long)v);
	else
		abi_out_char(o, '0');
}

static void put_size(struct abi_out *o, u64 v)
{
	int unit = -1;

	while (v && !(v & 1023) && abi_size_units[unit + 1]) {
		v >>= 10;
		unit++;
	}
	abi_out_printf(o, "%llu", (unsigned long long)v);
	if (unit >= 0)
		abi_out_char(o, abi_size_units[unit]);
}

static void put_string_char(struct abi_out *o, u8 c)
{
	for (u32 i = 0; abi_escaped[i]; i++) {
		if (c == (u8)abi_escaped[i]) {
			abi_out_char(o, '\\');
			abi_out_char(o, abi_escape_letters[i]);
			return;
		}
	}
	if (c < 0x20 || c > 0x7e)
		abi_out_printf(o, "\\x%02x", c);
	else
		abi_out_char(o, (char)c);
}

/* Up to the first NUL, never past the array. */
static void put_string(struct abi_out *o, const u8 *p, u32 size)
{
	size_t n = strnlen((const char *)p, size);

	abi_out_char(o, '"');
	for (size_t i = 0; i < n; i++)
		put_string_char(o, p[i]);
	abi_out_char(o, '"');
}

static void put_u64_array(struct abi_out *o, const u8 *p, u32 count)
{
	abi_out_char(o, '[');
	for (u32 i = 0; i < count; i++) {
		if (i)
			abi_out_printf(o, ", ");
		put_hex(o, load_le(p + i * sizeof(u64), sizeof(u64)));
	}
	abi_out_char(o, ']');
}

static void put_segment(struct abi_out *o, const u8 *p)
{
	for (u32 i = 0; i < ARRAY_SIZE(abi_seg_parts); i++) {
		if (i)
			abi_out_char(o, ':');
		put_hex(o, load_le(p + abi_seg_parts[i].offset,
				   abi_seg_parts[i].size));
	}
}

static void put_raw(struct abi_out *o, const u8 *p, u32 size)
{
	abi_out_char(o, '<');
	for (u32 i = 0; i < size; i++)
		abi_out_printf(o, "%02x", p[i]);
	abi_out_char(o, '>');
}

void abi_put_value(struct abi_out *o, const struct abi_field *f, const u8 *p)
{
	switch (f->kind) {
	case ABI_KIND_U8:
	case ABI_KIND_U16:
	case ABI_KIND_U32:
	case ABI_KIND_U64:
		abi_out_printf(o, "%llu", (unsigned long long)load_le(p, f->size));
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

static bool quiet_when_zero(const struct abi_field *f, const u8 *bytes)
{
	return f->kind == ABI_KIND_RSVD &&
	       load_le(bytes + f->offset, f->size) == 0;
}

void abi_put_fields(struct abi_out *o, const struct abi_struct *s,
		    const u8 *bytes, u32 len)
{
	const char *sep = "";

	for (u32 i = 0; i < s->nfields; i++) {
		const struct abi_field *f = &s->fields[i];

		if (!abi_field_present(f, bytes, len) ||
		    quiet_when_zero(f, bytes))
			continue;
		abi_out_printf(o, "%s%s=", sep, f->name);
		abi_put_value(o, f, bytes + f->offset);
		sep = ", ";
	}
}
