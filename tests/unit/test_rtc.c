/* The MC146818 RTC/CMOS model (guests/mgmt/rtc.c) against the datasheet
 * rules: calendar conversion, BCD and binary formats, 12-hour mode, the
 * UIP window, SET, the divider, register C's flags and IRQ 8, the
 * periodic rates, the alarm with don't-care fields, NVRAM and the NMI
 * mask bit of the index, and the memory-size bytes BIOSes read. */
#include "check.h"
#include "irq_log.h"
#include "../../guests/mgmt/rtc.c"

#define T0 5000000000ULL /* the clock's start, in the child's time */
#define S(n) ((u64)(n) * NS_PER_SEC)
/* 2024-02-29 23:59:58 UTC, a Thursday */
#define START 1709251198ULL

static struct rtc rtc;

static void setup(void)
{
	memset(&irqs, 0, sizeof(irqs));
	rtc_reset(&rtc, &sink, START, T0);
}

static u8 rd(u8 idx, u64 now)
{
	rtc_write(&rtc, RTC_PORT_INDEX, idx, now);
	return rtc_read(&rtc, RTC_PORT_DATA, now);
}

static void wr(u8 idx, u8 val, u64 now)
{
	rtc_write(&rtc, RTC_PORT_INDEX, idx, now);
	rtc_write(&rtc, RTC_PORT_DATA, val, now);
}

TEST(unix_seconds_of_dates)
{
	struct rtc_time t = { 1970, 1, 1, 0, 0, 0 };
	static const struct {
		struct rtc_time t;
		u64 secs;
	} dates[] = {
		{ { 2024, 2, 29, 23, 59, 58 }, 1709251198 },
		{ { 2000, 3, 1, 0, 0, 0 }, 951868800 },
		{ { 2100, 3, 1, 0, 0, 0 }, 4107542400ULL },
		{ { 1999, 12, 31, 23, 59, 59 }, 946684799 },
		{ { 2038, 1, 19, 3, 14, 8 }, 2147483648ULL },
	};

	CHECK_EQ(rtc_unix_seconds(&t), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(dates); i++) {
		struct rtc_time back;

		CHECK_EQ(rtc_unix_seconds(&dates[i].t), dates[i].secs);
		unix_to_time(dates[i].secs, &back);
		CHECK_EQ(memcmp(&back, &dates[i].t, sizeof(back)), 0);
	}
}

TEST(reset_registers)
{
	setup();
	CHECK_EQ(rd(RTC_REG_A, T0), 0x26);
	CHECK_EQ(rd(RTC_REG_B, T0), 0x02);
	CHECK_EQ(rd(RTC_REG_C, T0), 0x00);
	CHECK_EQ(rd(RTC_REG_D, T0), 0x80);
	wr(RTC_REG_D, 0x00, T0);
	CHECK_EQ(rd(RTC_REG_D, T0), 0x80); /* VRT stays set */
}

TEST(time_in_bcd)
{
	setup();
	CHECK_EQ(rd(RTC_SECONDS, T0), 0x58);
	CHECK_EQ(rd(RTC_MINUTES, T0), 0x59);
	CHECK_EQ(rd(RTC_HOURS, T0), 0x23);
	CHECK_EQ(rd(RTC_DAY_OF_WEEK, T0), 5);
	CHECK_EQ(rd(RTC_DAY, T0), 0x29);
	CHECK_EQ(rd(RTC_MONTH, T0), 0x02);
	CHECK_EQ(rd(RTC_YEAR, T0), 0x24);
	CHECK_EQ(rd(RTC_CENTURY, T0), 0x20);
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(1) + 999999999), 0x59);
	/* two updates later: Friday, March 1st */
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(2)), 0x00);
	CHECK_EQ(rd(RTC_MINUTES, T0 + S(2)), 0x00);
	CHECK_EQ(rd(RTC_HOURS, T0 + S(2)), 0x00);
	CHECK_EQ(rd(RTC_DAY_OF_WEEK, T0 + S(2)), 6);
	CHECK_EQ(rd(RTC_DAY, T0 + S(2)), 0x01);
	CHECK_EQ(rd(RTC_MONTH, T0 + S(2)), 0x03);
}

