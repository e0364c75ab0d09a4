/* The hypercall structs of abi/hv_abi.def as tables, and their values as
 * text: the part of the trace format that the hypervisor's tracer
 * (hv/trace_format.c) and the host tools (tools/abi_print.c,
 * tools/abi_parse.c) share. Pure and freestanding (hv_vsnprintf and
 * lib/string.h only).
 *
 * Values are read little-endian byte by byte, so neither alignment nor
 * the host's byte order matters. docs/abi.md describes the format. */
#ifndef LIB_ABI_TEXT_H
#define LIB_ABI_TEXT_H

#include "lib/types.h"

enum abi_kind {
	ABI_KIND_U8,
	ABI_KIND_U16,
	ABI_KIND_U32,
	ABI_KIND_U64,
	ABI_KIND_HEX16,
	ABI_KIND_HEX32,
	ABI_KIND_HEX64,
	ABI_KIND_SIZE64,
	ABI_KIND_GPA,
	ABI_KIND_RSVD,
	ABI_KIND_STR,
	ABI_KIND_U64ARR,
	ABI_KIND_SEG,
	ABI_KIND_RAW,
	ABI_KIND_COUNT
};

/* When the tracer should decode a call's struct: IN as copied in, OUT and
 * INOUT as written back after the call, REGS as read from the argument
 * registers (the call reads no memory). */
enum abi_dir { ABI_DIR_NONE, ABI_DIR_IN, ABI_DIR_OUT, ABI_DIR_INOUT, ABI_DIR_REGS };

struct abi_field {
	const char *name;	/* the C member path: "mem_size", "u.io.port" */
	u32 offset;
	u32 size;
	enum abi_kind kind;
	bool conditional;	/* a union member, see sel_* and when */
	u32 sel_offset;		/* the u32 selector ("reason") ... */
	u32 sel_size;
	u32 when;		/* ... and the value that selects this member */
};

struct abi_struct {
	const char *name;	/* "hv_vm_create" */
	u32 size;		/* sizeof: the newest layout */
	u32 first_size;		/* HV_*_SIZE_VER0; 0 when not size-versioned */
	const struct abi_field *fields;
	u32 nfields;
};

struct abi_call {
	const char *name;		/* the trace name, "vm_create" */
	const struct abi_struct *s;	/* NULL for a call without a struct */
	enum abi_dir dir;
};

/* abi_struct_hv_info, abi_struct_hv_vm_create, ...: one per ABI_STRUCT. */
#define ABI_STRUCT(ty, first) extern const struct abi_struct abi_struct_##ty;
#include "abi/hv_abi.def"

/* NULL for numbers without a call, including any >= HV_CALL_COUNT. */
const struct abi_call *abi_call_by_nr(u32 nr);

/* Size suffixes, each 1024 times the one before: "KMGTPE", 'K' is 2^10. */
extern const char abi_size_units[];

/* The parts of a SEG value (struct hv_segment) in their printed order,
 * sel:base:limit:attr. */
struct abi_seg_part {
	u32 offset, size;
};
extern const struct abi_seg_part abi_seg_parts[4];

/* The characters a STR value escapes, and the letter after each '\'. */
extern const char abi_escaped[], abi_escape_letters[];

/* Whether field f lies within the first len bytes; and, for a union
 * member, whether its selector is there too and selects it. A field is
 * present when both hold. */
bool abi_field_in_range(const struct abi_field *f, u32 len);
bool abi_field_selected(const struct abi_field *f, const void *bytes, u32 len);
bool abi_field_present(const struct abi_field *f, const void *bytes, u32 len);

/* ---- output: snprintf contract (counts every byte, stores what fits) ---- */

struct abi_out {
	char *buf;
	size_t size;
	size_t len;
};

struct abi_out abi_out_start(char *buf, size_t size);
int abi_out_finish(const struct abi_out *o);	/* the full length, or -1 */
void abi_out_char(struct abi_out *o, char c);
void abi_out_printf(struct abi_out *o, const char *fmt, ...) __printf(2, 3);

/* Field f's value from its own bytes p, as in a trace: "16M", "\"t1\"",
 * "0x8:0:0xffff:0x93". */
void abi_put_value(struct abi_out *o, const struct abi_field *f, const u8 *p);

/* "size=56, flags=0, ...": the present fields of the first len bytes;
 * zero RSVD fields are left out. */
void abi_put_fields(struct abi_out *o, const struct abi_struct *s,
		    const u8 *bytes, u32 len);

#endif
