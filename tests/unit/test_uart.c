/* The 16550A model (guests/mgmt/uart.c) against the datasheet's register
 * rules and against what Linux's 8250 driver does when it probes a port:
 * the IER and scratch tests, the loopback test (MCR 0x1a must read back
 * MSR 0x90 in bits 7:4), FIFO detection (FCR 0xe7, IIR bits 7:6 = 0xc0)
 * and autoconfig_irq's THR-empty interrupt on IRQ 4. */
#include "check.h"
#include "../../guests/mgmt/uart.c"

/* Everything the UART drove out: transmitted bytes and IRQ levels. */
struct wires {
	u8 tx[64];
	unsigned ntx;
	int levels[16]; /* 0/1 per set_irq call */
	unsigned nlevels;
	unsigned line;
};

static struct wires w;
static struct pc_irq_sink sink;

static void on_tx(void *ctx, u8 b)
{
	struct wires *x = ctx;

	if (x->ntx < sizeof(x->tx))
		x->tx[x->ntx++] = b;
}

static void on_irq(void *ctx, unsigned line, bool level)
{
	struct wires *x = ctx;

	x->line = line;
	if (x->nlevels < 16)
		x->levels[x->nlevels++] = level;
}

static struct uart16550 fresh(void)
{
	struct uart16550 u;

	memset(&w, 0, sizeof(w));
	sink = (struct pc_irq_sink){ .ctx = &w, .set_irq = on_irq };
	uart_init(&u, &sink, on_tx, &w);
	return u;
}

static u8 rd(struct uart16550 *u, u16 off)
{
	return (u8)uart_read(u, off, 1);
}

static void wr(struct uart16550 *u, u16 off, u8 v)
{
	uart_write(u, off, 1, v);
}

static void rx(struct uart16550 *u, const char *s)
{
	uart_receive(u, (const u8 *)s, strlen(s));
}

TEST(reset_state)
{
	struct uart16550 u = fresh();

	CHECK_EQ(rd(&u, UART_RBR), 0x00);
	CHECK_EQ(rd(&u, UART_IER), 0x00);
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
	CHECK_EQ(rd(&u, UART_LCR), 0x03);
	CHECK_EQ(rd(&u, UART_MCR), 0x00);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
	CHECK_EQ(rd(&u, UART_MSR), 0xb0);
	CHECK_EQ(rd(&u, UART_SCR), 0x00);
	wr(&u, UART_LCR, 0x83);
	CHECK_EQ(rd(&u, 0), 0x01); /* DLL: 115200 baud */
	CHECK_EQ(rd(&u, 1), 0x00); /* DLM */
	CHECK_EQ(w.nlevels, 0);
}

/* autoconfig_8250: SCR keeps what is written. */
TEST(scratch_register)
{
	struct uart16550 u = fresh();

	wr(&u, UART_SCR, 0xa5);
	CHECK_EQ(rd(&u, UART_SCR), 0xa5);
	wr(&u, UART_SCR, 0x5a);
	CHECK_EQ(rd(&u, UART_SCR), 0x5a);
}

/* autoconfig: IER 0 reads 0, IER 0x0f reads 0x0f; bits 7:4 read 0. */
TEST(ier_probe)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IER, 0x00);
	CHECK_EQ(rd(&u, UART_IER), 0x00);
	wr(&u, UART_IER, 0x0f);
	CHECK_EQ(rd(&u, UART_IER), 0x0f);
	wr(&u, UART_IER, 0xff);
	CHECK_EQ(rd(&u, UART_IER), 0x0f);
}

TEST(lcr_and_mcr_bits)
{
	struct uart16550 u = fresh();

	wr(&u, UART_LCR, 0x5b);
	CHECK_EQ(rd(&u, UART_LCR), 0x5b);
	wr(&u, UART_MCR, 0xff);
	CHECK_EQ(rd(&u, UART_MCR), 0x1f);
	wr(&u, UART_MCR, 0x0b);
	CHECK_EQ(rd(&u, UART_MCR), 0x0b);
}