TEST(time_in_binary)
{
	setup();
	wr(RTC_REG_B, RTC_B_24H | RTC_B_DM, T0);
	CHECK_EQ(rd(RTC_SECONDS, T0), 58);
	CHECK_EQ(rd(RTC_MINUTES, T0), 59);
	CHECK_EQ(rd(RTC_HOURS, T0), 23);
	CHECK_EQ(rd(RTC_DAY, T0), 29);
	CHECK_EQ(rd(RTC_YEAR, T0), 24);
	CHECK_EQ(rd(RTC_CENTURY, T0), 20);
	CHECK_EQ(rd(RTC_MINUTES, T0 + S(62)), 1);
}

TEST(twelve_hour_pm_bit)
{
	setup();
	wr(RTC_REG_B, 0, T0);
	CHECK_EQ(rd(RTC_HOURS, T0), 0x91); /* 11 PM */
	CHECK_EQ(rd(RTC_HOURS, T0 + S(2)), 0x12); /* midnight: 12 AM */
	CHECK_EQ(rd(RTC_HOURS, T0 + S(2 + 3600)), 0x01);
	CHECK_EQ(rd(RTC_HOURS, T0 + S(2 + 12 * 3600)), 0x92); /* noon */
	CHECK_EQ(rd(RTC_HOURS, T0 + S(2 + 13 * 3600)), 0x81);
	/* binary 12-hour: 1 PM */
	wr(RTC_REG_B, RTC_B_DM, T0 + S(2 + 13 * 3600));
	CHECK_EQ(rd(RTC_HOURS, T0 + S(2 + 13 * 3600)), 0x81);
	/* writing 0x83 (3 PM) in 12-hour mode sets 15:00 */
	wr(RTC_HOURS, 0x83, T0 + S(2 + 13 * 3600));
	wr(RTC_REG_B, RTC_B_DM | RTC_B_24H, T0 + S(2 + 13 * 3600));
	CHECK_EQ(rd(RTC_HOURS, T0 + S(2 + 13 * 3600)), 15);
}

TEST(uip_before_each_update)
{
	setup();
	CHECK_EQ(rd(RTC_REG_A, T0 + S(1) - 244001), 0x26);
	CHECK_EQ(rd(RTC_REG_A, T0 + S(1) - 244000), 0xa6);
	CHECK_EQ(rd(RTC_REG_A, T0 + S(1) - 1), 0xa6);
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(1) - 1), 0x58);
	CHECK_EQ(rd(RTC_REG_A, T0 + S(1)), 0x26);
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(1)), 0x59);
	CHECK_EQ(rd(RTC_REG_A, T0 + S(7) - 100000), 0xa6);
	/* UIP is never set while SET holds the updates */
	wr(RTC_REG_B, RTC_B_24H | RTC_B_SET, T0 + S(8));
	CHECK_EQ(rd(RTC_REG_A, T0 + S(9) - 100000), 0x26);
	/* nor written */
	wr(RTC_REG_A, 0xa6, T0 + S(9));
	CHECK_EQ(rtc.cmos[RTC_REG_A], 0x26);
}

