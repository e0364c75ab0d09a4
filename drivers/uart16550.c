#include "drivers/uart16550.h"
#include "arch/x86/io.h"

#define REG_DATA 0
#define REG_IER 1
#define REG_DLL 0
#define REG_DLM 1
#define REG_FCR 2
#define REG_MCR 4
#define REG_SCR 7

#define DIVISOR_115200 1 /* of the 115200 Hz UART clock */
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0xc7
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_TX_IDLE 0x40

/* Polls at most this often per character: a UART that never drains (or is
 * absent) must not hang the hypervisor. */
#define UART_TX_SPINS 100000

static bool present; /* false when the scratch register test failed */

static bool uart_scratch_works(void)
{
	outb(COM1_PORT + REG_SCR, 0x5a);
	if (inb(COM1_PORT + REG_SCR) != 0x5a)
		return false;
	outb(COM1_PORT + REG_SCR, 0xa5);
	return inb(COM1_PORT + REG_SCR) == 0xa5;
}

void uart16550_init(void)
{
	present = uart_scratch_works();
	if (!present)
		return;
	outb(COM1_PORT + REG_IER, 0);
	outb(COM1_PORT + UART_REG_LCR, LCR_DLAB);
	outb(COM1_PORT + REG_DLL, DIVISOR_115200);
	outb(COM1_PORT + REG_DLM, 0);
	outb(COM1_PORT + UART_REG_LCR, UART_LCR_8N1);
	outb(COM1_PORT + REG_FCR, FCR_ENABLE_CLEAR);
	outb(COM1_PORT + REG_MCR, MCR_DTR_RTS_OUT2);
}

static void uart_wait_lsr(u8 bit)
{
	for (int i = 0; i < UART_TX_SPINS; i++)
		if (inb(COM1_PORT + UART_REG_LSR) & bit)
			return;
}

void uart16550_putc(char c)
{
	if (!present)
		return;
	uart_wait_lsr(UART_LSR_THR_EMPTY);
	outb(COM1_PORT + REG_DATA, (u8)c);
}

void uart16550_flush(void)
{
	if (present)
		uart_wait_lsr(LSR_TX_IDLE);
}
