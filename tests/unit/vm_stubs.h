/* What hv/vm.c needs around it in unit tests that link it: a log that
 * prints nothing, hv_strlcpy over snprintf, one CPU (one_cpu.h), and
 * lazily switched guest state that needs nothing. */
#ifndef TESTS_UNIT_VM_STUBS_H
#define TESTS_UNIT_VM_STUBS_H

void hv_log(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

size_t hv_strlcpy(char *dst, const char *src, size_t size)
{
	return (size_t)snprintf(dst, size, "%s", src);
}

#include "one_cpu.h"

int guest_state_alloc(struct vcpu *v)
{
	(void)v;
	return 0;
}

void guest_state_free(struct vcpu *v)
{
	(void)v;
}

#endif