TEST(set_holds_time_for_writes)
{
	setup();
	wr(RTC_REG_B, RTC_B_24H | RTC_B_UIE, T0);
	wr(RTC_REG_B, RTC_B_24H | RTC_B_UIE | RTC_B_SET, T0 + S(1) / 2);
	CHECK_EQ(rd(RTC_REG_B, T0 + S(1)), RTC_B_24H | RTC_B_SET); /* UIE off */
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(3)), 0x58); /* frozen */
	wr(RTC_SECONDS, 0x30, T0 + S(3));
	wr(RTC_MINUTES, 0x20, T0 + S(3));
	wr(RTC_HOURS, 0x10, T0 + S(3));
	wr(RTC_DAY, 0x15, T0 + S(3));
	wr(RTC_MONTH, 0x07, T0 + S(3));
	wr(RTC_YEAR, 0x25, T0 + S(3));
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(5)), 0x30);
	/* no update while SET (the periodic flag goes on) */
	CHECK_EQ(rd(RTC_REG_C, T0 + S(5)), RTC_C_PF);
	wr(RTC_REG_B, RTC_B_24H, T0 + S(5) + S(1) / 2);
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(6) - 1), 0x30);
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(6)), 0x31);
	CHECK_EQ(rd(RTC_MINUTES, T0 + S(6)), 0x20);
	CHECK_EQ(rd(RTC_HOURS, T0 + S(6)), 0x10);
	CHECK_EQ(rd(RTC_DAY, T0 + S(6)), 0x15);
	CHECK_EQ(rd(RTC_MONTH, T0 + S(6)), 0x07);
	CHECK_EQ(rd(RTC_DAY_OF_WEEK, T0 + S(6)), 3); /* 2025-07-15, Tuesday */
	CHECK_EQ(rtc.base_secs, 1752574830ULL);
}

TEST(write_without_set_takes_effect)
{
	setup();
	wr(RTC_MINUTES, 0x10, T0 + S(1) / 2);
	CHECK_EQ(rd(RTC_MINUTES, T0 + S(1)), 0x10);
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(1)), 0x59);
	CHECK_EQ(rd(RTC_HOURS, T0 + S(1)), 0x23);
}

TEST(divider_reset_stops_the_clock)
{
	setup();
	wr(RTC_REG_A, 0x70, T0 + S(1) / 4);
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(10)), 0x58);
	CHECK_EQ(rd(RTC_REG_A, T0 + S(11) - 1000), 0x70);
	/* running again: the first update 500 ms later */
	wr(RTC_REG_A, 0x26, T0 + S(20));
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(20) + S(1) / 2 - 1), 0x58);
	CHECK_EQ(rd(RTC_SECONDS, T0 + S(20) + S(1) / 2), 0x59);
}

TEST(update_flag_and_c_read_clears_irq)
{
	setup();
	wr(RTC_REG_A, 0x20, T0); /* no periodic flag */
	wr(RTC_REG_B, RTC_B_24H | RTC_B_UIE, T0);
	CHECK_EQ(rtc_next_event_ns(&rtc, T0), T0 + S(1));
	rtc_advance(&rtc, T0 + S(1) - 1);
	CHECK_EQ(irqs.level[8], false);
	rtc_advance(&rtc, T0 + S(1));
	CHECK_EQ(irqs.level[8], true);
	CHECK_EQ(rtc_next_event_ns(&rtc, T0 + S(1)), RTC_NO_EVENT);
	CHECK_EQ(rd(RTC_REG_C, T0 + S(1)), RTC_C_IRQF | RTC_C_UF);
	CHECK_EQ(irqs.level[8], false);
	CHECK_EQ(rd(RTC_REG_C, T0 + S(1)), 0);
	CHECK_EQ(rtc_next_event_ns(&rtc, T0 + S(1)), T0 + S(2));
	CHECK_EQ(irqs.rises[8], 1);
}

TEST(flags_set_without_enables)
{
	setup();
	rtc_advance(&rtc, T0 + S(3));
	CHECK_EQ(irqs.level[8], false);
	CHECK_EQ(rtc_next_event_ns(&rtc, T0 + S(3)), RTC_NO_EVENT);
	/* PF from the 1024 Hz default rate, UF from the updates, and AF:
	 * the alarm bytes are 0 after reset, and midnight came */
	CHECK_EQ(rd(RTC_REG_C, T0 + S(3)), RTC_C_PF | RTC_C_AF | RTC_C_UF);
	/* enabling a pending flag's interrupt raises IRQ 8 at once */
	rtc_advance(&rtc, T0 + S(4));
	wr(RTC_REG_B, RTC_B_24H | RTC_B_UIE, T0 + S(4));
	CHECK_EQ(irqs.level[8], true);
	CHECK_EQ(rd(RTC_REG_C, T0 + S(4)), RTC_C_IRQF | RTC_C_PF | RTC_C_UF);
}

