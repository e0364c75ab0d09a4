/* The 16550-compatible UART on COM1, polled, 8N1 at 115200 baud: the
 * hypervisor's console. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

#include "lib/types.h"

#define COM1_PORT 0x3f8
/* The registers and bits the 32-bit boot path's early messages use too. */
#define UART_REG_LCR 3
#define UART_REG_LSR 5
#define UART_LCR_8N1 0x03
#define UART_LSR_THR_EMPTY 0x20

/* Programs the UART; without one (the scratch register test fails) the
 * other calls do nothing. */
void uart16550_init(void);
void uart16550_putc(char c);
/* Waits until the last character has left the shift register. */
void uart16550_flush(void);

#endif
