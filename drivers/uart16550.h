/* 16550-compatible UART, polled, 8N1. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

#include "lib/types.h"

#define COM1_PORT 0x3f8
/* The registers and bits the 32-bit boot path's early messages use too. */
#define UART_REG_LCR 3
#define UART_REG_LSR 5
#define UART_LCR_8N1 0x03
#define UART_LSR_THR_EMPTY 0x20

struct uart16550 {
	u16 port;
	bool present; /* false when the scratch register test failed */
};

void uart16550_init(struct uart16550 *u, u16 port, u32 baud);
void uart16550_putc(struct uart16550 *u, char c);
/* Waits until the last character has left the shift register. */
void uart16550_flush(struct uart16550 *u);

#endif
