/* Where the platform devices of a child (guests/mgmt) send their interrupt
 * outputs. The ISA devices drive IRQ lines as levels through set_irq
 * (PIT 0, UART 4, RTC 8, SCI 9); the interrupt controllers send their
 * outputs on: the IOAPIC a message per redirection entry (msi), the
 * master 8259 its INTR pin (intr, delivered as ExtINT). The devices hold
 * a pointer to a sink and never call through a NULL function. */
#ifndef GUESTS_MGMT_PC_IRQ_H
#define GUESTS_MGMT_PC_IRQ_H

#include "lib/types.h"

struct pc_irq_sink {
	void *ctx;
	void (*set_irq)(void *ctx, unsigned line, bool level);
	void (*msi)(void *ctx, u32 dest, bool logical, u8 vector, u8 mode,
		    bool level);
	void (*intr)(void *ctx, bool level);
};

#endif