TEST(divisor_latch)
{
	struct uart16550 u = fresh();

	wr(&u, UART_LCR, 0x83);
	wr(&u, 0, 0x0c);
	wr(&u, 1, 0x02);
	CHECK_EQ(rd(&u, 0), 0x0c);
	CHECK_EQ(rd(&u, 1), 0x02);
	CHECK_EQ(w.ntx, 0); /* DLL writes are not transmitted */
	wr(&u, UART_LCR, 0x03);
	CHECK_EQ(rd(&u, UART_IER), 0x00);
	wr(&u, UART_IER, 0x05);
	wr(&u, UART_LCR, 0x83);
	CHECK_EQ(rd(&u, 1), 0x02);
	wr(&u, UART_LCR, 0x03);
	CHECK_EQ(rd(&u, UART_IER), 0x05);
}

TEST(wide_access_is_bytes_in_order)
{
	struct uart16550 u = fresh();

	wr(&u, UART_LCR, 0x80);
	uart_write(&u, 0, 2, 0x0201);
	CHECK_EQ(uart_read(&u, 0, 2), 0x0201);
	wr(&u, UART_LCR, 0x03);
	wr(&u, UART_SCR, 0x42);
	CHECK_EQ(uart_read(&u, UART_SCR, 2), 0xff42);
	CHECK_EQ(uart_read(&u, UART_LCR, 4), 0xb0600003); /* LCR MCR LSR MSR */
}

/* Linux's loopback test: MCR LOOP|OUT2|RTS, MSR bits 7:4 must be
 * DCD|CTS; DSR dropping on entry is a delta (DDSR), cleared by reading. */
TEST(loopback_probe_linux)
{
	struct uart16550 u = fresh();

	wr(&u, UART_MCR, 0x1a);
	CHECK_EQ(rd(&u, UART_MSR), 0x92);
	CHECK_EQ(rd(&u, UART_MSR), 0x90);
	wr(&u, UART_MCR, 0x00);
	CHECK_EQ(rd(&u, UART_MSR), 0xb2);
	CHECK_EQ(rd(&u, UART_MSR), 0xb0);
}

/* DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD; RI's delta on its fall only. */
TEST(loopback_modem_lines_follow_mcr)
{
	struct uart16550 u = fresh();

	wr(&u, UART_MCR, 0x11);
	CHECK_EQ(rd(&u, UART_MSR), 0x29); /* DSR; CTS, DCD fell */
	wr(&u, UART_MCR, 0x12);
	CHECK_EQ(rd(&u, UART_MSR), 0x13);
	wr(&u, UART_MCR, 0x14);
	CHECK_EQ(rd(&u, UART_MSR), 0x41); /* RI rising: no TERI */
	wr(&u, UART_MCR, 0x18);
	CHECK_EQ(rd(&u, UART_MSR), 0x8c); /* RI falling: TERI */
	wr(&u, UART_MCR, 0x1f);
	CHECK_EQ(rd(&u, UART_MSR), 0xf3);
	wr(&u, UART_MCR, 0x10);
	CHECK_EQ(rd(&u, UART_MSR), 0x0f);
}

TEST(loopback_tx_returns_to_rx)
{
	struct uart16550 u = fresh();

	wr(&u, UART_MCR, 0x10);
	wr(&u, UART_RBR, 0x55);
	CHECK_EQ(w.ntx, 0);
	CHECK_EQ(rd(&u, UART_LSR), 0x61);
	CHECK_EQ(rd(&u, UART_RBR), 0x55);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

TEST(loopback_disconnects_input)
{
	struct uart16550 u = fresh();
	const u8 b = 'x';

	wr(&u, UART_MCR, 0x10);
	CHECK_EQ(uart_rx_room(&u), 0);
	CHECK_EQ(uart_receive(&u, &b, 1), 0);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

/* autoconfig: FCR 0xe7 (FIFO on, both resets, trigger 14, the 16750's
 * 64-byte bit) reads IIR 0xc1: a 16550A (bits 7:6 set), not a 16750
 * (bit 5 clear). FIFOs off again: bits 7:6 clear. */
TEST(fifo_detection)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IIR, 0xe7);
	CHECK_EQ(rd(&u, UART_IIR), 0xc1);
	CHECK_EQ(rd(&u, UART_IIR) & 0xc0, 0xc0);
	wr(&u, UART_IIR, 0x00);
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
	wr(&u, UART_IIR, 0x01);
	CHECK_EQ(rd(&u, UART_IIR) >> 6, 3);
	/* IIR reads the same with DLAB set (autoconfig_16550a's EFR probe) */
	wr(&u, UART_LCR, 0xbf);
	CHECK_EQ(rd(&u, UART_IIR), 0xc1);
}

