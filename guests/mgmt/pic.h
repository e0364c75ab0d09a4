/* The PC's pair of 8259A programmable interrupt controllers, master at
 * ports 0x20-0x21 and slave at 0xa0-0xa1 cascaded on the master's IR2,
 * with the PIIX edge/level control registers (ELCR) at 0x4d0-0x4d1.
 * Inputs are ISA IRQs 0-15 (8-15 on the slave); the output is the
 * master's INTR, and pic_intack() is the INTA cycle that turns it into
 * a vector. A pure model: no clock, no hypercalls. */
#ifndef GUESTS_MGMT_PIC_H
#define GUESTS_MGMT_PIC_H

#include "guests/mgmt/pc_irq.h"

#define PIC_MASTER_PORT 0x20
#define PIC_SLAVE_PORT 0xa0
#define PIC_ELCR_PORT 0x4d0
#define PIC_CASCADE_IRQ 2

/* One 8259A. */
struct pic_chip {
	u8 irr;        /* interrupt request register */
	u8 isr;        /* in-service register */
	u8 imr;        /* interrupt mask register (OCW1) */
	u8 lines;      /* input levels as last set */
	u8 elcr;       /* level-triggered inputs */
	u8 base;       /* vector of IR0 (ICW2, low 3 bits clear) */
	u8 top;        /* the input with the highest priority (rotation) */
	u8 icw_next;   /* next ICW expected on the odd port, 0 when done */
	bool want_icw4;
	bool single;       /* ICW1 SNGL: no cascade */
	bool auto_eoi;     /* ICW4 AEOI */
	bool sfnm;         /* ICW4 special fully nested mode */
	bool rotate_aeoi;  /* OCW2 rotate in automatic EOI mode */
	bool read_isr;     /* OCW3: the even port reads ISR, else IRR */
	bool poll;         /* OCW3 poll: the next read is an acknowledge */
	bool special_mask; /* OCW3 special mask mode */
};

struct pic {
	struct pic_chip chip[2]; /* master, slave */
	const struct pc_irq_sink *sink;
	bool intr; /* the master's INTR as last reported */
};

/* Power-on state: uninitialized chips with vector base 0, nothing
 * masked, edge-triggered, INTR low. The sink's intr is called on each
 * change of INTR from then on. */
void pic_reset(struct pic *p, const struct pc_irq_sink *sink);

/* The level of ISA IRQ 0-15. IRQ 2 is the cascade and ignores input. */
void pic_set_irq(struct pic *p, unsigned irq, bool level);

/* The INTA cycle: acknowledges the highest-priority request and returns
 * its vector; with no request, the spurious vector of IR7 of the chip
 * that had none, with no in-service bit set. */
int pic_intack(struct pic *p);

/* Whether port belongs to the pair or the ELCR. */
bool pic_owns_port(u16 port);

/* Port accesses of 1, 2 or 4 bytes, one byte per port from port up;
 * bytes of ports that are not the PIC's read 0xff and are dropped. */
u32 pic_io_read(struct pic *p, u16 port, u8 size);
void pic_io_write(struct pic *p, u16 port, u8 size, u32 val);

#endif