TEST(periodic_rates)
{
	static const struct {
		u8 rate;
		u64 period_ns;
	} rates[] = {
		{ 0x1, 3906250 }, { 0x2, 7812500 }, { 0x3, 122071 },
		{ 0x6, 976563 },  { 0xf, 500000000 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(rates); i++) {
		setup();
		wr(RTC_REG_A, 0x20 | rates[i].rate, T0);
		wr(RTC_REG_B, RTC_B_24H | RTC_B_PIE, T0);
		CHECK_EQ(rtc_next_event_ns(&rtc, T0), T0 + rates[i].period_ns);
		rtc_advance(&rtc, T0 + rates[i].period_ns - 1);
		CHECK_EQ(irqs.level[8], false);
		rtc_advance(&rtc, T0 + rates[i].period_ns);
		CHECK_EQ(irqs.level[8], true);
		CHECK_EQ(rd(RTC_REG_C, T0 + rates[i].period_ns),
			 RTC_C_IRQF | RTC_C_PF);
	}
	/* rate 0: no periodic interrupt */
	setup();
	wr(RTC_REG_A, 0x20, T0);
	wr(RTC_REG_B, RTC_B_24H | RTC_B_PIE, T0);
	CHECK_EQ(rtc_next_event_ns(&rtc, T0), RTC_NO_EVENT);
	rtc_advance(&rtc, T0 + S(5));
	CHECK_EQ(rd(RTC_REG_C, T0 + S(5)), RTC_C_AF | RTC_C_UF); /* midnight */
}

TEST(periodic_1024hz_count)
{
	u64 now = T0;
	unsigned n = 0;

	setup();
	wr(RTC_REG_B, RTC_B_24H | RTC_B_PIE, T0);
	while (n < 1024) {
		now = rtc_next_event_ns(&rtc, now);
		rtc_advance(&rtc, now);
		CHECK_EQ(rd(RTC_REG_C, now) & RTC_C_PF, RTC_C_PF);
		n++;
	}
	CHECK_EQ(now, T0 + S(1));
	CHECK_EQ(irqs.rises[8], 1024);
}

TEST(alarm_at_time)
{
	setup();
	wr(RTC_REG_A, 0x20, T0); /* no periodic flag */
	wr(RTC_SECONDS_ALARM, 0x05, T0);
	wr(RTC_MINUTES_ALARM, 0x00, T0);
	wr(RTC_HOURS_ALARM, 0x00, T0);
	wr(RTC_REG_B, RTC_B_24H | RTC_B_AIE, T0);
	rtc_advance(&rtc, T0 + S(6));
	CHECK_EQ(irqs.level[8], false);
	CHECK_EQ(rd(RTC_REG_C, T0 + S(6)) & RTC_C_AF, 0);
	CHECK_EQ(rtc_next_event_ns(&rtc, T0 + S(6)), T0 + S(7));
	rtc_advance(&rtc, T0 + S(7));
	CHECK_EQ(irqs.level[8], true);
	CHECK_EQ(rd(RTC_REG_C, T0 + S(7)), RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
	/* a day later, advanced late: the alarm came once more */
	rtc_advance(&rtc, T0 + S(7 + 86400 + 10));
	CHECK_EQ(rd(RTC_REG_C, T0 + S(7 + 86400 + 10)),
		 RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
}

TEST(alarm_dont_care_fields)
{
	setup();
	/* every minute at :30 */
	wr(RTC_SECONDS_ALARM, 0x30, T0);
	wr(RTC_MINUTES_ALARM, 0xc0, T0);
	wr(RTC_HOURS_ALARM, 0xff, T0);
	rtc_advance(&rtc, T0 + S(31));
	CHECK_EQ(rd(RTC_REG_C, T0 + S(31)) & RTC_C_AF, 0);
	rtc_advance(&rtc, T0 + S(32));
	CHECK_EQ(rd(RTC_REG_C, T0 + S(32)) & RTC_C_AF, RTC_C_AF);
	rtc_advance(&rtc, T0 + S(91));
	CHECK_EQ(rd(RTC_REG_C, T0 + S(91)) & RTC_C_AF, 0);
	rtc_advance(&rtc, T0 + S(92));
	CHECK_EQ(rd(RTC_REG_C, T0 + S(92)) & RTC_C_AF, RTC_C_AF);
	CHECK_EQ(irqs.rises[8], 0); /* AIE is off */
}

TEST(nvram_and_nmi_bit)
{
	setup();
	rtc_write(&rtc, RTC_PORT_INDEX, 0x80 | 0x40, T0);
	CHECK_EQ(rtc.index, 0x40);
	CHECK_EQ(rtc.nmi_masked, true);
	rtc_write(&rtc, RTC_PORT_DATA, 0x5a, T0);
	CHECK_EQ(rd(0x40, T0), 0x5a);
	CHECK_EQ(rtc.nmi_masked, false);
	wr(0x0e, 0x11, T0);
	wr(0x7f, 0x22, T0);
	CHECK_EQ(rd(0x0e, T0), 0x11);
	CHECK_EQ(rd(0x7f, T0), 0x22);
	CHECK_EQ(rtc_read(&rtc, RTC_PORT_INDEX, T0), 0xff);
}

/* A PC's reset: the RTC made again at the new PC's time 0 takes the
 * old one's clock, NVRAM and format from the time of the reset. */
static struct rtc after;

static u8 rd_after(u8 idx, u64 now)
{
	rtc_write(&after, RTC_PORT_INDEX, idx, now);
	return rtc_read(&after, RTC_PORT_DATA, now);
}

TEST(reset_keeps_clock_and_nvram)
{
	setup();
	wr(RTC_REG_B, RTC_B_24H | RTC_B_DM | RTC_B_PIE, T0);
	wr(0x38, 0x03, T0);
	wr(RTC_SECONDS_ALARM, 0x2a, T0);
	CHECK_EQ(irqs.level[PC_IRQ_RTC], false);
	CHECK_EQ(rd(RTC_REG_C, T0 + S(1)) & RTC_C_PF, RTC_C_PF);
	rtc_reset(&after, &sink, 0, 0);
	rtc_carry_over(&after, &rtc, T0 + S(10) + S(3) / 10);
	CHECK_EQ(rd_after(0x38, 0), 0x03);
	CHECK_EQ(rd_after(RTC_SECONDS_ALARM, 0), 0x2a);
	CHECK_EQ(rd_after(RTC_REG_A, 0), 0x26);
	CHECK_EQ(rd_after(RTC_REG_B, 0), RTC_B_24H | RTC_B_DM); /* PIE cleared */
	/* 10.3 s after 23:59:58 on Feb 29th: 00:00:08 on March 1st, binary */
	CHECK_EQ(rd_after(RTC_SECONDS, 0), 8);
	CHECK_EQ(rd_after(RTC_DAY, 0), 1);
	CHECK_EQ(rd_after(RTC_MONTH, 0), 3);
	CHECK_EQ(rd_after(RTC_SECONDS, S(7) / 10 - 1), 8); /* same phase */
	CHECK_EQ(rd_after(RTC_SECONDS, S(7) / 10), 9);
	CHECK_EQ(rd_after(RTC_REG_C, S(2)) & RTC_C_IRQF, 0); /* no interrupt enabled */
	CHECK_EQ(memcmp(&after.cmos[0x40], &rtc.cmos[0x40], 0x40), 0);
}

TEST(reset_while_set_keeps_the_time_bytes)
{
	setup();
	wr(RTC_REG_B, RTC_B_24H | RTC_B_SET, T0);
	wr(RTC_SECONDS, 0x30, T0);
	wr(RTC_MINUTES, 0x20, T0);
	rtc_reset(&after, &sink, 0, 0);
	rtc_carry_over(&after, &rtc, T0 + S(5));
	CHECK_EQ(rd_after(RTC_SECONDS, S(3)), 0x30);
	CHECK_EQ(rd_after(RTC_MINUTES, S(3)), 0x20);
	rtc_write(&after, RTC_PORT_INDEX, RTC_REG_B, S(3));
	rtc_write(&after, RTC_PORT_DATA, RTC_B_24H, S(3));
	CHECK_EQ(rd_after(RTC_SECONDS, S(4)), 0x31);
}

TEST(memory_bytes_256m)
{
	setup();
	rtc_set_memory(&rtc, 256 * MIB, 0);
	CHECK_EQ(rd(0x15, T0), 0x80);
	CHECK_EQ(rd(0x16, T0), 0x02);
	CHECK_EQ(rd(0x17, T0), 0xff);
	CHECK_EQ(rd(0x18, T0), 0xff);
	CHECK_EQ(rd(0x30, T0), 0xff);
	CHECK_EQ(rd(0x31, T0), 0xff);
	CHECK_EQ(rd(0x34, T0), 0x00);
	CHECK_EQ(rd(0x35, T0), 0x0f);
	CHECK_EQ(rd(0x5b, T0), 0);
	CHECK_EQ(rd(0x5c, T0), 0);
	CHECK_EQ(rd(0x5d, T0), 0);
	/* checksum of 0x10-0x2d: 0x80 + 0x02 + 0xff + 0xff */
	CHECK_EQ(rd(0x2e, T0), 0x02);
	CHECK_EQ(rd(0x2f, T0), 0x80);
}

TEST(memory_bytes_6g)
{
	setup();
	rtc_set_memory(&rtc, 3 * GIB, 3 * GIB);
	CHECK_EQ(rd(0x17, T0), 0xff);
	CHECK_EQ(rd(0x18, T0), 0xff);
	CHECK_EQ(rd(0x34, T0), 0x00);
	CHECK_EQ(rd(0x35, T0), 0xbf);
	CHECK_EQ(rd(0x5b, T0), 0x00);
	CHECK_EQ(rd(0x5c, T0), 0xc0);
	CHECK_EQ(rd(0x5d, T0), 0x00);
}

TEST(memory_bytes_small)
{
	setup();
	rtc_set_memory(&rtc, 15 * MIB, 0);
	CHECK_EQ(rd(0x17, T0), 0x00);
	CHECK_EQ(rd(0x18, T0), 0x38);
	CHECK_EQ(rd(0x30, T0), 0x00);
	CHECK_EQ(rd(0x31, T0), 0x38);
	CHECK_EQ(rd(0x34, T0), 0);
	CHECK_EQ(rd(0x35, T0), 0);
}

RUN_TESTS("rtc", T(unix_seconds_of_dates), T(reset_registers),
	  T(time_in_bcd), T(time_in_binary), T(twelve_hour_pm_bit),
	  T(uip_before_each_update), T(set_holds_time_for_writes),
	  T(write_without_set_takes_effect), T(divider_reset_stops_the_clock),
	  T(update_flag_and_c_read_clears_irq), T(flags_set_without_enables),
	  T(periodic_rates), T(periodic_1024hz_count), T(alarm_at_time),
	  T(alarm_dont_care_fields), T(nvram_and_nmi_bit),
	  T(reset_keeps_clock_and_nvram), T(reset_while_set_keeps_the_time_bytes),
	  T(memory_bytes_256m), T(memory_bytes_6g), T(memory_bytes_small))
