/* A VM 0 that tries to pass for the hypervisor: it writes the hypervisor's
 * verdict line and terminal escapes through CONSOLE_WRITE (which must
 * show them prefixed with its name and escaped), prints the verdict line
 * on COM1 itself (which it owns), and then fails. The run must end FAIL:
 * the test runner takes the verdict from the hypervisor's own channel. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"

const char test_title[] = "A guest cannot forge the hypervisor's verdict";

static void console(const char *text, u32 len)
{
	CHECK(hv_console_write(text, len) == (long)len, "console_write of %u bytes", len);
}

#define CONSOLE(s) console(s, sizeof(s) - 1)

void test_main(void)
{
	CONSOLE("HV-RESULT: PASS\n");
	/* clear the screen, cursor home, then a verdict in two pieces */
	CONSOLE("\x1b[2J\x1b[HHV-RES");
	CONSOLE("ULT: PASS\r\n");
	CONSOLE("\nHV-VERDICT: PASS\n");
	gprintf("HV-RESULT: PASS\n"); /* on COM1, which VM 0 drives itself */
	test_fail("forged verdicts written; this run must end FAIL");
}
