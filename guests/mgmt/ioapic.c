/* The I/O APIC (see ioapic.h), after the 82093AA datasheet:
 *
 * - An edge-triggered entry delivers on the rising edge of its pin when
 *   unmasked; an edge while masked is lost.
 * - A level-triggered entry (fixed or lowest-priority delivery) delivers
 *   while its pin is asserted, unmasked and remote IRR is clear, and
 *   sets remote IRR; the local APIC's EOI for the vector clears it, and
 *   a pin still asserted delivers again. Unmasking an asserted level
 *   pin delivers. SMI, NMI, INIT and ExtINT are always edge-triggered.
 * - Delivery is immediate, so the delivery status bit reads 0. */
#include "guests/mgmt/ioapic.h"

#define ID_WRITABLE 0x0f000000u
#define RTE_LO_WRITABLE 0x0001afffu /* all but delivery status, remote IRR */
#define RTE_HI_WRITABLE 0xff000000u /* the destination */
#define RTE_REGS (2 * IOAPIC_PINS)

static u8 delivery_mode(u64 rte)
{
	return (rte >> IOAPIC_RTE_MODE_SHIFT) & 7;
}

static bool level_triggered(u64 rte)
{
	u8 mode = delivery_mode(rte);

	return (rte & IOAPIC_RTE_LEVEL) &&
	       (mode == IOAPIC_MODE_FIXED || mode == IOAPIC_MODE_LOWEST);
}

static void deliver(struct ioapic *a, unsigned pin)
{
	u64 rte = a->rte[pin];
	bool level = level_triggered(rte);

	if (level)
		a->rte[pin] |= IOAPIC_RTE_REMOTE_IRR;
	if (a->sink && a->sink->msi)
		a->sink->msi(a->sink->ctx, rte >> IOAPIC_RTE_DEST_SHIFT,
			     rte & IOAPIC_RTE_LOGICAL, rte & IOAPIC_RTE_VECTOR,
			     delivery_mode(rte), level);
}

/* Delivers a level-triggered pin that is asserted, unmasked and not
 * waiting for its EOI. */
static void service_level(struct ioapic *a, unsigned pin)
{
	u64 rte = a->rte[pin];

	if (level_triggered(rte) && (a->lines & BIT(pin)) &&
	    !(rte & (IOAPIC_RTE_MASKED | IOAPIC_RTE_REMOTE_IRR)))
		deliver(a, pin);
}

void ioapic_set_irq(struct ioapic *a, unsigned gsi, bool level)
{
	bool rising;

	if (gsi >= IOAPIC_PINS)
		return;
	rising = level && !(a->lines & BIT(gsi));
	a->lines = level ? a->lines | BIT(gsi) : a->lines & ~BIT(gsi);
	if (level_triggered(a->rte[gsi]))
		service_level(a, gsi);
	else if (rising && !(a->rte[gsi] & IOAPIC_RTE_MASKED))
		deliver(a, gsi);
}

void ioapic_eoi(struct ioapic *a, u8 vector)
{
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		u64 *rte = &a->rte[pin];

		if ((*rte & IOAPIC_RTE_VECTOR) != vector || !(*rte & IOAPIC_RTE_REMOTE_IRR))
			continue;
		*rte &= ~IOAPIC_RTE_REMOTE_IRR;
		service_level(a, pin);
	}
}

static u32 read_reg(const struct ioapic *a)
{
	unsigned idx = a->regsel - IOAPIC_REG_REDTBL;

	switch (a->regsel) {
	case IOAPIC_REG_ID:
	case IOAPIC_REG_ARB: /* loaded from the ID whenever it is written */
		return a->id;
	case IOAPIC_REG_VER:
		return (IOAPIC_PINS - 1) << 16 | IOAPIC_VERSION;
	}
	if (a->regsel < IOAPIC_REG_REDTBL || idx >= RTE_REGS)
		return 0;
	return a->rte[idx / 2] >> (idx % 2 * 32);
}

static void write_rte_low(struct ioapic *a, unsigned pin, u32 val)
{
	u64 *rte = &a->rte[pin];

	*rte = (*rte & ~(u64)RTE_LO_WRITABLE) | (val & RTE_LO_WRITABLE);
	if (!level_triggered(*rte))
		*rte &= ~IOAPIC_RTE_REMOTE_IRR;
	service_level(a, pin);
}

static void write_reg(struct ioapic *a, u32 val)
{
	unsigned idx = a->regsel - IOAPIC_REG_REDTBL;

	if (a->regsel == IOAPIC_REG_ID)
		a->id = val & ID_WRITABLE;
	if (a->regsel < IOAPIC_REG_REDTBL || idx >= RTE_REGS)
		return;
	if (idx % 2 == 0) {
		write_rte_low(a, idx / 2, val);
		return;
	}
	a->rte[idx / 2] = (a->rte[idx / 2] & 0xffffffffull) |
			  (u64)(val & RTE_HI_WRITABLE) << 32;
}

u32 ioapic_mmio_read(struct ioapic *a, u32 offset, u8 size)
{
	u32 val;

	switch (offset & ~3u) {
	case IOAPIC_IOREGSEL:
		val = a->regsel;
		break;
	case IOAPIC_IOWIN:
		val = read_reg(a);
		break;
	default:
		return 0;
	}
	val >>= 8 * (offset & 3);
	return size >= 4 ? val : val & ((1u << (8 * size)) - 1);
}

void ioapic_mmio_write(struct ioapic *a, u32 offset, u8 size, u32 val)
{
	if (offset == IOAPIC_IOREGSEL)
		a->regsel = val;
	else if (offset == IOAPIC_IOWIN && size == 4)
		write_reg(a, val);
}

void ioapic_reset(struct ioapic *a, const struct pc_irq_sink *sink)
{
	*a = (struct ioapic){ .sink = sink };
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++)
		a->rte[pin] = IOAPIC_RTE_MASKED;
}
