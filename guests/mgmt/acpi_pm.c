/* ACPI fixed hardware: PM1a event and control blocks, the PM timer and
 * the reset control register, byte by byte. Wider accesses are made of
 * byte accesses to consecutive ports, which is how the registers' bytes
 * lie in I/O space. The timer is 32 bits wide (the FADT sets
 * TMR_VAL_EXT) and counts from 0 at the child's time 0. Sleep types
 * other than S5 are ignored: the DSDT offers only \_S5. At 0xCF9 a write
 * with RST_CPU (bit 2) requests a reset, as Linux's 0x02-then-0x06
 * sequence and the FADT's reset value 0x06 do; SYS_RST (bit 1) and
 * FULL_RST (bit 3) are kept for reading back, as a child restarts whole
 * either way. */
#include "guests/mgmt/acpi_pm.h"
#include "guests/mgmt/pc_clock.h"
#include "lib/string.h"

#define STS_W1C 0xc731 /* TMR BM GBL PWRBTN SLPBTN RTC PCIEXP_WAKE WAK */
#define EN_BITS 0x4721 /* TMR GBL PWRBTN SLPBTN RTC PCIEXP_WAKE_DIS */
#define SCI_SOURCES 0x0721
#define CNT_KEPT (ACPI_PM1_SCI_EN | 0x0002 | ACPI_PM1_SLP_TYP) /* BM_RLD */
/* TMR_STS is set each time bit 23 of the timer changes. */
#define TMR_STS_SHIFT 23

#define CF9_KEPT 0x0a  /* SYS_RST, FULL_RST */
#define CF9_RST_CPU 0x04
#define KBC_PULSE 0xf0 /* 0xF0-0xFF pulse the output lines whose bit is 0 */
#define KBC_PULSE_RESET 0x01

static u64 timer_ticks(u64 now_ns)
{
	return clock_ticks(now_ns, ACPI_PM_TMR_HZ);
}

static void update_sci(struct acpi_pm *pm)
{
	bool level = (pm->cnt & ACPI_PM1_SCI_EN) &&
		     (pm->sts & pm->en & SCI_SOURCES);

	if (level != pm->sci_level) {
		pm->sci_level = level;
		pc_irq_set(pm->irq, ACPI_SCI_IRQ, level);
	}
}

static void catch_up(struct acpi_pm *pm, u64 now_ns)
{
	if (timer_ticks(now_ns) >> TMR_STS_SHIFT !=
	    timer_ticks(pm->last_ns) >> TMR_STS_SHIFT)
		pm->sts |= ACPI_PM1_TMR;
	pm->last_ns = now_ns;
	update_sci(pm);
}

static void request(struct acpi_pm *pm, enum pm_request req)
{
	if (pm->request == PM_REQUEST_NONE)
		pm->request = req;
}

static void write_cnt(struct acpi_pm *pm, u16 val)
{
	pm->cnt = (val & CNT_KEPT) | ACPI_PM1_SCI_EN;
	if ((val & ACPI_PM1_SLP_EN) &&
	    (val & ACPI_PM1_SLP_TYP) >> ACPI_PM1_SLP_TYP_SHIFT == ACPI_S5_SLP_TYP)
		request(pm, PM_REQUEST_POWEROFF);
}

static u16 with_byte(u16 reg, unsigned shift, u8 val)
{
	return (reg & ~(0xff << shift)) | val << shift;
}

static u8 read_byte(struct acpi_pm *pm, u16 port, u64 now_ns)
{
	unsigned shift = 8 * (port & 1);

	if (port == ACPI_RESET_PORT)
		return pm->cf9;
	switch (port & ~1) {
	case ACPI_PM1A_EVT_BLK:
		return pm->sts >> shift;
	case ACPI_PM1A_EVT_BLK + 2:
		return pm->en >> shift;
	case ACPI_PM1A_CNT_BLK:
		return pm->cnt >> shift;
	case ACPI_PM_TMR_BLK:
	case ACPI_PM_TMR_BLK + 2:
		return timer_ticks(now_ns) >> (8 * (port - ACPI_PM_TMR_BLK));
	default:
		return 0xff;
	}
}

static void write_byte(struct acpi_pm *pm, u16 port, u8 val)
{
	unsigned shift = 8 * (port & 1);

	if (port == ACPI_RESET_PORT) {
		pm->cf9 = val & CF9_KEPT;
		if (val & CF9_RST_CPU)
			request(pm, PM_REQUEST_RESET);
		return;
	}
	switch (port & ~1) {
	case ACPI_PM1A_EVT_BLK:
		pm->sts &= ~((u16)(val << shift) & STS_W1C);
		break;
	case ACPI_PM1A_EVT_BLK + 2:
		pm->en = with_byte(pm->en, shift, val) & EN_BITS;
		break;
	case ACPI_PM1A_CNT_BLK:
		write_cnt(pm, with_byte(pm->cnt, shift, val));
		break;
	}
}

void acpi_pm_reset(struct acpi_pm *pm, const struct pc_irq_sink *irq,
		   u64 now_ns)
{
	memset(pm, 0, sizeof(*pm));
	pm->irq = irq;
	pm->cnt = ACPI_PM1_SCI_EN;
	pm->last_ns = now_ns;
}

bool acpi_pm_claims(u16 port)
{
	return (port >= ACPI_PM_BASE && port < ACPI_PM_TMR_BLK + ACPI_PM_TMR_LEN) ||
	       port == ACPI_RESET_PORT;
}

u32 acpi_pm_read(struct acpi_pm *pm, u16 port, unsigned size, u64 now_ns)
{
	u32 val = 0;

	catch_up(pm, now_ns);
	for (unsigned i = 0; i < size; i++)
		val |= (u32)read_byte(pm, port + i, now_ns) << (8 * i);
	return val;
}

void acpi_pm_write(struct acpi_pm *pm, u16 port, unsigned size, u32 val,
		   u64 now_ns)
{
	catch_up(pm, now_ns);
	for (unsigned i = 0; i < size; i++)
		write_byte(pm, port + i, val >> (8 * i));
	update_sci(pm);
}

bool acpi_pm_kbc_command(struct acpi_pm *pm, u8 cmd)
{
	if ((cmd & KBC_PULSE) != KBC_PULSE || (cmd & KBC_PULSE_RESET))
		return false;
	request(pm, PM_REQUEST_RESET);
	return true;
}

void acpi_pm_power_button(struct acpi_pm *pm, u64 now_ns)
{
	catch_up(pm, now_ns);
	pm->sts |= ACPI_PM1_PWRBTN;
	update_sci(pm);
}

u64 acpi_pm_next_event_ns(const struct acpi_pm *pm, u64 now_ns)
{
	u64 next;

	if (!(pm->en & ACPI_PM1_TMR) || (pm->sts & ACPI_PM1_TMR))
		return ACPI_PM_NO_EVENT;
	next = clock_ns_of_tick(((timer_ticks(pm->last_ns) >> TMR_STS_SHIFT) + 1)
					<< TMR_STS_SHIFT,
				ACPI_PM_TMR_HZ);
	return MAX(next, now_ns);
}

void acpi_pm_advance(struct acpi_pm *pm, u64 now_ns)
{
	catch_up(pm, now_ns);
}

enum pm_request acpi_pm_take_request(struct acpi_pm *pm)
{
	enum pm_request req = pm->request;

	pm->request = PM_REQUEST_NONE;
	return req;
}
