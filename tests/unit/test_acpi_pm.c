/* The ACPI fixed hardware model (guests/mgmt/acpi_pm.c) against ACPI 6.x
 * chapter 4.8: the PM timer's value and 32-bit wrap, TMR_STS on each
 * change of bit 23 and the SCI, write-1-to-clear status bits, enable
 * bits, SCI_EN always set, the S5 sleep request, and resets through
 * 0xCF9 and the keyboard controller. */
#include "check.h"
#include "irq_log.h"
#include "../../guests/mgmt/acpi_pm.c"

#define PM1_STS ACPI_PM1A_EVT_BLK
#define PM1_EN (ACPI_PM1A_EVT_BLK + 2)
#define PM1_CNT ACPI_PM1A_CNT_BLK
#define PM_TMR ACPI_PM_TMR_BLK
/* the first change of bit 23: tick 0x800000 */
#define BIT23_NS 2343484438ULL

static struct acpi_pm pm;

static void setup(void)
{
	memset(&irqs, 0, sizeof(irqs));
	acpi_pm_reset(&pm, &sink, 0);
}

static u32 rd(u16 port, unsigned size, u64 now)
{
	return acpi_pm_read(&pm, port, size, now);
}

static void wr(u16 port, unsigned size, u32 val, u64 now)
{
	acpi_pm_write(&pm, port, size, val, now);
}

TEST(ports_match_the_tables)
{
	CHECK_EQ(ACPI_PM1A_EVT_BLK, 0x600);
	CHECK_EQ(ACPI_PM1A_CNT_BLK, 0x604);
	CHECK_EQ(ACPI_PM_TMR_BLK, 0x608);
	CHECK_EQ(ACPI_S5_SLP_TYP, 0);
	CHECK_EQ(ACPI_SCI_IRQ, 9);
	CHECK(acpi_pm_claims(0x600));
	CHECK(acpi_pm_claims(0x60b));
	CHECK(!acpi_pm_claims(0x60c));
	CHECK(!acpi_pm_claims(0x5ff));
	CHECK(acpi_pm_claims(0xcf9));
	CHECK(!acpi_pm_claims(0xcf8));
}

TEST(timer_value_at_given_ns)
{
	setup();
	CHECK_EQ(rd(PM_TMR, 4, 0), 0);
	CHECK_EQ(rd(PM_TMR, 4, 279), 0);
	CHECK_EQ(rd(PM_TMR, 4, 280), 1);
	CHECK_EQ(rd(PM_TMR, 4, 1000000000ULL), 3579545);
	CHECK_EQ(rd(PM_TMR, 4, 3600000000000ULL), 1460112);
	/* bytes and words of the same instant */
	CHECK_EQ(rd(PM_TMR, 1, 1000000000ULL), 0x99);
	CHECK_EQ(rd(PM_TMR + 1, 1, 1000000000ULL), 0x9e);
	CHECK_EQ(rd(PM_TMR + 2, 2, 1000000000ULL), 0x0036);
	/* writes do nothing */
	wr(PM_TMR, 4, 0, 1000000000ULL);
	CHECK_EQ(rd(PM_TMR, 4, 1000000000ULL), 3579545);
}

TEST(timer_wraps_at_32_bits)
{
	setup();
	CHECK_EQ(rd(PM_TMR, 4, 1199864031881ULL), 0xffffffff);
	CHECK_EQ(rd(PM_TMR, 4, 1199864031882ULL), 0);
	CHECK_EQ(rd(PM_TMR, 4, 1199864031882ULL + 1000000000ULL), 3579545);
}

TEST(tmr_sts_on_bit23_change)
{
	setup();
	CHECK_EQ(rd(PM1_STS, 2, BIT23_NS - 1) & ACPI_PM1_TMR, 0);
	CHECK_EQ(rd(PM1_STS, 2, BIT23_NS) & ACPI_PM1_TMR, ACPI_PM1_TMR);
	wr(PM1_STS, 2, ACPI_PM1_TMR, BIT23_NS);
	CHECK_EQ(rd(PM1_STS, 2, BIT23_NS), 0);
	/* bit 23 going back to 0 is a change too */
	CHECK_EQ(rd(PM1_STS, 2, 4686968874ULL), 0);
	CHECK_EQ(rd(PM1_STS, 2, 4686968875ULL), ACPI_PM1_TMR);
	/* and across the 32-bit wrap */
	wr(PM1_STS, 2, ACPI_PM1_TMR, 1199864031881ULL);
	CHECK_EQ(rd(PM1_STS, 2, 1199864031881ULL), 0);
	CHECK_EQ(rd(PM1_STS, 2, 1199864031882ULL), ACPI_PM1_TMR);
}

