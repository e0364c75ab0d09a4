/* The hypervisor's strace-style hypercall tracer, one line per call:
 *
 *   vm_create(size=56, flags=0, mem_size=16M, vcpus=1, name="t1") = 1
 *
 * Driven by abi/hv_abi.def through lib/abi_text.h; tools/hvdump parses
 * such lines back into bytes. docs/abi.md describes the format. */
#ifndef HV_TRACE_FORMAT_H
#define HV_TRACE_FORMAT_H

#include "lib/types.h"

/* "vm_create(...) = 1", "abi_version() = 1", "vm_destroy(...) = -2 (ENOENT)",
 * "hypercall_99(...) = -38 (ENOSYS)". len: the struct bytes the
 * hypervisor holds (min of the caller's size and the struct's).
 * snprintf contract: returns the full length. */
int abi_format_call(u32 nr, const void *bytes, u32 len, s64 ret, char *out,
		    size_t outlen);

#endif