TEST(tx_goes_out_thr_stays_empty)
{
	struct uart16550 u = fresh();

	wr(&u, UART_RBR, 'h');
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
	wr(&u, UART_RBR, 'i');
	wr(&u, UART_RBR, '\n');
	CHECK_EQ(w.ntx, 3);
	CHECK(memcmp(w.tx, "hi\n", 3) == 0);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

TEST(rx_data_ready)
{
	struct uart16550 u = fresh();

	rx(&u, "a");
	CHECK_EQ(rd(&u, UART_LSR), 0x61);
	CHECK_EQ(rd(&u, UART_RBR), 'a');
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
	CHECK_EQ(rd(&u, UART_RBR), 0x00);
}

TEST(rx_fifo_holds_16_in_order)
{
	struct uart16550 u = fresh();
	const char *s = "0123456789abcdef";

	wr(&u, UART_IIR, 0x01);
	CHECK_EQ(uart_rx_room(&u), 16);
	CHECK_EQ(uart_receive(&u, (const u8 *)s, 16), 16);
	CHECK_EQ(uart_rx_room(&u), 0);
	CHECK_EQ(rd(&u, UART_LSR), 0x61);
	for (int i = 0; i < 16; i++)
		CHECK_EQ(rd(&u, UART_RBR), (u8)s[i]);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

/* FIFO full: the 17th byte is lost, OE set until LSR is read. */
TEST(rx_overrun_fifo)
{
	struct uart16550 u = fresh();
	const char *s = "0123456789abcdefX";

	wr(&u, UART_IIR, 0x01);
	CHECK_EQ(uart_receive(&u, (const u8 *)s, 17), 16);
	CHECK_EQ(rd(&u, UART_LSR), 0x63);
	CHECK_EQ(rd(&u, UART_LSR), 0x61);
	for (int i = 0; i < 16; i++)
		CHECK_EQ(rd(&u, UART_RBR), (u8)s[i]);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

/* FIFOs off: one byte deep, the new byte replaces the unread one. */
TEST(rx_overrun_without_fifo)
{
	struct uart16550 u = fresh();

	CHECK_EQ(uart_rx_room(&u), 1);
	CHECK_EQ(uart_receive(&u, (const u8 *)"ab", 2), 1);
	CHECK_EQ(rd(&u, UART_LSR), 0x63);
	CHECK_EQ(rd(&u, UART_RBR), 'b');
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

TEST(fcr_rx_reset_empties_fifo)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IIR, 0x01);
	rx(&u, "hello");
	wr(&u, UART_IIR, 0x05); /* TX reset only */
	CHECK_EQ(rd(&u, UART_LSR), 0x61);
	wr(&u, UART_IIR, 0x03);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
	CHECK_EQ(uart_rx_room(&u), 16);
}

TEST(fcr_enable_change_empties_fifo)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IIR, 0x01);
	rx(&u, "abc");
	wr(&u, UART_IIR, 0x00);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
	rx(&u, "d");
	wr(&u, UART_IIR, 0x01);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
	rx(&u, "e");
	wr(&u, UART_IIR, 0xc1); /* still on: kept */
	CHECK_EQ(rd(&u, UART_RBR), 'e');
}

