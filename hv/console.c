#include "hv/console.h"
#include "drivers/debugcon.h"
#include "drivers/uart16550.h"
#include "hv/console_line.h"

static bool debugcon_enabled;
static struct console_line line;

void console_init(void)
{
	uart16550_init();
}

void console_set_debugcon(bool on)
{
	debugcon_enabled = on;
}

static void console_putc(char c)
{
	if (c == '\n')
		uart16550_putc('\r');
	uart16550_putc(c);
	if (debugcon_enabled)
		debugcon_putc(c);
}

void console_write(const char *s, size_t n)
{
	line_put_hv(&line, s, n, console_putc);
}

void console_write_guest(u32 vm, const char *name, const char *s, size_t n)
{
	line_put_guest(&line, vm, name, s, n, console_putc);
}

void console_begin_line(void)
{
	line_end(&line, console_putc);
}

void console_flush(void)
{
	uart16550_flush();
}
