/* The hypercall structs on the host: every struct of abi/hv_abi.def by
 * index and name, and printed as a field list or as a table. Built on the
 * tables and value formatter the hypervisor's tracer uses
 * (lib/abi_text.h). */
#ifndef TOOLS_ABI_PRINT_H
#define TOOLS_ABI_PRINT_H

#include "lib/abi_text.h"

u32 abi_struct_count(void);
const struct abi_struct *abi_struct_at(u32 i);		/* NULL past the end */
const struct abi_struct *abi_struct_by_name(const char *name);

/* NULL for a number without a call or a call without a struct. */
const struct abi_struct *abi_call_struct(u32 nr);
/* The trace name, NULL for an unknown number. */
const char *abi_call_name(u32 nr);

const char *abi_kind_name(enum abi_kind kind);		/* "U32" */

/* ---- snprintf contract (returns the full length) ------------------------ */

/* "size=56, flags=0, ..." : the present fields of the first len bytes;
 * zero RSVD fields are left out. */
int abi_format_struct(const struct abi_struct *s, const void *bytes, u32 len,
		      char *out, size_t outlen);

/* Field f of the struct at bytes (which must hold it), as in a trace:
 * "16M", "\"t1\"", "0x8:0:0xffff:0x93". */
int abi_format_value(const struct abi_field *f, const void *bytes,
		     char *out, size_t outlen);

/* A table under a heading line, one line per field: "offset size name =
 * value"; fields past len are marked absent, union members whose
 * selector is absent or picks another member are left out. */
int abi_format_table(const struct abi_struct *s, const void *bytes, u32 len,
		     char *out, size_t outlen);

#endif
