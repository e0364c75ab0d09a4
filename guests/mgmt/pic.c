/* The 8259A pair of a PC (see pic.h), after the 8259A datasheet:
 *
 * - Priority: input `top` has the highest priority, then top+1 and so
 *   on around to top+7; rotation moves `top`.
 * - A request is granted when it is unmasked and of higher priority
 *   than every in-service input. In special mask mode the in-service
 *   inputs block nothing but themselves; in special fully nested mode
 *   the master's cascade input does not block a new request on itself.
 * - An edge-triggered input latches IRR on its rising edge until the
 *   acknowledge (a pulse is enough); a level-triggered one (ELCR) has
 *   IRR follow the line, so a line that falls before the acknowledge
 *   leaves a spurious IR7.
 * - The slave's INT drives the master's IR2 as an edge input; after an
 *   acknowledge through the cascade the master sees the slave's INT
 *   afresh, so a slave still requesting is requested again.
 * - ICW1's LTIM bit is ignored: the ELCR decides, as on PIIX. */
#include "guests/mgmt/pic.h"

enum {
	ICW1 = 0x10,      /* even port, bit 4: initialization */
	ICW1_IC4 = 0x01,
	ICW1_SNGL = 0x02,
	OCW3 = 0x08,      /* even port, bit 3 (bit 4 clear) */
	OCW3_RIS = 0x01,
	OCW3_RR = 0x02,
	OCW3_POLL = 0x04,
	OCW3_SMM = 0x20,
	OCW3_ESMM = 0x40,
	ICW4_AEOI = 0x02,
	ICW4_SFNM = 0x10,
	POLL_INT = 0x80,  /* poll word: a request was pending */
	SPURIOUS_IR = 7,
};

/* OCW2 commands, bits 7:5 (R, SL, EOI). */
enum {
	OCW2_CLEAR_ROTATE_AEOI = 0,
	OCW2_EOI = 1,
	OCW2_NOP = 2,
	OCW2_SPECIFIC_EOI = 3,
	OCW2_SET_ROTATE_AEOI = 4,
	OCW2_ROTATE_EOI = 5,
	OCW2_SET_PRIORITY = 6,
	OCW2_ROTATE_SPECIFIC_EOI = 7,
};

/* PIIX: IRQ 0, 1, 2, 8 and 13 are always edge-triggered. */
static const u8 elcr_writable[2] = { 0xf8, 0xde };

static bool is_master(const struct pic *p, const struct pic_chip *c)
{
	return c == &p->chip[0];
}

/* The input of bits with the highest priority, or -1. */
static int highest(const struct pic_chip *c, u8 bits)
{
	for (int i = 0; i < 8; i++) {
		int line = (c->top + i) & 7;

		if (bits & BIT(line))
			return line;
	}
	return -1;
}

/* 0 for the highest priority, 7 for the lowest. */
static int priority(const struct pic_chip *c, int line)
{
	return (line - c->top) & 7;
}

static bool cascades(const struct pic *p, const struct pic_chip *c, int line)
{
	return is_master(p, c) && !c->single && line == PIC_CASCADE_IRQ;
}

/* The input the chip would have acknowledged now, or -1. */
static int granted(const struct pic *p, const struct pic_chip *c)
{
	u8 pending = c->irr & ~c->imr;
	int line, serving;

	if (c->special_mask)
		pending &= ~c->isr;
	line = highest(c, pending);
	if (line < 0 || c->special_mask)
		return line;
	serving = highest(c, c->isr);
	if (serving < 0 || priority(c, line) < priority(c, serving))
		return line;
	if (c->sfnm && line == serving && cascades(p, c, line))
		return line;
	return -1;
}

static void set_input(struct pic_chip *c, int line, bool level)
{
	u8 bit = BIT(line);

	if (c->elcr & bit)
		c->irr = level ? c->irr | bit : c->irr & ~bit;
	else if (level && !(c->lines & bit))
		c->irr |= bit;
	c->lines = level ? c->lines | bit : c->lines & ~bit;
}

/* Carries the slave's INT to the master and the master's INTR out. */
static void update(struct pic *p)
{
	bool intr;

	set_input(&p->chip[0], PIC_CASCADE_IRQ, granted(p, &p->chip[1]) >= 0);
	intr = granted(p, &p->chip[0]) >= 0;
	if (intr == p->intr)
		return;
	p->intr = intr;
	if (p->sink && p->sink->intr)
		p->sink->intr(p->sink->ctx, intr);
}

/* The chip's part of an acknowledge (INTA or poll) of line. */
static void acknowledge(struct pic *p, struct pic_chip *c, int line)
{
	u8 bit = BIT(line);

	if (!(c->elcr & bit))
		c->irr &= ~bit;
	if (cascades(p, c, line))
		c->lines &= ~bit; /* see the slave's INT afresh */
	if (!c->auto_eoi)
		c->isr |= bit;
	else if (c->rotate_aeoi)
		c->top = (line + 1) & 7;
}

/* The vector of the slave's part of an INTA through the cascade. */
static int slave_intack(struct pic *p)
{
	struct pic_chip *s = &p->chip[1];
	int line = granted(p, s);

	if (line < 0)
		return s->base | SPURIOUS_IR;
	acknowledge(p, s, line);
	return s->base + line;
}

