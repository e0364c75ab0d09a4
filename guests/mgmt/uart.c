/* The 16550A UART model (uart.h): registers, the receive FIFO, the
 * interrupt sources and the IRQ level. Facts from the 16550A datasheet;
 * what a PC adds is OUT2 gating the IRQ line. */
#include "guests/mgmt/uart.h"
#include "lib/string.h"

#define IER_MASK 0x0f
#define MCR_MASK 0x1f
#define FCR_KEPT (UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIGGER)
#define MSR_DELTAS 0x0f
#define NS_PER_S 1000000000ULL

static bool fifo_on(const struct uart16550 *u)
{
	return u->fcr & UART_FCR_ENABLE;
}

static bool loopback(const struct uart16550 *u)
{
	return u->mcr & UART_MCR_LOOP;
}

static u8 rx_capacity(const struct uart16550 *u)
{
	return fifo_on(u) ? UART_FIFO_SIZE : 1;
}

static u8 rx_trigger(const struct uart16550 *u)
{
	static const u8 levels[4] = { 1, 4, 8, 14 };

	return fifo_on(u) ? levels[u->fcr >> 6] : 1;
}

/* Four character times of the current frame and baud rate, counted in
 * half bits for 1.5 stop bits. A divisor of 0 counts as 65536. */
static u64 timeout_ns(const struct uart16550 *u)
{
	u64 data = 5 + (u->lcr & 3), parity = (u->lcr >> 3) & 1;
	u64 stop2 = !(u->lcr & 4) ? 2 : data == 5 ? 3 : 4;
	u64 half_bits = 2 * (1 + data + parity) + stop2;
	u64 divisor = (u64)(u->dll | u->dlm << 8);

	if (!divisor)
		divisor = 65536;
	return 4 * half_bits * divisor * 8 * NS_PER_S / UART_CLOCK_HZ;
}

/* The modem status inputs: a connected terminal, or in loopback mode
 * the MCR outputs (DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD). */
static u8 modem_lines(const struct uart16550 *u)
{
	u8 m = u->mcr;

	if (!loopback(u))
		return UART_MSR_CONNECTED;
	return (m & UART_MCR_DTR ? UART_MSR_DSR : 0) |
	       (m & UART_MCR_RTS ? UART_MSR_CTS : 0) |
	       (m & UART_MCR_OUT1 ? UART_MSR_RI : 0) |
	       (m & UART_MCR_OUT2 ? UART_MSR_DCD : 0);
}

/* New modem lines: CTS, DSR and DCD changes set their delta bits, RI
 * only on its trailing edge (1 -> 0). */
static void msr_update(struct uart16550 *u)
{
	u8 old = u->msr, now = modem_lines(u), changed = old ^ now;
	u8 delta = old & MSR_DELTAS;

	if (changed & UART_MSR_CTS)
		delta |= UART_MSR_DCTS;
	if (changed & UART_MSR_DSR)
		delta |= UART_MSR_DDSR;
	if (changed & UART_MSR_DCD)
		delta |= UART_MSR_DDCD;
	if ((old & UART_MSR_RI) && !(now & UART_MSR_RI))
		delta |= UART_MSR_TERI;
	u->msr = now | delta;
}

/* The pending source of the highest priority, as IIR bits 3:0. */
static u8 iir_source(const struct uart16550 *u)
{
	if ((u->ier & UART_IER_ELSI) && u->lsr_errors)
		return UART_IIR_LINE;
	if ((u->ier & UART_IER_ERBFI) && u->rx_count >= rx_trigger(u))
		return UART_IIR_RX;
	if ((u->ier & UART_IER_ERBFI) && u->timeout)
		return UART_IIR_TIMEOUT;
	if ((u->ier & UART_IER_ETBEI) && u->thr_pending)
		return UART_IIR_THR;
	if ((u->ier & UART_IER_EDSSI) && (u->msr & MSR_DELTAS))
		return UART_IIR_MODEM;
	return UART_IIR_NONE;
}

/* Drives the IRQ line when its level changed: high while a source is
 * pending and OUT2 reaches the pin (set, and not in loopback mode). */
static void update_irq(struct uart16550 *u)
{
	bool out2 = (u->mcr & UART_MCR_OUT2) && !loopback(u);
	bool level = out2 && iir_source(u) != UART_IIR_NONE;

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	pc_irq_set(u->irq, UART_IRQ, level);
}

static void rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
	u->timeout = false;
}

/* One byte out of the shift register into the receiver; false on an
 * overrun. With the FIFO full the new byte is lost; with the FIFOs off
 * it replaces the unread one. */
