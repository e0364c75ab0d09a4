/* The names of the errors the ABI defines (abi/hv_abi.h), shared by the
 * hypervisor's tracer and hvctl. */
#ifndef LIB_ABI_ERRNO_H
#define LIB_ABI_ERRNO_H

#include "abi/hv_abi.h"
#include "lib/types.h"

/* "-ENOENT" for -HV_ENOENT, NULL for a value the ABI gives no name. */
static inline const char *abi_errno_name(s64 ret)
{
	static const char *const names[] = {
		[HV_EPERM] = "-EPERM",   [HV_ENOENT] = "-ENOENT", [HV_ESRCH] = "-ESRCH",
		[HV_E2BIG] = "-E2BIG",   [HV_ENOMEM] = "-ENOMEM", [HV_EFAULT] = "-EFAULT",
		[HV_EBUSY] = "-EBUSY",   [HV_EEXIST] = "-EEXIST", [HV_EINVAL] = "-EINVAL",
		[HV_ENOTTY] = "-ENOTTY", [HV_ENOSPC] = "-ENOSPC", [HV_ENOSYS] = "-ENOSYS",
	};

	return ret < 0 && ret > -(s64)ARRAY_SIZE(names) ? names[-ret] : NULL;
}

#endif
