/* An 82093AA-style I/O APIC at 0xfec00000: the register window (IOREGSEL,
 * IOWIN), ID, version 0x11 with 24 redirection entries, arbitration ID,
 * and the redirection table. Its inputs are GSIs 0-23 (the wiring layer
 * maps ISA IRQs to them, IRQ 0 to GSI 2); its output is the sink's msi
 * callback. A pure model: no clock, no hypercalls. */
#ifndef GUESTS_MGMT_IOAPIC_H
#define GUESTS_MGMT_IOAPIC_H

#include "guests/mgmt/pc_irq.h"

#define IOAPIC_BASE 0xfec00000u
#define IOAPIC_SIZE 0x1000u
#define IOAPIC_PINS 24

/* Register window offsets and register indexes. */
#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN 0x10
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_ARB 0x02
#define IOAPIC_REG_REDTBL 0x10 /* entry n: low half 0x10+2n, high 0x11+2n */

#define IOAPIC_VERSION 0x11

/* Redirection entry bits. */
#define IOAPIC_RTE_VECTOR 0xffull
#define IOAPIC_RTE_MODE_SHIFT 8 /* 3 bits of delivery mode */
#define IOAPIC_RTE_LOGICAL BIT(11)
#define IOAPIC_RTE_PENDING BIT(12) /* delivery status, read-only */
#define IOAPIC_RTE_ACTIVE_LOW BIT(13)
#define IOAPIC_RTE_REMOTE_IRR BIT(14) /* read-only */
#define IOAPIC_RTE_LEVEL BIT(15)
#define IOAPIC_RTE_MASKED BIT(16)
#define IOAPIC_RTE_DEST_SHIFT 56

/* Delivery modes. */
#define IOAPIC_MODE_FIXED 0
#define IOAPIC_MODE_LOWEST 1
#define IOAPIC_MODE_SMI 2
#define IOAPIC_MODE_NMI 4
#define IOAPIC_MODE_INIT 5
#define IOAPIC_MODE_EXTINT 7

struct ioapic {
	u32 id;     /* the ID register (bits 27:24) */
	u8 regsel;  /* IOREGSEL */
	u32 lines;  /* input pins asserted, one bit per GSI */
	u64 rte[IOAPIC_PINS];
	const struct pc_irq_sink *sink;
};

/* Power-on state: ID 0, every entry masked and otherwise zero, no pin
 * asserted. */
void ioapic_reset(struct ioapic *a, const struct pc_irq_sink *sink);

/* A pin's input: true is asserted. The polarity bit is kept for the
 * guest to read; the wiring presents asserted, not electrical, levels. */
void ioapic_set_irq(struct ioapic *a, unsigned gsi, bool level);

/* The local APIC's EOI of a level-triggered vector: clears remote IRR of
 * the entries with that vector and delivers again where the pin is
 * still asserted. */
void ioapic_eoi(struct ioapic *a, u8 vector);

/* Accesses at offset from IOAPIC_BASE. IOREGSEL takes any size; IOWIN
 * is written only as a dword, as the chip requires. Other offsets read
 * 0 and ignore writes. */
u32 ioapic_mmio_read(struct ioapic *a, u32 offset, u8 size);
void ioapic_mmio_write(struct ioapic *a, u32 offset, u8 size, u32 val);

#endif
