#include "hv/console.h"
#include "drivers/debugcon.h"
#include "drivers/uart16550.h"

#define CONSOLE_UART_PORT 0x3f8
#define CONSOLE_BAUD 115200

static struct uart16550 console_uart;
static bool debugcon_enabled;

void console_init(void)
{
	uart16550_init(&console_uart, CONSOLE_UART_PORT, CONSOLE_BAUD);
}

void console_set_debugcon(bool on)
{
	debugcon_enabled = on;
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart16550_putc(&console_uart, '\r');
		uart16550_putc(&console_uart, s[i]);
		if (debugcon_enabled)
			debugcon_putc(s[i]);
	}
}

void console_flush(void)
{
	uart16550_flush(&console_uart);
}