/* Received-data interrupt at the trigger level: 1, 4, 8, 14. */
TEST(fcr_trigger_levels)
{
	static const u8 fcr[4] = { 0x01, 0x41, 0x81, 0xc1 };
	static const int level[4] = { 1, 4, 8, 14 };

	for (int t = 0; t < 4; t++) {
		struct uart16550 u = fresh();

		wr(&u, UART_IIR, fcr[t]);
		wr(&u, UART_IER, UART_IER_ERBFI);
		for (int i = 0; i < level[t] - 1; i++)
			rx(&u, "x");
		CHECK_EQ(rd(&u, UART_IIR), 0xc1);
		rx(&u, "x");
		CHECK_EQ(rd(&u, UART_IIR), 0xc4);
		rd(&u, UART_RBR);
		CHECK_EQ(rd(&u, UART_IIR), 0xc1);
	}
}

TEST(rx_interrupt_without_fifo)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IER, UART_IER_ERBFI);
	rx(&u, "z");
	CHECK_EQ(rd(&u, UART_IIR), 0x04);
	CHECK_EQ(rd(&u, UART_RBR), 'z');
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
}

/* 8N1 at 115200: four characters are 40 bits, 347222 ns. */
TEST(char_timeout_after_four_chars)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IIR, 0x81); /* trigger 8 */
	wr(&u, UART_IER, UART_IER_ERBFI);
	uart_advance(&u, 1000);
	rx(&u, "ab");
	uart_advance(&u, 1000 + 347221);
	CHECK_EQ(rd(&u, UART_IIR), 0xc1);
	uart_advance(&u, 1000 + 347222);
	CHECK_EQ(rd(&u, UART_IIR), 0xcc);
	CHECK_EQ(rd(&u, UART_IIR), 0xcc); /* reading IIR does not clear it */
	/* a read clears it and restarts the count */
	CHECK_EQ(rd(&u, UART_RBR), 'a');
	CHECK_EQ(rd(&u, UART_IIR), 0xc1);
	uart_advance(&u, 1000 + 2 * 347222 - 1);
	CHECK_EQ(rd(&u, UART_IIR), 0xc1);
	uart_advance(&u, 1000 + 2 * 347222);
	CHECK_EQ(rd(&u, UART_IIR), 0xcc);
	CHECK_EQ(rd(&u, UART_RBR), 'b');
	uart_advance(&u, 10000000);
	CHECK_EQ(rd(&u, UART_IIR), 0xc1); /* empty: no timeout */
}

TEST(char_timeout_restarts_on_receive)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IIR, 0xc1);
	wr(&u, UART_IER, UART_IER_ERBFI);
	rx(&u, "a");
	uart_advance(&u, 300000);
	rx(&u, "b");
	uart_advance(&u, 347222);
	CHECK_EQ(rd(&u, UART_IIR), 0xc1);
	uart_advance(&u, 300000 + 347222);
	CHECK_EQ(rd(&u, UART_IIR), 0xcc);
}

/* The time follows the divisor and the frame: 9600 7E1 is 10 bits per
 * character, 5N1.5 is 7.5 bits. */
TEST(char_timeout_follows_baud_and_frame)
{
	struct uart16550 u = fresh();

	wr(&u, UART_LCR, 0x80);
	wr(&u, 0, 12);
	wr(&u, UART_LCR, 0x1a);
	CHECK_EQ(timeout_ns(&u), 4166666);
	wr(&u, UART_LCR, 0x80);
	wr(&u, 0, 1);
	wr(&u, UART_LCR, 0x04);
	CHECK_EQ(timeout_ns(&u), 260416);
	wr(&u, UART_LCR, 0x07); /* 8N2: 11 bits */
	CHECK_EQ(timeout_ns(&u), 381944);
}

TEST(no_char_timeout_without_fifo)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IER, UART_IER_ERBFI);
	rx(&u, "a");
	uart_advance(&u, 100000000);
	CHECK_EQ(rd(&u, UART_IIR), 0x04);
}

