/* The interrupt wires between hvctl's PC device models and its
 * interrupt controllers: a model raises and lowers its output through
 * a sink; the wiring layer (the VMM) decides where the wire goes (the
 * PIC and IOAPIC models, or a hypercall). Devices never reach the
 * hypervisor on their own, which keeps them pure and testable. A model
 * calls only the members it drives; the others may be NULL.
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
	/* An ISA interrupt line (0-15) at a level: true is asserted,
	 * whatever the wire's electrical sense. */
	void (*set_irq)(void *ctx, unsigned line, bool level);
	/* The IOAPIC's message: destination (APIC ID or logical mask),
	 * vector, delivery mode (the redirection entry's bits 10:8) and
	 * whether it is level-triggered. */
	void (*msi)(void *ctx, u32 dest, bool logical, u8 vector, u8 mode, bool level);
	/* The master PIC's INTR output, delivered as ExtINT. */
	void (*intr)(void *ctx, bool level);
};

/* Sets an ISA line through a sink that may be absent or lack set_irq. */
static inline void pc_irq_set(const struct pc_irq_sink *sink, unsigned line, bool level)
{
	if (sink && sink->set_irq)
		sink->set_irq(sink->ctx, line, level);
}

#endif
