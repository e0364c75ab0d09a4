/* Hypercall structs as text, both ways, driven by abi/hv_abi.def: the
 * hypervisor's strace-style hypercall tracer formats with it, and the host
 * tool tools/hvdump parses trace lines back into bytes and prints field
 * tables. Pure and freestanding (hv_snprintf and lib/string.h only).
 *
 * Trace line:  vm_create(size=56, flags=0, mem_size=16M, vcpus=1, name="t1") = 1
 * Numbers are decimal, 0x hex or decimal with a K/M/G/T/P/E suffix (powers
 * of 1024); strings are quoted with \" \\ \n \t \r \xNN (always two hex
 * digits) escapes. docs/abi.md describes the format. */
#ifndef HV_ABI_FORMAT_H
#define HV_ABI_FORMAT_H

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
 * INOUT as written back after the call. */
enum abi_dir { ABI_DIR_NONE, ABI_DIR_IN, ABI_DIR_OUT, ABI_DIR_INOUT };

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

/* Where parsing stopped and why. */
struct abi_parse_error {
	const char *what;	/* a constant message */
	u32 column;		/* 0-based, into the parsed text */
};

/* ---- tables ------------------------------------------------------------- */

u32 abi_struct_count(void);
const struct abi_struct *abi_struct_at(u32 i);		/* NULL past the end */
const struct abi_struct *abi_struct_by_name(const char *name);

/* NULL for numbers without a call, including any >= HV_CALL_COUNT. */
const struct abi_call *abi_call_by_nr(u32 nr);
const struct abi_struct *abi_call_struct(u32 nr);
/* The trace name, NULL for an unknown number: traces then show
 * "hypercall_<nr>", which the caller formats (no shared buffer here). */
const char *abi_call_name(u32 nr);

const char *abi_kind_name(enum abi_kind kind);		/* "U32" */
const char *abi_errno_name(s64 err);	/* 22 -> "EINVAL"; NULL unknown */

/* A field is present when it lies within the first len bytes and, for a
 * union member, its selector is there too and selects it. */
bool abi_field_present(const struct abi_field *f, const void *bytes, u32 len);

/* ---- formatting: snprintf contract (returns the full length) ------------ */

/* "size=56, flags=0, ..." : the present fields of the first len bytes;
 * zero RSVD fields are left out. */
int abi_format_struct(const struct abi_struct *s, const void *bytes, u32 len,
		      char *out, size_t outlen);

/* Field f of the struct at bytes (which must hold it), as in a trace:
 * "16M", "\"t1\"", "0x8:0:0xffff:0x93". */
int abi_format_value(const struct abi_field *f, const void *bytes,
		     char *out, size_t outlen);

/* "vm_create(...) = 1", "abi_version() = 1", "vm_destroy(...) = -2 (ENOENT)",
 * "hypercall_99(...) = -38 (ENOSYS)". len: the struct bytes the
 * hypervisor holds (min of the caller's size and the struct's). */
int abi_format_call(u32 nr, const void *bytes, u32 len, s64 ret, char *out,
		    size_t outlen);

/* A table under a heading line, one line per field: "offset size name =
 * value"; fields past len are marked absent, union members whose
 * selector is absent or picks another member are left out. */
int abi_format_table(const struct abi_struct *s, const void *bytes, u32 len,
		     char *out, size_t outlen);

/* ---- parsing: 0 or -1; err (may be NULL) says why ---------------------- */

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
