/* The MC146818 real-time clock and its CMOS RAM at ports 0x70 (index,
 * bit 7 masks NMI) and 0x71 (data). The clock runs from a start time
 * given at reset plus the child's virtual time: nothing ticks; the
 * caller passes now_ns (never going back) to every access and to
 * rtc_advance(), which sets the interrupt flags that came due and drives
 * IRQ 8 through the sink. rtc_next_event_ns() says when an enabled
 * interrupt is next due, for the VMM's wakeup. */
#ifndef GUESTS_MGMT_RTC_H
#define GUESTS_MGMT_RTC_H

#include "guests/mgmt/pc_irq.h"

#define RTC_PORT_INDEX 0x70
#define RTC_PORT_DATA 0x71
#define RTC_NO_EVENT (~0ULL)

/* CMOS indices */
#define RTC_SECONDS 0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES 0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS 0x04
#define RTC_HOURS_ALARM 0x05
#define RTC_DAY_OF_WEEK 0x06
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define RTC_CENTURY 0x32

#define RTC_A_UIP 0x80
#define RTC_B_SET 0x80
#define RTC_B_PIE 0x40
#define RTC_B_AIE 0x20
#define RTC_B_UIE 0x10
#define RTC_B_SQWE 0x08
#define RTC_B_DM 0x04 /* binary, else BCD */
#define RTC_B_24H 0x02
#define RTC_B_DSE 0x01
#define RTC_C_IRQF 0x80
#define RTC_C_PF 0x40
#define RTC_C_AF 0x20
#define RTC_C_UF 0x10
#define RTC_D_VRT 0x80

/* A calendar time (UTC), year in full. */
struct rtc_time {
	u16 year;
	u8 month, day, hour, min, sec; /* 1-12, 1-31, 0-23, 0-59, 0-59 */
};

struct rtc {
	u8 cmos[128];     /* time bytes hold a snapshot while frozen */
	u8 index;
	bool nmi_masked;  /* bit 7 of the last index write */
	bool frozen;      /* SET, or the divider not running */
	u64 origin_ns;    /* the divider chain's second boundaries */
	u64 base_secs;    /* the clock, in Unix seconds, at update base_upd */
	u64 base_upd;
	u64 last_ns;      /* flags are up to date to here */
	const struct pc_irq_sink *irq;
	bool irq_level;
};

/* Seconds since 1970-01-01 00:00:00 UTC of a calendar time. */
u64 rtc_unix_seconds(const struct rtc_time *t);
/* The clock starts at Unix time start_secs at now_ns. */
void rtc_reset(struct rtc *r, const struct pc_irq_sink *irq, u64 start_secs,
	       u64 now_ns);
/* A PC's reset: r, just reset, takes from old (the RTC before the
 * reset, at old_now_ns in the old time) what survives one on the
 * battery: the clock, running on, the NVRAM and alarm bytes, registers A
 * and B (without B's interrupt enables); C's flags are cleared. */
void rtc_carry_over(struct rtc *r, const struct rtc *old, u64 old_now_ns);
/* Fills the CMOS memory-size bytes that BIOSes and kernels read. */
void rtc_set_memory(struct rtc *r, u64 bytes_below_4g, u64 bytes_above_4g);
u8 rtc_read(struct rtc *r, u16 port, u64 now_ns);
void rtc_write(struct rtc *r, u16 port, u8 val, u64 now_ns);
u64 rtc_next_event_ns(const struct rtc *r, u64 now_ns);
void rtc_advance(struct rtc *r, u64 now_ns);

#endif