TEST(tmr_en_raises_sci)
{
	setup();
	CHECK_EQ(acpi_pm_next_event_ns(&pm, 0), ACPI_PM_NO_EVENT);
	wr(PM1_EN, 2, ACPI_PM1_TMR, 0);
	CHECK_EQ(rd(PM1_EN, 2, 0), ACPI_PM1_TMR);
	CHECK_EQ(acpi_pm_next_event_ns(&pm, 0), BIT23_NS);
	acpi_pm_advance(&pm, BIT23_NS - 1);
	CHECK_EQ(irqs.level[9], false);
	acpi_pm_advance(&pm, BIT23_NS);
	CHECK_EQ(irqs.level[9], true);
	CHECK_EQ(acpi_pm_next_event_ns(&pm, BIT23_NS), ACPI_PM_NO_EVENT);
	/* clearing TMR_STS drops the SCI */
	wr(PM1_STS, 2, ACPI_PM1_TMR, BIT23_NS + 5);
	CHECK_EQ(irqs.level[9], false);
	CHECK_EQ(acpi_pm_next_event_ns(&pm, BIT23_NS + 5), 4686968875ULL);
	/* a late advance: the status is set once */
	acpi_pm_advance(&pm, 100 * BIT23_NS);
	CHECK_EQ(irqs.level[9], true);
	CHECK_EQ(irqs.rises[9], 2);
	/* disabling the event drops the SCI, the status stays */
	wr(PM1_EN, 2, 0, 100 * BIT23_NS);
	CHECK_EQ(irqs.level[9], false);
	CHECK_EQ(rd(PM1_STS, 2, 100 * BIT23_NS), ACPI_PM1_TMR);
}

TEST(status_write_one_to_clear)
{
	setup();
	acpi_pm_power_button(&pm, 0);
	acpi_pm_advance(&pm, BIT23_NS);
	CHECK_EQ(rd(PM1_STS, 2, BIT23_NS), ACPI_PM1_PWRBTN | ACPI_PM1_TMR);
	/* writing 0s clears nothing */
	wr(PM1_STS, 2, 0, BIT23_NS);
	CHECK_EQ(rd(PM1_STS, 2, BIT23_NS), ACPI_PM1_PWRBTN | ACPI_PM1_TMR);
	/* a byte write to the high byte clears PWRBTN alone */
	wr(PM1_STS + 1, 1, ACPI_PM1_PWRBTN >> 8, BIT23_NS);
	CHECK_EQ(rd(PM1_STS, 2, BIT23_NS), ACPI_PM1_TMR);
	wr(PM1_STS, 2, 0xffff, BIT23_NS);
	CHECK_EQ(rd(PM1_STS, 2, BIT23_NS), 0);
	/* a dword write at PM1a_EVT_BLK reaches PM1_EN too */
	wr(PM1_STS, 4, (u32)ACPI_PM1_PWRBTN << 16, BIT23_NS);
	CHECK_EQ(rd(PM1_STS, 4, BIT23_NS), (u32)ACPI_PM1_PWRBTN << 16);
}

TEST(power_button_sci)
{
	setup();
	wr(PM1_EN, 2, ACPI_PM1_PWRBTN, 0);
	acpi_pm_power_button(&pm, 10);
	CHECK_EQ(irqs.level[9], true);
	wr(PM1_STS, 2, ACPI_PM1_PWRBTN, 20);
	CHECK_EQ(irqs.level[9], false);
}

