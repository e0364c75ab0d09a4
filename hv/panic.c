#include "hv/panic.h"
#include "hv/arch.h"
#include "hv/log.h"
#include "lib/printf.h"
#include "hv/verdict.h"

void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hv_printf("PANIC: %s\n", msg);
	arch_backtrace_here();
	hv_finish(VERDICT_FAIL, "panic: %s", msg);
}