static bool rx_push(struct uart16550 *u, u8 byte)
{
	u8 cap = rx_capacity(u);

	u->rx_stamp_ns = u->now_ns;
	u->timeout = false;
	if (u->rx_count == cap) {
		u->lsr_errors |= UART_LSR_OE;
		if (cap == 1)
			u->rx[u->rx_head] = byte;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = byte;
	u->rx_count++;
	return true;
}

static u8 rx_pop(struct uart16550 *u)
{
	u8 byte;

	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	u->rx_count--;
	u->rx_stamp_ns = u->now_ns;
	u->timeout = false;
	return byte;
}

void uart_init(struct uart16550 *u, const struct pc_irq_sink *irq,
	       void (*tx)(void *ctx, u8 byte), void *tx_ctx)
{
	memset(u, 0, sizeof(*u));
	u->irq = irq;
	u->tx = tx;
	u->tx_ctx = tx_ctx;
	uart_reset(u);
}

void uart_reset(struct uart16550 *u)
{
	u->ier = u->fcr = u->mcr = u->scr = u->dlm = u->lsr_errors = 0;
	u->lcr = 0x03; /* 8N1 */
	u->dll = 1;    /* 115200 baud */
	u->msr = UART_MSR_CONNECTED;
	rx_clear(u);
	u->rx_stamp_ns = u->now_ns;
	u->thr_pending = false;
	update_irq(u);
}

static void transmit(struct uart16550 *u, u8 byte)
{
	u->thr_pending = false;
	update_irq(u);
	if (loopback(u))
		rx_push(u, byte);
	else if (u->tx)
		u->tx(u->tx_ctx, byte);
	u->thr_pending = true; /* THR empty again */
}

static void write_ier(struct uart16550 *u, u8 v)
{
	bool etbei_set = (v & UART_IER_ETBEI) && !(u->ier & UART_IER_ETBEI);

	u->ier = v & IER_MASK;
	if (etbei_set)
		u->thr_pending = true; /* THR is always empty here */
}

/* FCR: bits other than the enable only count while it is written as 1;
 * turning the FIFOs on or off empties them. */
static void write_fcr(struct uart16550 *u, u8 v)
{
	bool on = v & UART_FCR_ENABLE;

	if (on != fifo_on(u) || (on && (v & UART_FCR_RX_RESET)))
		rx_clear(u);
	u->fcr = on ? v & FCR_KEPT : 0;
}

static void write_byte(struct uart16550 *u, u16 off, u8 v)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_RBR:
		if (dlab)
			u->dll = v;
		else
			transmit(u, v);
		break;
	case UART_IER:
		if (dlab)
			u->dlm = v;
		else
			write_ier(u, v);
		break;
	case UART_IIR:
		write_fcr(u, v);
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & MCR_MASK;
		msr_update(u);
		break;
	case UART_SCR:
		u->scr = v;
		break;
	default: /* LSR and MSR are read-only */
		break;
	}
	update_irq(u);
}

static u8 read_iir(struct uart16550 *u)
{
	u8 src = iir_source(u);

	if (src == UART_IIR_THR)
		u->thr_pending = false;
	return src | (fifo_on(u) ? UART_IIR_FIFO : 0);
}

static u8 read_lsr(struct uart16550 *u)
{
	u8 v = u->lsr_errors | UART_LSR_THRE | UART_LSR_TEMT;

	if (u->rx_count)
		v |= UART_LSR_DR;
	u->lsr_errors = 0;
	return v;
}

static u8 read_msr(struct uart16550 *u)
{
	u8 v = u->msr;

	u->msr &= ~MSR_DELTAS;
	return v;
}

static u8 read_byte(struct uart16550 *u, u16 off)
{
	bool dlab = u->lcr & UART_LCR_DLAB;
	u8 v;

	switch (off) {
	case UART_RBR:
		v = dlab ? u->dll : rx_pop(u);
		break;
	case UART_IER:
		v = dlab ? u->dlm : u->ier;
		break;
	case UART_IIR:
		v = read_iir(u);
		break;
	case UART_LCR:
		v = u->lcr;
		break;
	case UART_MCR:
		v = u->mcr;
		break;
	case UART_LSR:
		v = read_lsr(u);
		break;
	case UART_MSR:
		v = read_msr(u);
		break;
	default:
		v = u->scr;
		break;
	}
	update_irq(u);
	return v;
}

u32 uart_read(struct uart16550 *u, u16 offset, u8 size)
{
	u32 v = 0;

	for (u8 i = 0; i < size && i < 4; i++) {
		u16 off = (u16)(offset + i);
		u8 b = off < 8 ? read_byte(u, off) : 0xff;

		v |= (u32)b << (8 * i);
	}
	return v;
}

void uart_write(struct uart16550 *u, u16 offset, u8 size, u32 value)
{
	for (u8 i = 0; i < size && i < 4; i++) {
		u16 off = (u16)(offset + i);

		if (off < 8)
			write_byte(u, off, (u8)(value >> (8 * i)));
	}
}

size_t uart_receive(struct uart16550 *u, const u8 *bytes, size_t n)
{
	size_t taken = 0;

	if (loopback(u))
		return 0;
	for (size_t i = 0; i < n; i++)
		taken += rx_push(u, bytes[i]);
	update_irq(u);
	return taken;
}

size_t uart_rx_room(const struct uart16550 *u)
{
	return loopback(u) ? 0 : (size_t)(rx_capacity(u) - u->rx_count);
}

void uart_advance(struct uart16550 *u, u64 now_ns)
{
	u->now_ns = now_ns;
	if (fifo_on(u) && u->rx_count && !u->timeout &&
	    now_ns >= u->rx_stamp_ns &&
	    now_ns - u->rx_stamp_ns >= timeout_ns(u)) {
		u->timeout = true;
		update_irq(u);
	}
}
