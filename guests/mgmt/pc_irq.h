/* Where the PC's device models send their interrupts. A device holds a
 * pointer to a sink and calls through it; the VMM decides what a line
 * means (the PIC and IOAPIC models, or a hypercall). Devices never reach
 * the hypervisor on their own, which keeps them pure and testable.
 *
 * ISA lines are levels: an edge-triggered source (the PIT) makes a
 * rising edge by taking its line low then high. */
#ifndef GUESTS_MGMT_PC_IRQ_H
#define GUESTS_MGMT_PC_IRQ_H

#include "lib/types.h"

/* The ISA interrupt lines of the devices hvctl emulates. */
#define PC_IRQ_PIT 0
#define PC_IRQ_COM1 4
#define PC_IRQ_RTC 8
#define PC_IRQ_SCI 9

struct pc_irq_sink {
	void *ctx;
	/* An ISA interrupt line (0-15) changes level. */
	void (*set_irq)(void *ctx, unsigned line, bool level);
	/* The IOAPIC's output: a message to the local APICs. */
	void (*msi)(void *ctx, u32 dest, bool logical, u8 vector, u8 mode,
		    bool level);
	/* The master PIC's INTR output, delivered as ExtINT. */
	void (*intr)(void *ctx, bool level);
};

/* Sets an ISA line through a sink that may be absent or lack set_irq. */
static inline void pc_irq_set(const struct pc_irq_sink *sink, unsigned line,
			      bool level)
{
	if (sink && sink->set_irq)
		sink->set_irq(sink->ctx, line, level);
}

#endif
