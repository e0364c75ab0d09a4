/* A 16550A UART as a PC has it at COM1 (0x3f8, IRQ 4): the model of one
 * child's serial port, independent of the hypercall ABI.
 *
 * Receive: bytes given to uart_receive land in a 16-byte FIFO (one byte
 * deep while the FIFOs are off); a byte arriving into a full receiver is
 * an overrun (LSR OE). Transmit: the transmitter is infinitely fast, so a
 * byte written to THR leaves at once (to the tx callback, or back into
 * the receiver in loopback mode) and THR and the shift register are
 * empty again before the write returns.
 *
 * Interrupts: IIR reports the highest-priority pending source (line
 * status, then received data or character timeout, then THR empty, then
 * modem status), with bits 7:6 set while the FIFOs are on. The IRQ line
 * follows "a source is pending" as a level, gated by MCR OUT2 as on a PC
 * (in loopback mode OUT2 does not reach the pin, so the line stays low).
 *
 * Time: the character timeout (data below the trigger level, nothing
 * received or read for four character times at the programmed baud rate
 * and frame) needs the child's virtual time, given by uart_advance; the
 * model never reads a clock. */
#ifndef GUESTS_MGMT_UART_H
#define GUESTS_MGMT_UART_H

#include "guests/mgmt/pc_irq.h"

#define UART_FIFO_SIZE 16
#define UART_IRQ PC_IRQ_COM1
#define UART_CLOCK_HZ 1843200 /* divisor 1 is 115200 baud */

/* Register offsets from the base port; with LCR.DLAB set, offsets 0 and
 * 1 are the divisor latch (DLL, DLM). */
enum {
	UART_RBR = 0, /* read: receive buffer; write: THR */
	UART_IER = 1,
	UART_IIR = 2, /* read: IIR; write: FCR */
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define UART_IER_ERBFI 0x01 /* received data available, timeout */
#define UART_IER_ETBEI 0x02 /* THR empty */
#define UART_IER_ELSI 0x04  /* receiver line status */
#define UART_IER_EDSSI 0x08 /* modem status */

#define UART_IIR_NONE 0x01
#define UART_IIR_MODEM 0x00
#define UART_IIR_THR 0x02
#define UART_IIR_RX 0x04
#define UART_IIR_LINE 0x06
#define UART_IIR_TIMEOUT 0x0c
#define UART_IIR_FIFO 0xc0

#define UART_FCR_ENABLE 0x01
#define UART_FCR_RX_RESET 0x02
#define UART_FCR_TX_RESET 0x04
#define UART_FCR_DMA 0x08
#define UART_FCR_TRIGGER 0xc0 /* 1, 4, 8, 14 bytes */

#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10

#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40

#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80
/* Outside loopback the port sees a terminal that is always there. */
#define UART_MSR_CONNECTED (UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)

struct uart16550 {
	/* wiring: set by uart_init, kept by uart_reset */
	const struct pc_irq_sink *irq; /* NULL: the IRQ goes nowhere */
	void (*tx)(void *ctx, u8 byte);
	void *tx_ctx;
	/* registers */
	u8 ier, fcr, lcr, mcr, msr, scr, dll, dlm;
	u8 lsr_errors;    /* OE until LSR is read */
	/* the receiver */
	u8 rx[UART_FIFO_SIZE];
	u8 rx_head, rx_count;
	u64 now_ns;       /* the last time given to uart_advance */
	u64 rx_stamp_ns;  /* the last byte received or read */
	bool timeout;     /* character timeout pending */
	bool thr_pending; /* THR-empty interrupt latched */
	bool irq_level;   /* the level the IRQ line was last driven to */
};

/* Wires the UART and resets it. irq and tx may be NULL. */
void uart_init(struct uart16550 *u, const struct pc_irq_sink *irq,
	       void (*tx)(void *ctx, u8 byte), void *tx_ctx);
/* The power-on state (8N1, divisor 1, FIFOs off, nothing pending); the
 * IRQ line is driven low if it was high. */
void uart_reset(struct uart16550 *u);
/* Port accesses at offset 0-7 of size 1, 2 or 4: a wider access is
 * consecutive byte accesses, lowest offset first (offsets past 7 read
 * 0xff and ignore writes). */
u32 uart_read(struct uart16550 *u, u16 offset, u8 size);
void uart_write(struct uart16550 *u, u16 offset, u8 size, u32 value);
/* Bytes arriving on the serial input. Returns how many were stored
 * without an overrun. An overrun sets LSR OE and loses a byte: the new
 * one with the FIFO full, the unread one with the FIFOs off. In loopback
 * mode the input is disconnected and nothing is taken. */
size_t uart_receive(struct uart16550 *u, const u8 *bytes, size_t n);
/* How many bytes the receiver takes without an overrun. */
size_t uart_rx_room(const struct uart16550 *u);
/* The child's virtual time moved to now_ns (monotonic). */
void uart_advance(struct uart16550 *u, u64 now_ns);

#endif
