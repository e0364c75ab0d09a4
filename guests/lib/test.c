#include "guests/lib/test.h"
#include "guests/lib/hv.h"
#include "lib/printf.h"

enum outcome { SUCCESS, SKIP, FAILURE, ERROR };

static const char *const outcome_names[] = { "SUCCESS", "SKIP", "FAILURE", "ERROR" };
static enum outcome outcome = SUCCESS;

static void record(enum outcome o, const char *what, const char *fmt, va_list ap)
{
	char msg[256];

	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	gprintf("%s: %s\n", what, msg);
	if (o > outcome)
		outcome = o;
}

#define DEFINE_RECORDER(fn, o, what)                                         \
	void fn(const char *fmt, ...)                                        \
	{                                                                    \
		va_list ap;                                                  \
		va_start(ap, fmt);                                           \
		record(o, what, fmt, ap);                                    \
		va_end(ap);                                                  \
	}

DEFINE_RECORDER(test_fail, FAILURE, "Failure")
DEFINE_RECORDER(test_error, ERROR, "Error")
DEFINE_RECORDER(test_skip, SKIP, "Skip")

void guest_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ERROR, "Error", fmt, ap);
	va_end(ap);
	test_finish();
}

void test_finish(void)
{
	gprintf("Test result: %s\n", outcome_names[outcome]);
	guest_exit(outcome);
}

void guest_entry(const struct hv_boot_info *info)
{
	gprintf("--- %s ---\n", test_title);
	if (info->magic != HV_BOOT_MAGIC)
		test_error("boot info magic 0x%x at %p", info->magic, (const void *)info);
	else
		test_main();
	test_finish();
}

bool test_run_to_io(u32 vm, struct hv_exit *ex, u16 port, bool complete, u64 value)
{
	long r = hv_vcpu_run(vm, 0, ex, complete, value);

	if (r != HV_EXIT_IO || ex->u.io.port != port) {
		test_fail("child exit %ld (reason %u, port 0x%x, rip 0x%llx%s%s), want I/O at 0x%x",
			  r, ex->reason, ex->u.io.port, (unsigned long long)ex->rip,
			  ex->reason == HV_EXIT_FAILED ? ": " : "",
			  ex->reason == HV_EXIT_FAILED ? ex->u.text : "", port);
		return false;
	}
	return true;
}
