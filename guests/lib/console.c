/* Guest console on COM1 (VM 0 reaches the UART directly) and the end of a
 * run through the hypervisor's exit port. */
#include "guests/lib/guest.h"
#include "lib/printf.h"
#include "lib/string.h"

#define COM1 0x3f8
#define LSR_THR_EMPTY 0x20

static void serial_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & LSR_THR_EMPTY); i++)
		;
	outb(COM1, (u8)c);
}

void gputs(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\n')
			serial_putc('\r');
		serial_putc(*p);
	}
}

/* At most 511 characters: longer text goes through gputs. */
void gprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	gputs(buf);
}

void guest_exit(u32 code)
{
	outl(HV_PORT_EXIT, code);
	for (;;)
		asm volatile("cli; hlt");
}
