#include "hv/verdict.h"
#include "hv/arch.h"
#include "hv/console.h"
#include "hv/log.h"
#include "hv/printf.h"

static const char *const verdict_words[] = {
	[VERDICT_PASS] = "PASS",
	[VERDICT_FAIL] = "FAIL",
	[VERDICT_UNSUPPORTED] = "UNSUPPORTED",
};

static const u8 verdict_codes[] = {
	[VERDICT_PASS] = VERDICT_CODE_PASS,
	[VERDICT_FAIL] = VERDICT_CODE_FAIL,
	[VERDICT_UNSUPPORTED] = VERDICT_CODE_UNSUPPORTED,
};

/* Keeps the verdict on one line whatever the reason contains. */
static void flatten_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

void hv_finish(enum verdict v, const char *fmt, ...)
{
	char reason[160] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		hv_vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
		flatten_line(reason);
	}
	hv_printf("HV-RESULT: %s%s%s\n", verdict_words[v], reason[0] ? " " : "",
		  reason);
	console_flush();
	arch_poweroff(verdict_codes[v]);
}
