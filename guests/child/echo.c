/* A console child for `vm console`: it polls its UART (COM1: LSR data
 * ready, then RBR), echoes each byte it receives, and at a carriage
 * return prints "line N: TEXT". A line "exit" ends it with success.
 * With "tick=P" on its command line it also prints "tick N" every P
 * polls, only while no line is half typed, so that whoever watches can
 * see it keep running without a tick breaking an echoed line. */
#include "guests/lib/test.h"
#include "lib/string.h"

#define COM1 0x3f8
#define LSR 5
#define LSR_DATA_READY 0x01
#define LINE_LEN 64

const char test_title[] = "Echo";

/* P of "tick=P" on the command line; 0 when there is none. */
static u64 tick_polls(void)
{
	const char *p = boot_info->cmdline;
	u64 n = 0;

	while (*p && strncmp(p, "tick=", 5))
		p++;
	if (!*p)
		return 0;
	for (p += 5; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (u64)(*p - '0');
	return n;
}

static int poll_byte(void)
{
	if (!(inb(COM1 + LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1);
}

/* Echoes c and adds it to the line; true when the line "exit" ended. */
static bool take_byte(int c, char *line, u32 *len, u32 *lines)
{
	if (c == '\n' && !*len) /* the second half of CR LF */
		return false;
	if (c != '\r' && c != '\n') {
		outb(COM1, (u8)c);
		if (*len < LINE_LEN - 1)
			line[(*len)++] = (char)c;
		return false;
	}
	line[*len] = '\0';
	gprintf("\nline %u: %s\n", ++*lines, line);
	*len = 0;
	return !strcmp(line, "exit");
}

void test_main(void)
{
	u64 every = tick_polls(), polls = 0, ticks = 0;
	char line[LINE_LEN];
	u32 len = 0, lines = 0;
	int c;

	gprintf("echo: ready\n");
	for (;;) {
		if ((c = poll_byte()) >= 0 && take_byte(c, line, &len, &lines))
			return;
		if (every && ++polls % every == 0 && !len)
			gprintf("tick %llu\n", (unsigned long long)++ticks);
	}
}
