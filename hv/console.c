#include "hv/console.h"
#include "arch/x86/io.h"
#include "drivers/debugcon.h"
#include "drivers/uart16550.h"
#include "hv/console_line.h"

#define UART_LCR_DLAB 0x80 /* port 0 is the divisor's low byte */

static bool debugcon_enabled;
/* Each stream's line: the UART's, and the mirror's on port 0xE9, which
 * also carries VM 0's own COM1 output. */
static struct console_line uart_line, mirror_line; /* guarded by hv_lock (hv/lock.h) */

void console_init(void)
{
	uart16550_init();
}

void console_set_debugcon(bool on)
{
	debugcon_enabled = on;
}

bool console_mirrors_vm0(void)
{
	return debugcon_enabled;
}

static void uart_put(char c)
{
	if (c == '\n')
		uart16550_putc('\r');
	uart16550_putc(c);
}

static void mirror_put(char c)
{
	debugcon_putc(c);
}

void console_write(const char *s, size_t n)
{
	line_put_hv(&uart_line, s, n, uart_put);
	if (debugcon_enabled)
		line_put_hv(&mirror_line, s, n, mirror_put);
}

void console_write_guest(u32 vm, const char *name, const char *s, size_t n)
{
	line_put_guest(&uart_line, vm, name, s, n, uart_put);
	if (debugcon_enabled)
		line_put_guest(&mirror_line, vm, name, s, n, mirror_put);
}

void console_begin_line(void)
{
	line_end(&uart_line, uart_put);
	if (debugcon_enabled)
		line_end(&mirror_line, mirror_put);
}

/* A wider access is the bus's byte accesses, lowest port first. */
u32 console_vm0_com1_read(u8 size)
{
	u32 v = 0;

	for (u8 i = 0; i < size; i++)
		v |= (u32)inb(COM1_PORT + i) << (8 * i);
	return v;
}

/* The byte for the transmit register goes out as VM 0 wrote it and into
 * the mirror as its text (the serial line's CRs left out). */
void console_vm0_com1_write(u32 vm, const char *name, u8 size, u32 v)
{
	char c = (char)v;

	if (!(inb(COM1_PORT + UART_REG_LCR) & UART_LCR_DLAB) && c != '\r')
		line_put_guest(&mirror_line, vm, name, &c, 1, mirror_put);
	for (u8 i = 0; i < size; i++)
		outb(COM1_PORT + i, (u8)(v >> (8 * i)));
}

void console_flush(void)
{
	uart16550_flush();
}