int pic_intack(struct pic *p)
{
	struct pic_chip *m = &p->chip[0];
	int line = granted(p, m);
	int vector;

	if (line < 0) {
		vector = m->base | SPURIOUS_IR;
	} else {
		acknowledge(p, m, line);
		vector = cascades(p, m, line) ? slave_intack(p) : m->base + line;
	}
	update(p);
	return vector;
}

/* A read after an OCW3 poll command: acknowledges within this chip. */
static u8 poll_read(struct pic *p, struct pic_chip *c)
{
	int line = granted(p, c);

	c->poll = false;
	if (line < 0)
		return 0;
	acknowledge(p, c, line);
	update(p);
	return POLL_INT | line;
}

static void write_icw1(struct pic_chip *c, u8 val)
{
	u8 base = c->base, lines = c->lines, elcr = c->elcr;

	*c = (struct pic_chip){
		.base = base,
		.lines = lines,
		.elcr = elcr,
		.irr = lines & elcr, /* the edge latches are cleared */
		.want_icw4 = val & ICW1_IC4,
		.single = val & ICW1_SNGL,
		.icw_next = 2,
	};
}

static void write_ocw2(struct pic_chip *c, u8 val)
{
	int line = val & 7;

	switch (val >> 5) {
	case OCW2_CLEAR_ROTATE_AEOI:
	case OCW2_SET_ROTATE_AEOI:
		c->rotate_aeoi = val >> 5 == OCW2_SET_ROTATE_AEOI;
		return;
	case OCW2_EOI:
	case OCW2_ROTATE_EOI:
		line = highest(c, c->isr);
		if (line < 0)
			return;
		break;
	case OCW2_NOP:
		return;
	}
	if (val >> 5 != OCW2_SET_PRIORITY)
		c->isr &= ~BIT(line);
	if (val & 0x80) /* R: the line becomes the lowest priority */
		c->top = (line + 1) & 7;
}

static void write_ocw3(struct pic_chip *c, u8 val)
{
	if (val & OCW3_POLL)
		c->poll = true;
	if (val & OCW3_RR)
		c->read_isr = val & OCW3_RIS;
	if (val & OCW3_ESMM)
		c->special_mask = val & OCW3_SMM;
}

static void write_even(struct pic_chip *c, u8 val)
{
	if (val & ICW1)
		write_icw1(c, val);
	else if (val & OCW3)
		write_ocw3(c, val);
	else
		write_ocw2(c, val);
}

/* ICW2-ICW4 while initializing, OCW1 (the mask) afterwards. */
static void write_odd(struct pic_chip *c, u8 val)
{
	switch (c->icw_next) {
	case 2:
		c->base = val & 0xf8;
		c->icw_next = !c->single ? 3 : c->want_icw4 ? 4 : 0;
		break;
	case 3: /* the cascade wiring is fixed: master IR2, slave ID 2 */
		c->icw_next = c->want_icw4 ? 4 : 0;
		break;
	case 4:
		c->auto_eoi = val & ICW4_AEOI;
		c->sfnm = val & ICW4_SFNM;
		c->icw_next = 0;
		break;
	default:
		c->imr = val;
	}
}

static struct pic_chip *chip_at(struct pic *p, u16 port)
{
	if ((port & ~1) == PIC_MASTER_PORT)
		return &p->chip[0];
	if ((port & ~1) == PIC_SLAVE_PORT)
		return &p->chip[1];
	return NULL;
}

bool pic_owns_port(u16 port)
{
	switch (port & ~1) {
	case PIC_MASTER_PORT:
	case PIC_SLAVE_PORT:
	case PIC_ELCR_PORT:
		return true;
	}
	return false;
}

static u8 read_byte(struct pic *p, u16 port)
{
	struct pic_chip *c = chip_at(p, port);

	if ((port & ~1) == PIC_ELCR_PORT)
		return p->chip[port & 1].elcr;
	if (!c)
		return 0xff;
	if (c->poll)
		return poll_read(p, c);
	if (port & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static void write_byte(struct pic *p, u16 port, u8 val)
{
	struct pic_chip *c = chip_at(p, port);

	if ((port & ~1) == PIC_ELCR_PORT)
		p->chip[port & 1].elcr = val & elcr_writable[port & 1];
	else if (c && (port & 1))
		write_odd(c, val);
	else if (c)
		write_even(c, val);
	update(p);
}

u32 pic_io_read(struct pic *p, u16 port, u8 size)
{
	u32 val = 0;

	for (u8 i = 0; i < size && i < 4; i++)
		val |= (u32)read_byte(p, port + i) << (8 * i);
	return val;
}

void pic_io_write(struct pic *p, u16 port, u8 size, u32 val)
{
	for (u8 i = 0; i < size && i < 4; i++)
		write_byte(p, port + i, val >> (8 * i));
}

void pic_set_irq(struct pic *p, unsigned irq, bool level)
{
	if (irq >= 16 || irq == PIC_CASCADE_IRQ)
		return;
	set_input(&p->chip[irq / 8], irq % 8, level);
	update(p);
}

void pic_reset(struct pic *p, const struct pc_irq_sink *sink)
{
	*p = (struct pic){ .sink = sink };
}
