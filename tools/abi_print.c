/* The host side of abi/hv_abi.def: the build-time checks of the
 * description, the list of every struct, lookups by name, and the struct
 * and table printers (see tools/abi_print.h). */
#include "tools/abi_print.h"
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

#define ABI_STRUCT(ty, first) \
	_Static_assert((first) <= sizeof(struct ty), #ty " VER0 too big");
#define ABI_FIELD(ty, m, kind)                                               \
	_Static_assert(ABI_KIND_OK_##kind(ty, m), #ty "." #m " is not " #kind);
#define ABI_FIELD_IF(ty, m, kind, sel, val)                                  \
	ABI_FIELD(ty, m, kind)                                               \
	_Static_assert(ABI_MEMBER_IS(ty, sel, u32) &&                        \
		       offsetof(struct ty, sel) < offsetof(struct ty, m),    \
		       #ty "." #sel " cannot select " #m);
#include "abi/hv_abi.def"

/* ---- the tables --------------------------------------------------------- */

static const struct abi_struct *const abi_struct_list[] = {
#define ABI_STRUCT(ty, first) &abi_struct_##ty,
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

const char *abi_kind_name(enum abi_kind kind)
{
	return (u32)kind < ABI_KIND_COUNT ? abi_kind_names[kind] : "?";
}

/* ---- printing ----------------------------------------------------------- */

int abi_format_struct(const struct abi_struct *s, const void *bytes, u32 len,
		      char *out, size_t outlen)
{
	struct abi_out o = abi_out_start(out, outlen);

	if (s)
		abi_put_fields(&o, s, bytes, len);
	return abi_out_finish(&o);
}

int abi_format_value(const struct abi_field *f, const void *bytes,
		     char *out, size_t outlen)
{
	struct abi_out o = abi_out_start(out, outlen);

	abi_put_value(&o, f, (const u8 *)bytes + f->offset);
	return abi_out_finish(&o);
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
	abi_out_printf(o, "%6u %4u  %-*s ", f->offset, f->size, width, f->name);
	if (abi_field_in_range(f, len)) {
		abi_out_printf(o, "= ");
		abi_put_value(o, f, bytes + f->offset);
	} else {
		abi_out_printf(o, "(absent: past byte %u)", len);
	}
	abi_out_char(o, '\n');
}

int abi_format_table(const struct abi_struct *s, const void *bytes, u32 len,
		     char *out, size_t outlen)
{
	struct abi_out o = abi_out_start(out, outlen);
	int width = (int)longest_field_name(s);

	if (!bytes)
		len = 0;
	abi_out_printf(&o, "offset size  %-*s value\n", width, "field");
	for (u32 i = 0; i < s->nfields; i++) {
		const struct abi_field *f = &s->fields[i];

		if (abi_field_selected(f, bytes, len))
			put_table_line(&o, f, bytes, len, width);
	}
	return abi_out_finish(&o);
}
