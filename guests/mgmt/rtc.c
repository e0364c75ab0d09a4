/* The MC146818 RTC and CMOS RAM, computed from the child's virtual time.
 *
 * The divider chain's second boundaries fall at origin_ns + k s; the
 * update cycle is taken as instant at each boundary, with UIP set for
 * the 244 us before it. The clock is kept in Unix seconds (base_secs at
 * boundary base_upd) and formatted into the time bytes when they are
 * read, in the format register B asks for at that moment. While SET is
 * 1 or the divider is held in reset (A's DV bits 11x) the time bytes are
 * plain storage holding the last value; when the clock runs again it
 * continues from what they hold. Day of week is derived from the date,
 * and DSE and SQWE are stored without effect.
 *
 * The flags of register C are set whether or not their interrupt is
 * enabled; IRQ 8 is the level of IRQF. They are caught up from the time
 * of the last access, so a late advance sets each flag once (the chip
 * has one bit per cause, not a count). */
#include "guests/mgmt/rtc.h"
#include "guests/mgmt/pc_clock.h"
#include "lib/string.h"

#define SECS_PER_DAY 86400
#define RTC_HZ 32768
#define UIP_NS 244000
/* A's divider bits 6-4: 11x holds the chain in reset. */
#define A_DV_RESET 0x60
#define A_RATE_MASK 0x0f
#define A_RESET_VALUE 0x26 /* 32.768 kHz time base, 1024 Hz periodic */
#define C_FLAGS (RTC_C_PF | RTC_C_AF | RTC_C_UF)
#define ALARM_ANY 0xc0
#define HOUR_PM 0x80
#define NVRAM_FIRST 0x0e

/* CMOS memory-size bytes */
#define CMOS_BASE_MEM 0x15   /* KiB below 1 MiB, 2 bytes */
#define CMOS_EXT_MEM 0x17    /* KiB above 1 MiB, 2 bytes */
#define CMOS_CHECKSUM 0x2e   /* of 0x10-0x2d, high byte first */
#define CMOS_EXT_MEM2 0x30   /* KiB above 1 MiB, 2 bytes */
#define CMOS_MEM_16M 0x34    /* 64 KiB units above 16 MiB, 2 bytes */
#define CMOS_MEM_4G 0x5b     /* 64 KiB units above 4 GiB, 3 bytes */

static const u16 days_before_month[12] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
};

