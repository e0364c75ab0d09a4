/* The interrupt wires between hvctl's PC device models and its
 * interrupt controllers: a model raises and lowers its output through
 * a sink; the wiring layer (the VMM) decides where the wire goes. A
 * model calls only the members it drives; the others may be NULL. */
#ifndef GUESTS_MGMT_PC_IRQ_H
#define GUESTS_MGMT_PC_IRQ_H

#include "lib/types.h"

struct pc_irq_sink {
	void *ctx;
	/* An ISA interrupt line (PIT 0, UART 4, RTC 8, SCI 9) at a level:
	 * true is asserted, whatever the wire's electrical sense. */
	void (*set_irq)(void *ctx, unsigned line, bool level);
	/* The IOAPIC's message: destination (APIC ID or logical mask),
	 * its mode, vector, delivery mode (the redirection entry's bits
	 * 10:8) and whether it is level-triggered. */
	void (*msi)(void *ctx, u32 dest, bool logical, u8 vector, u8 mode, bool level);
	/* The master PIC's INTR output, delivered as ExtINT. */
	void (*intr)(void *ctx, bool level);
};

#endif
