/* A child that never exits: it must be preempted (time slices) and can
 * only end by its VMM stopping it. It spins with interrupts disabled, the
 * hard case; with "sti" on its command line it spins with them enabled
 * (Bochs 2.7 only takes an interrupt out of a guest that has IF set). */
#include "guests/lib/test.h"
#include "lib/string.h"

const char test_title[] = "Spinning forever";

static bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = line; *p; p++)
		if (!strncmp(p, word, n) && (p == line || p[-1] == ' ') &&
		    (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

void test_main(void)
{
	volatile u64 n = 0;
	bool sti = has_word(boot_info->cmdline, "sti");

	gprintf("spinning without exits, interrupts %s\n", sti ? "enabled" : "disabled");
	if (sti)
		asm volatile("sti");
	for (;;)
		n++;
}
