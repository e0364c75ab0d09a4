/* A hypercall and its result as a trace line (see hv/trace_format.h). */
#include "hv/trace_format.h"
#include "lib/abi_errno.h"
#include "lib/abi_text.h"
#include "abi/hv_abi.h"

/* " = -2 (ENOENT)"; a name only for the errors the ABI defines. */
static void put_return(struct abi_out *o, s64 ret)
{
	const char *name = abi_errno_name(ret);

	abi_out_printf(o, " = %lld", (long long)ret);
	if (name)
		abi_out_printf(o, " (%s)", name + 1); /* without the minus */
}

int abi_format_call(u32 nr, const void *bytes, u32 len, s64 ret, char *out,
		    size_t outlen)
{
	const struct abi_call *c = abi_call_by_nr(nr);
	struct abi_out o = abi_out_start(out, outlen);

	if (c) {
		abi_out_printf(&o, "%s(", c->name);
		if (c->s)
			abi_put_fields(&o, c->s, bytes, len);
		abi_out_char(&o, ')');
	} else {
		abi_out_printf(&o, "hypercall_%u(...)", nr);
	}
	put_return(&o, ret);
	return abi_out_finish(&o);
}
