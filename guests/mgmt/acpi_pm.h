/* The ACPI fixed hardware hvctl gives a child (ACPI 6.x chapter 4.8):
 * the PM1a event block (PM1_STS, PM1_EN), the PM1a control block
 * (PM1_CNT), the 32-bit PM timer at ACPI_PM_TMR_HZ, and the reset
 * control port 0xCF9 that the FADT's reset register names; also the
 * keyboard controller's reset pulse, for the VMM's port 0x64.
 *
 * A sleep to S5 (power off) or a reset is not carried out here: it
 * becomes a request the VMM takes with acpi_pm_take_request() after the
 * access that made it. The SCI goes to ISA IRQ ACPI_SCI_IRQ through the
 * sink; the timer's TMR_STS is computed from the now_ns the caller
 * passes (never going back), and acpi_pm_next_event_ns() says when it is
 * next due while TMR_EN is set.
 *
 * The FADT says SMI_CMD 0: the machine is always in ACPI mode, so
 * SCI_EN is set from reset and stays set. */
#ifndef GUESTS_MGMT_ACPI_PM_H
#define GUESTS_MGMT_ACPI_PM_H

#include "guests/mgmt/pc_irq.h"

/* The ports the ACPI tables announce (acpi_tables.c builds the FADT
 * from these). */
#define ACPI_PM_BASE 0x600
#define ACPI_PM1A_EVT_BLK (ACPI_PM_BASE + 0)
#define ACPI_PM1_EVT_LEN 4
#define ACPI_PM1A_CNT_BLK (ACPI_PM_BASE + 4)
#define ACPI_PM1_CNT_LEN 2
#define ACPI_PM_TMR_BLK (ACPI_PM_BASE + 8)
#define ACPI_PM_TMR_LEN 4
/* SLP_TYP written to PM1a_CNT (with SLP_EN) for S5, soft off. */
#define ACPI_S5_SLP_TYP 0
#define ACPI_SCI_IRQ 9
#define ACPI_RESET_PORT 0xcf9
#define ACPI_RESET_VALUE 0x06

#define ACPI_PM_TMR_HZ 3579545u
#define ACPI_PM_NO_EVENT (~0ULL)

/* PM1_STS bits (write 1 to clear) and the PM1_EN bits beside them */
#define ACPI_PM1_TMR 0x0001
#define ACPI_PM1_BM 0x0010
#define ACPI_PM1_GBL 0x0020
#define ACPI_PM1_PWRBTN 0x0100
#define ACPI_PM1_SLPBTN 0x0200
#define ACPI_PM1_RTC 0x0400
#define ACPI_PM1_WAK 0x8000
/* PM1_CNT bits */
#define ACPI_PM1_SCI_EN 0x0001
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN 0x2000

enum pm_request {
	PM_REQUEST_NONE,
	PM_REQUEST_POWEROFF,
	PM_REQUEST_RESET,
};

struct acpi_pm {
	u16 sts, en, cnt;
	u8 cf9;         /* reset control bits 1 and 3 as written */
	u64 last_ns;    /* TMR_STS is up to date to here */
	enum pm_request request;
	const struct pc_irq_sink *irq;
	bool sci_level;
};

void acpi_pm_reset(struct acpi_pm *pm, const struct pc_irq_sink *irq,
		   u64 now_ns);
/* Whether port belongs to the PM blocks or the reset control port. */
bool acpi_pm_claims(u16 port);
/* size is 1, 2 or 4; the bytes of an access are the registers' bytes
 * from port on, the PM timer's 4 bytes read at one instant. */
u32 acpi_pm_read(struct acpi_pm *pm, u16 port, unsigned size, u64 now_ns);
void acpi_pm_write(struct acpi_pm *pm, u16 port, unsigned size, u32 val,
		   u64 now_ns);
/* A command written to the keyboard controller (port 0x64): true when
 * it pulses the reset line (0xFE, and 0xF0-0xFE with bit 0 clear). */
bool acpi_pm_kbc_command(struct acpi_pm *pm, u8 cmd);
/* The user pressed the power button: PWRBTN_STS, an SCI if enabled. */
void acpi_pm_power_button(struct acpi_pm *pm, u64 now_ns);
u64 acpi_pm_next_event_ns(const struct acpi_pm *pm, u64 now_ns);
void acpi_pm_advance(struct acpi_pm *pm, u64 now_ns);
/* The pending power off or reset, once; PM_REQUEST_NONE if none. */
enum pm_request acpi_pm_take_request(struct acpi_pm *pm);

#endif