static bool is_leap(u32 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap days in the years 1..y. */
static u32 leaps_through(u32 y)
{
	return y / 4 - y / 100 + y / 400;
}

/* Days of year y before month m (0-11). */
static u32 days_before(u32 m, u32 y)
{
	return days_before_month[m] + (m >= 2 && is_leap(y));
}

/* Days from 1970-01-01 to January 1st of year y (>= 1970). */
static u64 days_to_year(u32 y)
{
	return 365ULL * (y - 1970) + leaps_through(y - 1) - leaps_through(1969);
}

u64 rtc_unix_seconds(const struct rtc_time *t)
{
	u32 y = t->year < 1970 ? 1970 : t->year;
	u32 m = t->month >= 1 && t->month <= 12 ? t->month - 1 : 0;
	u64 days = days_to_year(y) + days_before(m, y) + (t->day ? t->day - 1 : 0);

	return ((days * 24 + t->hour) * 60 + t->min) * 60 + t->sec;
}

static void unix_to_time(u64 secs, struct rtc_time *t)
{
	u64 days = secs / SECS_PER_DAY, rest = secs % SECS_PER_DAY;
	u32 y = 1970 + days / 366, m = 11;

	while (days_to_year(y + 1) <= days)
		y++;
	days -= days_to_year(y);
	while (days < days_before(m, y))
		m--;
	days -= days_before(m, y);
	t->year = y;
	t->month = m + 1;
	t->day = days + 1;
	t->hour = rest / 3600;
	t->min = rest / 60 % 60;
	t->sec = rest % 60;
}

/* 1 (Sunday) to 7; 1970-01-01 was a Thursday. */
static u8 day_of_week(u64 secs)
{
	return (secs / SECS_PER_DAY + 4) % 7 + 1;
}

static bool binary(const struct rtc *r)
{
	return r->cmos[RTC_REG_B] & RTC_B_DM;
}

static u8 to_reg(const struct rtc *r, u32 v)
{
	return binary(r) ? v : (v / 10) << 4 | v % 10;
}

static u32 from_reg(const struct rtc *r, u8 v)
{
	return binary(r) ? v : (v >> 4) * 10 + (v & 0x0f);
}

/* 12-hour mode: 1-12 with bit 7 for PM. */
static u8 hour_to_reg(const struct rtc *r, u32 h)
{
	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return to_reg(r, h);
	return to_reg(r, h % 12 ? h % 12 : 12) | (h >= 12 ? HOUR_PM : 0);
}

static u32 hour_from_reg(const struct rtc *r, u8 v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return from_reg(r, v);
	return from_reg(r, v & ~HOUR_PM) % 12 + (v & HOUR_PM ? 12 : 0);
}

static bool divider_runs(const struct rtc *r)
{
	return (r->cmos[RTC_REG_A] & A_DV_RESET) != A_DV_RESET;
}

static bool updates_run(const struct rtc *r)
{
	return divider_runs(r) && !(r->cmos[RTC_REG_B] & RTC_B_SET);
}

/* Second boundaries of the divider chain passed by now_ns. */
static u64 updates_by(const struct rtc *r, u64 now_ns)
{
	return (now_ns - r->origin_ns) / NS_PER_SEC;
}

static u64 clock_secs(const struct rtc *r, u64 now_ns)
{
	return r->base_secs + updates_by(r, now_ns) - r->base_upd;
}

static void fill_time(struct rtc *r, u64 secs)
{
	struct rtc_time t;

	unix_to_time(secs, &t);
	r->cmos[RTC_SECONDS] = to_reg(r, t.sec);
	r->cmos[RTC_MINUTES] = to_reg(r, t.min);
	r->cmos[RTC_HOURS] = hour_to_reg(r, t.hour);
	r->cmos[RTC_DAY_OF_WEEK] = to_reg(r, day_of_week(secs));
	r->cmos[RTC_DAY] = to_reg(r, t.day);
	r->cmos[RTC_MONTH] = to_reg(r, t.month);
	r->cmos[RTC_YEAR] = to_reg(r, t.year % 100);
	r->cmos[RTC_CENTURY] = to_reg(r, t.year / 100);
}

/* The clock continues from the time bytes at now_ns. */
static void rebase(struct rtc *r, u64 now_ns)
{
	struct rtc_time t = {
		.year = from_reg(r, r->cmos[RTC_CENTURY]) * 100 +
			from_reg(r, r->cmos[RTC_YEAR]),
		.month = from_reg(r, r->cmos[RTC_MONTH]),
		.day = from_reg(r, r->cmos[RTC_DAY]),
		.hour = hour_from_reg(r, r->cmos[RTC_HOURS]),
		.min = from_reg(r, r->cmos[RTC_MINUTES]),
		.sec = from_reg(r, r->cmos[RTC_SECONDS]),
	};

	r->base_secs = rtc_unix_seconds(&t);
	r->base_upd = updates_by(r, now_ns);
}

static bool alarm_field_matches(u8 alarm, u8 value)
{
	return (alarm & ALARM_ANY) == ALARM_ANY || alarm == value;
}

static bool alarm_matches(const struct rtc *r, u64 secs)
{
	u64 s = secs % SECS_PER_DAY;

	return alarm_field_matches(r->cmos[RTC_SECONDS_ALARM], to_reg(r, s % 60)) &&
	       alarm_field_matches(r->cmos[RTC_MINUTES_ALARM],
				   to_reg(r, s / 60 % 60)) &&
	       alarm_field_matches(r->cmos[RTC_HOURS_ALARM],
				   hour_to_reg(r, s / 3600));
}

/* Ticks of the 32.768 kHz time base between periodic interrupts, or 0
 * when A's rate bits turn them off. */
static u64 periodic_ticks(const struct rtc *r)
{
	u32 rate = r->cmos[RTC_REG_A] & A_RATE_MASK;

	if (!rate)
		return 0;
	return rate <= 2 ? 1ULL << (rate + 6) : 1ULL << (rate - 1);
}

static u64 periods_by(const struct rtc *r, u64 now_ns, u64 period)
{
	return clock_ticks(now_ns - r->origin_ns, RTC_HZ) / period;
}

static void update_irq(struct rtc *r)
{
	u8 *c = &r->cmos[RTC_REG_C];
	bool level = *c & r->cmos[RTC_REG_B] & C_FLAGS;

	*c = (*c & C_FLAGS) | (level ? RTC_C_IRQF : 0);
	if (level != r->irq_level) {
		r->irq_level = level;
		pc_irq_set(r->irq, PC_IRQ_RTC, level);
	}
}

/* Update-ended and alarm flags for the updates after `from` through
 * `to`; an alarm repeats at most daily, so one day of them suffices. */
static void flag_updates(struct rtc *r, u64 from, u64 to)
{
	u64 first = to - from > SECS_PER_DAY ? to - SECS_PER_DAY : from;

	if (to == from)
		return;
	r->cmos[RTC_REG_C] |= RTC_C_UF;
	for (u64 u = first + 1; u <= to && !(r->cmos[RTC_REG_C] & RTC_C_AF); u++)
		if (alarm_matches(r, r->base_secs + u - r->base_upd))
			r->cmos[RTC_REG_C] |= RTC_C_AF;
}

/* Sets the flags that came due from last_ns to now_ns. */
static void catch_up(struct rtc *r, u64 now_ns)
{
	u64 period = periodic_ticks(r);

	if (divider_runs(r) && period &&
	    periods_by(r, now_ns, period) > periods_by(r, r->last_ns, period))
		r->cmos[RTC_REG_C] |= RTC_C_PF;
	if (updates_run(r))
		flag_updates(r, updates_by(r, r->last_ns), updates_by(r, now_ns));
	r->last_ns = now_ns;
	update_irq(r);
}

/* SET or the divider reset stop the clock: the time bytes keep its
 * value. When both are gone it runs on from them. */
static void set_frozen(struct rtc *r, bool frozen, u64 now_ns)
{
	if (frozen == r->frozen)
		return;
	if (frozen)
		fill_time(r, clock_secs(r, now_ns));
	else
		rebase(r, now_ns);
	r->frozen = frozen;
}

static void write_reg_a(struct rtc *r, u8 val, u64 now_ns)
{
	bool was_running = divider_runs(r);

	r->cmos[RTC_REG_A] = val & ~RTC_A_UIP;
	if (divider_runs(r) && !was_running)
		r->origin_ns = now_ns - NS_PER_SEC / 2; /* first update in 500 ms */
	set_frozen(r, !updates_run(r), now_ns);
}

static void write_reg_b(struct rtc *r, u8 val, u64 now_ns)
{
	if (val & RTC_B_SET)
		val &= ~RTC_B_UIE; /* SET clears UIE */
	if (val & RTC_B_SET)
		set_frozen(r, true, now_ns); /* in the old format */
	r->cmos[RTC_REG_B] = val;
	set_frozen(r, !updates_run(r), now_ns);
	update_irq(r);
}

static bool is_time_reg(u8 idx)
{
	return idx <= RTC_YEAR || idx == RTC_CENTURY;
}

static bool is_alarm_reg(u8 idx)
{
	return idx == RTC_SECONDS_ALARM || idx == RTC_MINUTES_ALARM ||
	       idx == RTC_HOURS_ALARM;
}

static bool uip(const struct rtc *r, u64 now_ns)
{
	return updates_run(r) &&
	       (now_ns - r->origin_ns) % NS_PER_SEC >= NS_PER_SEC - UIP_NS;
}

static u8 read_data(struct rtc *r, u64 now_ns)
{
	u8 idx = r->index, v;

	catch_up(r, now_ns);
	if (is_time_reg(idx) && !is_alarm_reg(idx) && !r->frozen)
		fill_time(r, clock_secs(r, now_ns));
	switch (idx) {
	case RTC_REG_A:
		return r->cmos[idx] | (uip(r, now_ns) ? RTC_A_UIP : 0);
	case RTC_REG_C:
		v = r->cmos[idx];
		r->cmos[idx] = 0;
		update_irq(r);
		return v;
	case RTC_REG_D:
		return RTC_D_VRT;
	default:
		return r->cmos[idx];
	}
}

static void write_data(struct rtc *r, u8 val, u64 now_ns)
{
	u8 idx = r->index;

	catch_up(r, now_ns);
	if (idx == RTC_REG_A) {
		write_reg_a(r, val, now_ns);
	} else if (idx == RTC_REG_B) {
		write_reg_b(r, val, now_ns);
	} else if (is_time_reg(idx) && !is_alarm_reg(idx)) {
		if (!r->frozen)
			fill_time(r, clock_secs(r, now_ns));
		r->cmos[idx] = val;
		if (!r->frozen)
			rebase(r, now_ns);
	} else if (idx != RTC_REG_C && idx != RTC_REG_D) {
		r->cmos[idx] = val; /* alarms and NVRAM */
	}
}

void rtc_reset(struct rtc *r, const struct pc_irq_sink *irq, u64 start_secs,
	       u64 now_ns)
{
	memset(r, 0, sizeof(*r));
	r->irq = irq;
	r->cmos[RTC_REG_A] = A_RESET_VALUE;
	r->cmos[RTC_REG_B] = RTC_B_24H;
	r->origin_ns = r->last_ns = now_ns;
	r->base_secs = start_secs;
	fill_time(r, start_secs);
}

/* The chip's RESET pin clears B's interrupt enables and SQWE and C's
 * flags; the rest is battery-backed. */
#define B_CLEARED_BY_RESET (RTC_B_PIE | RTC_B_AIE | RTC_B_UIE | RTC_B_SQWE)

void rtc_carry_over(struct rtc *r, const struct rtc *old, u64 old_now_ns)
{
	struct rtc o = *old;
	u64 now_ns = r->last_ns;

	if (!o.frozen)
		fill_time(&o, clock_secs(&o, old_now_ns));
	memcpy(r->cmos, o.cmos, sizeof(r->cmos));
	r->cmos[RTC_REG_B] &= ~B_CLEARED_BY_RESET;
	r->cmos[RTC_REG_C] = 0;
	r->frozen = o.frozen;
	/* the divider chain keeps its phase: the next second boundary is as
	 * far away as it was in the old clock */
	r->origin_ns = now_ns - (old_now_ns - o.origin_ns) % NS_PER_SEC;
	rebase(r, now_ns);
}

static void put_le(struct rtc *r, u8 idx, u64 v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		r->cmos[idx + i] = v >> (8 * i);
}

static void update_checksum(struct rtc *r)
{
	u32 sum = 0;

	for (unsigned i = 0x10; i < CMOS_CHECKSUM; i++)
		sum += r->cmos[i];
	r->cmos[CMOS_CHECKSUM] = sum >> 8;
	r->cmos[CMOS_CHECKSUM + 1] = sum;
}

void rtc_set_memory(struct rtc *r, u64 bytes_below_4g, u64 bytes_above_4g)
{
	u64 ext = bytes_below_4g > MIB ? (bytes_below_4g - MIB) >> 10 : 0;
	u64 above_16m = bytes_below_4g > 16 * MIB ?
				(bytes_below_4g - 16 * MIB) >> 16 : 0;

	put_le(r, CMOS_BASE_MEM, 640, 2);
	put_le(r, CMOS_EXT_MEM, MIN(ext, 0xffff), 2);
	put_le(r, CMOS_EXT_MEM2, MIN(ext, 0xffff), 2);
	put_le(r, CMOS_MEM_16M, MIN(above_16m, 0xffff), 2);
	put_le(r, CMOS_MEM_4G, MIN(bytes_above_4g >> 16, 0xffffff), 3);
	update_checksum(r);
}

u8 rtc_read(struct rtc *r, u16 port, u64 now_ns)
{
	if (port == RTC_PORT_DATA)
		return read_data(r, now_ns);
	return 0xff; /* the index register is write-only */
}

void rtc_write(struct rtc *r, u16 port, u8 val, u64 now_ns)
{
	if (port == RTC_PORT_INDEX) {
		r->index = val & 0x7f;
		r->nmi_masked = val & 0x80;
	} else if (port == RTC_PORT_DATA) {
		write_data(r, val, now_ns);
	}
}

static u64 next_period_ns(const struct rtc *r, u64 after_ns)
{
	u64 period = periodic_ticks(r);
	u64 tick = (periods_by(r, after_ns, period) + 1) * period;

	return r->origin_ns + clock_ns_of_tick(tick, RTC_HZ);
}

static u64 next_update_ns(const struct rtc *r, u64 after_ns)
{
	return r->origin_ns + (updates_by(r, after_ns) + 1) * NS_PER_SEC;
}

u64 rtc_next_event_ns(const struct rtc *r, u64 now_ns)
{
	u8 b = r->cmos[RTC_REG_B];
	u64 next = RTC_NO_EVENT;

	if (r->irq_level || !divider_runs(r))
		return RTC_NO_EVENT; /* nothing changes until C is read */
	if ((b & RTC_B_PIE) && periodic_ticks(r))
		next = next_period_ns(r, r->last_ns);
	if ((b & (RTC_B_UIE | RTC_B_AIE)) && updates_run(r))
		next = MIN(next, next_update_ns(r, r->last_ns));
	return next == RTC_NO_EVENT ? next : MAX(next, now_ns);
}

void rtc_advance(struct rtc *r, u64 now_ns)
{
	catch_up(r, now_ns);
}
