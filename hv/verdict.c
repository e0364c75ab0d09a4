#include "hv/verdict.h"
#include "drivers/debugcon.h"
#include "hv/arch.h"
#include "hv/console.h"
#include "hv/log.h"
#include "lib/printf.h"

/* The word on the console and the debug port, and the exit code. */
static const struct {
	const char *word;
	u8 code;
} verdicts[] = {
	[VERDICT_PASS] = { "PASS", VERDICT_CODE_PASS },
	[VERDICT_FAIL] = { "FAIL", VERDICT_CODE_FAIL },
	[VERDICT_UNSUPPORTED] = { "UNSUPPORTED", VERDICT_CODE_UNSUPPORTED },
};

static u32 cpus_running = 1;

void hv_verdict_set_cpus(u32 n)
{
	cpus_running = n;
}

/* Keeps the verdict on one line whatever the reason contains. */
static void flatten_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

/* The verdict line again, on a channel no guest reaches: port 0xE9
 * exits for every VM (only VM 0's COM1 is passed through), and guest text
 * mirrored there by debugcon=1 never starts a line (hv/console_line.h). */
static void announce_on_debug_port(const char *result)
{
	debugcon_puts("\n" VERDICT_DEBUGCON_MARK);
	debugcon_puts(result);
	debugcon_putc('\n');
}

void hv_finish(enum verdict v, const char *fmt, ...)
{
	char reason[160] = "";
	char result[192]; /* the verdict word, the reason and the CPU count */
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		hv_vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
		flatten_line(reason);
	}
	hv_snprintf(result, sizeof(result), "%s%s%s [cpus=%u]", verdicts[v].word,
		    reason[0] ? " " : "", reason, cpus_running);
	console_begin_line();
	hv_printf("HV-RESULT: %s\n", result);
	console_flush();
	announce_on_debug_port(result);
	arch_poweroff(verdicts[v].code);
}