/* Line status > received data > THR empty > modem status. */
TEST(iir_priorities)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IIR, 0x01);
	wr(&u, UART_MCR, 0x10);   /* loopback: CTS, DSR, DCD fall */
	wr(&u, UART_IER, 0x0f);
	for (int i = 0; i < 17; i++)
		wr(&u, UART_RBR, (u8)('A' + i));
	CHECK_EQ(rd(&u, UART_IIR), 0xc6);
	CHECK_EQ(rd(&u, UART_LSR), 0x63);
	CHECK_EQ(rd(&u, UART_IIR), 0xc4);
	for (int i = 0; i < 16; i++)
		CHECK_EQ(rd(&u, UART_RBR), (u8)('A' + i));
	CHECK_EQ(rd(&u, UART_IIR), 0xc2); /* and this read clears it */
	CHECK_EQ(rd(&u, UART_IIR), 0xc0);
	CHECK_EQ(rd(&u, UART_MSR), 0x0b);
	CHECK_EQ(rd(&u, UART_IIR), 0xc1);
}

TEST(line_status_interrupt)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IER, UART_IER_ELSI);
	rx(&u, "ab");
	CHECK_EQ(rd(&u, UART_IIR), 0x06);
	CHECK_EQ(rd(&u, UART_LSR), 0x63);
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
}

TEST(modem_status_interrupt)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IER, UART_IER_EDSSI);
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
	wr(&u, UART_MCR, 0x12);
	CHECK_EQ(rd(&u, UART_IIR), 0x00);
	CHECK_EQ(rd(&u, UART_MSR), 0x1a);
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
}

/* ETBEI going 0 -> 1 with THR empty raises the interrupt; reading IIR
 * while it is the source clears it; writing IER with ETBEI already set
 * does not raise it again. */
TEST(thre_raised_by_etbei_cleared_by_iir_read)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IER, UART_IER_ETBEI);
	CHECK_EQ(rd(&u, UART_IIR), 0x02);
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
	wr(&u, UART_IER, UART_IER_ETBEI);
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
	wr(&u, UART_IER, 0);
	wr(&u, UART_IER, UART_IER_ETBEI);
	CHECK_EQ(rd(&u, UART_IIR), 0x02);
}

/* Writing THR clears the THR-empty interrupt; the byte leaves at once,
 * THR is empty again and the interrupt comes back: the IRQ line falls
 * and rises (an edge for an edge-triggered controller). */
TEST(thre_cleared_by_thr_write_then_raised)
{
	struct uart16550 u = fresh();

	wr(&u, UART_MCR, UART_MCR_OUT2);
	wr(&u, UART_IER, UART_IER_ETBEI);
	CHECK_EQ(w.nlevels, 1);
	CHECK_EQ(w.levels[0], 1);
	wr(&u, UART_RBR, 'q');
	CHECK_EQ(w.nlevels, 3);
	CHECK_EQ(w.levels[1], 0);
	CHECK_EQ(w.levels[2], 1);
	CHECK_EQ(rd(&u, UART_IIR), 0x02);
	CHECK_EQ(w.nlevels, 4);
	CHECK_EQ(w.levels[3], 0);
	CHECK_EQ(w.line, UART_IRQ);
	/* without ETBEI the write latches it for when ETBEI is set */
	wr(&u, UART_IER, 0);
	wr(&u, UART_RBR, 'r');
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
	CHECK_EQ(w.nlevels, 4);
}

