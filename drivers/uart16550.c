#include "drivers/uart16550.h"
#include "arch/x86/io.h"

#define UART_CLOCK 115200
#define REG_DATA 0
#define REG_IER 1
#define REG_DLL 0
#define REG_DLM 1
#define REG_FCR 2
#define REG_MCR 4
#define REG_SCR 7

#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0xc7
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_TX_IDLE 0x40

/* Polls at most this often per character: a UART that never drains (or is
 * absent) must not hang the hypervisor. */
#define UART_TX_SPINS 100000

static bool uart_scratch_works(u16 port)
{
	outb(port + REG_SCR, 0x5a);
	if (inb(port + REG_SCR) != 0x5a)
		return false;
	outb(port + REG_SCR, 0xa5);
	return inb(port + REG_SCR) == 0xa5;
}

void uart16550_init(struct uart16550 *u, u16 port, u32 baud)
{
	u16 divisor = UART_CLOCK / baud;

	u->port = port;
	u->present = uart_scratch_works(port);
	if (!u->present)
		return;
	outb(port + REG_IER, 0);
	outb(port + UART_REG_LCR, LCR_DLAB);
	outb(port + REG_DLL, divisor & 0xff);
	outb(port + REG_DLM, divisor >> 8);
	outb(port + UART_REG_LCR, UART_LCR_8N1);
	outb(port + REG_FCR, FCR_ENABLE_CLEAR);
	outb(port + REG_MCR, MCR_DTR_RTS_OUT2);
}

static void uart_wait_lsr(struct uart16550 *u, u8 bit)
{
	for (int i = 0; i < UART_TX_SPINS; i++)
		if (inb(u->port + UART_REG_LSR) & bit)
			return;
}

void uart16550_putc(struct uart16550 *u, char c)
{
	if (!u->present)
		return;
	uart_wait_lsr(u, UART_LSR_THR_EMPTY);
	outb(u->port + REG_DATA, (u8)c);
}

void uart16550_flush(struct uart16550 *u)
{
	if (u->present)
		uart_wait_lsr(u, LSR_TX_IDLE);
}