TEST(sci_en_set_from_reset)
{
	setup();
	CHECK_EQ(rd(PM1_CNT, 2, 0), ACPI_PM1_SCI_EN);
	wr(PM1_CNT, 2, 0, 0);
	CHECK_EQ(rd(PM1_CNT, 2, 0), ACPI_PM1_SCI_EN);
	/* SLP_TYP is kept, SLP_EN reads 0 */
	wr(PM1_CNT, 2, 5 << 10, 0);
	CHECK_EQ(rd(PM1_CNT, 2, 0), (5 << 10) | ACPI_PM1_SCI_EN);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
}

TEST(s5_sleep_requests_poweroff)
{
	setup();
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
	/* what Linux's acpi_hw_legacy_sleep does: SLP_TYP, then SLP_EN */
	wr(PM1_CNT, 2, ACPI_PM1_SCI_EN | ACPI_S5_SLP_TYP << 10, 0);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
	wr(PM1_CNT, 2,
	   ACPI_PM1_SCI_EN | ACPI_S5_SLP_TYP << 10 | ACPI_PM1_SLP_EN, 0);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_POWEROFF);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
	CHECK_EQ(rd(PM1_CNT, 2, 0) & ACPI_PM1_SLP_EN, 0);
	/* the high byte alone */
	wr(PM1_CNT + 1, 1, ACPI_PM1_SLP_EN >> 8, 0);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_POWEROFF);
}

TEST(other_sleep_types_ignored)
{
	setup();
	wr(PM1_CNT, 2, 5 << 10 | ACPI_PM1_SLP_EN, 0); /* S3 on many boards */
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
	wr(PM1_CNT, 2, 7 << 10 | ACPI_PM1_SLP_EN, 0);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
}

TEST(cf9_reset)
{
	setup();
	/* Linux's cf9 reboot: SYS_RST first, then with RST_CPU */
	wr(ACPI_RESET_PORT, 1, 0x02, 0);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
	CHECK_EQ(rd(ACPI_RESET_PORT, 1, 0), 0x02);
	wr(ACPI_RESET_PORT, 1, 0x06, 0);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_RESET);
	CHECK_EQ(rd(ACPI_RESET_PORT, 1, 0), 0x02); /* RST_CPU reads 0 */
	/* the FADT's reset register value */
	wr(ACPI_RESET_PORT, 1, ACPI_RESET_VALUE, 0);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_RESET);
	wr(ACPI_RESET_PORT, 1, 0x0e, 0);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_RESET);
	CHECK_EQ(rd(ACPI_RESET_PORT, 1, 0), 0x0a);
}

TEST(kbc_fe_reset)
{
	setup();
	CHECK_EQ(acpi_pm_kbc_command(&pm, 0xfe), true);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_RESET);
	CHECK_EQ(acpi_pm_kbc_command(&pm, 0xf0), true);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_RESET);
	/* bit 0 set: the reset line is not pulsed */
	CHECK_EQ(acpi_pm_kbc_command(&pm, 0xff), false);
	CHECK_EQ(acpi_pm_kbc_command(&pm, 0xd1), false);
	CHECK_EQ(acpi_pm_kbc_command(&pm, 0xaa), false);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
}

TEST(first_request_kept)
{
	setup();
	wr(PM1_CNT, 2, ACPI_PM1_SLP_EN, 0);
	acpi_pm_kbc_command(&pm, 0xfe);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_POWEROFF);
	CHECK_EQ(acpi_pm_take_request(&pm), PM_REQUEST_NONE);
}

TEST(unknown_enable_bits_ignored)
{
	setup();
	wr(PM1_EN, 2, 0xffff, 0);
	CHECK_EQ(rd(PM1_EN, 2, 0), 0x4721);
}

RUN_TESTS("acpi_pm", T(ports_match_the_tables), T(timer_value_at_given_ns),
	  T(timer_wraps_at_32_bits), T(tmr_sts_on_bit23_change),
	  T(tmr_en_raises_sci), T(status_write_one_to_clear),
	  T(power_button_sci), T(sci_en_set_from_reset),
	  T(s5_sleep_requests_poweroff), T(other_sleep_types_ignored),
	  T(cf9_reset), T(kbc_fe_reset), T(first_request_kept),
	  T(unknown_enable_bits_ignored))