/* A PC: the IRQ reaches the controller only while OUT2 is set. */
TEST(out2_gates_irq)
{
	struct uart16550 u = fresh();

	wr(&u, UART_IER, UART_IER_ERBFI);
	rx(&u, "k");
	CHECK_EQ(rd(&u, UART_IIR), 0x04);
	CHECK_EQ(w.nlevels, 0);
	wr(&u, UART_MCR, UART_MCR_OUT2);
	CHECK_EQ(w.nlevels, 1);
	CHECK_EQ(w.levels[0], 1);
	CHECK_EQ(w.line, 4);
	wr(&u, UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
	CHECK_EQ(w.nlevels, 2);
	CHECK_EQ(w.levels[1], 0);
	wr(&u, UART_MCR, UART_MCR_OUT2);
	rd(&u, UART_RBR); /* source gone: line low */
	CHECK_EQ(w.nlevels, 4);
	CHECK_EQ(w.levels[3], 0);
}

TEST(loopback_keeps_irq_low)
{
	struct uart16550 u = fresh();

	wr(&u, UART_MCR, UART_MCR_OUT2 | UART_MCR_LOOP);
	wr(&u, UART_IER, 0x0f);
	wr(&u, UART_RBR, 'x');
	CHECK_EQ(rd(&u, UART_IIR), 0x04);
	CHECK_EQ(w.nlevels, 0);
}

/* Linux's autoconfig_irq: MCR OUT1|OUT2, MCR 0, MCR DTR|RTS|OUT2, IER
 * 0x0f, read LSR RBR IIR MSR, write THR 0xff: IRQ 4 must be raised. */
TEST(autoconfig_irq_thre)
{
	struct uart16550 u = fresh();

	wr(&u, UART_MCR, 0x0c);
	wr(&u, UART_MCR, 0x00);
	wr(&u, UART_MCR, 0x0b);
	wr(&u, UART_IER, 0x0f);
	rd(&u, UART_LSR);
	rd(&u, UART_RBR);
	rd(&u, UART_IIR); /* takes the THR interrupt raised by ETBEI */
	rd(&u, UART_MSR);
	wr(&u, UART_RBR, 0xff);
	CHECK(u.irq_level);
	CHECK_EQ(w.line, 4);
	CHECK_EQ(w.levels[w.nlevels - 1], 1);
	CHECK_EQ(rd(&u, UART_IIR), 0x02);
	CHECK_EQ(w.ntx, 1);
	CHECK_EQ(w.tx[0], 0xff);
	wr(&u, UART_IER, 0);
	CHECK(!u.irq_level);
}

TEST(reset_keeps_wiring_lowers_irq)
{
	struct uart16550 u = fresh();

	wr(&u, UART_MCR, UART_MCR_OUT2);
	wr(&u, UART_IER, UART_IER_ETBEI);
	CHECK(u.irq_level);
	wr(&u, UART_SCR, 0x77);
	uart_reset(&u);
	CHECK(!u.irq_level);
	CHECK_EQ(w.levels[w.nlevels - 1], 0);
	CHECK_EQ(rd(&u, UART_SCR), 0);
	CHECK_EQ(rd(&u, UART_IIR), 0x01);
	wr(&u, UART_RBR, 'w');
	CHECK_EQ(w.tx[w.ntx - 1], 'w');
}

TEST(unwired_uart_works)
{
	struct uart16550 u;

	uart_init(&u, NULL, NULL, NULL);
	wr(&u, UART_MCR, UART_MCR_OUT2);
	wr(&u, UART_IER, UART_IER_ETBEI);
	wr(&u, UART_RBR, 'x');
	CHECK_EQ(rd(&u, UART_IIR), 0x02);
	CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

RUN_TESTS("uart",
	  T(reset_state), T(scratch_register), T(ier_probe),
	  T(lcr_and_mcr_bits), T(divisor_latch),
	  T(wide_access_is_bytes_in_order), T(loopback_probe_linux),
	  T(loopback_modem_lines_follow_mcr), T(loopback_tx_returns_to_rx),
	  T(loopback_disconnects_input), T(fifo_detection),
	  T(tx_goes_out_thr_stays_empty), T(rx_data_ready),
	  T(rx_fifo_holds_16_in_order), T(rx_overrun_fifo),
	  T(rx_overrun_without_fifo), T(fcr_rx_reset_empties_fifo),
	  T(fcr_enable_change_empties_fifo), T(fcr_trigger_levels),
	  T(rx_interrupt_without_fifo), T(char_timeout_after_four_chars),
	  T(char_timeout_restarts_on_receive),
	  T(char_timeout_follows_baud_and_frame),
	  T(no_char_timeout_without_fifo), T(iir_priorities),
	  T(line_status_interrupt), T(modem_status_interrupt),
	  T(thre_raised_by_etbei_cleared_by_iir_read),
	  T(thre_cleared_by_thr_write_then_raised), T(out2_gates_irq),
	  T(loopback_keeps_irq_low), T(autoconfig_irq_thre),
	  T(reset_keeps_wiring_lowers_irq), T(unwired_uart_works))
