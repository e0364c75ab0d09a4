/* A 16550 UART at 0x3f8-0x3ff for each child: output only. THR bytes are
 * collected per VM and each complete line is printed on VM 0's console
 * as "[NAME] line". The transmitter is always empty (LSR 0x60), nothing
 * is ever received (RBR 0), no interrupt is pending (IIR 0x01). */
#include "guests/mgmt/mgmt.h"

enum {
	REG_DATA = 0, /* RBR/THR, DLL with DLAB */
	REG_IER = 1,  /* DLM with DLAB */
	REG_IIR = 2,  /* FCR on write */
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_MSR = 6,
	REG_SCR = 7,
};

#define LCR_DLAB 0x80
#define LSR_THR_EMPTY 0x60 /* THRE | TEMT */
#define IIR_NONE 0x01
#define IIR_FIFO 0xc0
#define FCR_ENABLE 0x01
#define MSR_IDLE 0xb0      /* DCD, DSR, CTS */
#define MCR_LOOP 0x10

void uart_reset(struct uart16550 *u)
{
	memset(u, 0, sizeof(*u));
	u->lcr = 0x03; /* 8N1 */
	u->dll = 1;    /* 115200 baud */
}

void uart_flush(struct child *c)
{
	struct uart16550 *u = &c->uart;

	if (!u->len)
		return;
	u->line[u->len] = '\0';
	if (!vmm_quiet)
		gprintf("[%s] %s\n", c->name, u->line);
	u->len = 0;
}

static void uart_putc(struct child *c, u8 ch)
{
	struct uart16550 *u = &c->uart;

	if (ch == '\n') {
		if (u->len)
			uart_flush(c);
		else if (!vmm_quiet)
			gprintf("[%s]\n", c->name);
		return;
	}
	if (ch == '\r')
		return;
	if (ch != '\t' && (ch < ' ' || ch > '~'))
		ch = '?';
	u->line[u->len++] = (char)ch;
	if (u->len == UART_LINE_MAX - 1)
		uart_flush(c);
}

u8 uart_in(struct child *c, u16 reg)
{
	struct uart16550 *u = &c->uart;
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		return dlab ? u->dll : 0;
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR:
		return IIR_NONE | ((u->fcr & FCR_ENABLE) ? IIR_FIFO : 0);
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return LSR_THR_EMPTY;
	case REG_MSR:
		return (u->mcr & MCR_LOOP) ? (u8)((u->mcr & 0x0f) << 4) : MSR_IDLE;
	default:
		return u->scr;
	}
}

void uart_out(struct child *c, u16 reg, u8 v)
{
	struct uart16550 *u = &c->uart;
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		if (dlab)
			u->dll = v;
		else if (!(u->mcr & MCR_LOOP))
			uart_putc(c, v);
		break;
	case REG_IER:
		if (dlab)
			u->dlm = v;
		else
			u->ier = v & 0x0f;
		break;
	case REG_IIR:
		u->fcr = v & 0xc9; /* FIFO enable, DMA mode, trigger; resets self-clear */
		break;
	case REG_LCR:
		u->lcr = v;
		break;
	case REG_MCR:
		u->mcr = v & 0x1f;
		break;
	case REG_SCR:
		u->scr = v;
		break;
	default: /* LSR and MSR are read-only */
		break;
	}
}
