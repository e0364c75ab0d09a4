/* A hypercall and its result as a trace line (see hv/trace_format.h). */
#include "hv/trace_format.h"
#include "lib/abi_text.h"
#include "abi/hv_abi.h"

static const char *const errno_names[] = {
	[HV_EPERM] = "EPERM",	[HV_ENOENT] = "ENOENT",
	[HV_ESRCH] = "ESRCH",	[HV_E2BIG] = "E2BIG",
	[HV_ENOMEM] = "ENOMEM",	[HV_EFAULT] = "EFAULT",
	[HV_EBUSY] = "EBUSY",	[HV_EEXIST] = "EEXIST",
	[HV_EINVAL] = "EINVAL",	[HV_ENOTTY] = "ENOTTY",
	[HV_ENOSPC] = "ENOSPC",	[HV_ENOSYS] = "ENOSYS",
};

/* " = -2 (ENOENT)"; a name only for the errors the ABI defines. */
static void put_return(struct abi_out *o, s64 ret)
{
	bool named = ret < 0 && ret > -(s64)ARRAY_SIZE(errno_names) &&
		     errno_names[-ret];

	abi_out_printf(o, " = %lld", (long long)ret);
	if (named)
		abi_out_printf(o, " (%s)", errno_names[-ret]);
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
