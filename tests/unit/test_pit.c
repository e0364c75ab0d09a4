/* The 8254 PIT model (guests/mgmt/pit.c) against the rules of the Intel
 * 8254 datasheet: clock conversion from nanoseconds, counter values in
 * each mode, the counter latch and read-back commands, access modes,
 * channel 0's output on IRQ 0 (one-shot and periodic, advanced late),
 * the gates and port 0x61, and Linux's two TSC calibration loops on
 * channel 2. */
#include "check.h"
#include "irq_log.h"
#include "../../guests/mgmt/pit.c"

/* 1 s: the clock has ticked exactly PIT_HZ times. */
#define T0 1000000000ULL
#define TICK0 ((u64)PIT_HZ)

static struct pit pit;

static void setup(void)
{
	memset(&irqs, 0, sizeof(irqs));
	pit_reset(&pit, &sink);
}

static u64 ns_of(u64 tick)
{
	return clock_ns_of_tick(tick, PIT_HZ);
}

static void control(unsigned ch, unsigned rw, unsigned mode, u64 now)
{
	pit_write(&pit, PIT_PORT_CTRL, ch << 6 | rw << 4 | mode << 1, now);
}

/* Control word with LSB/MSB access, then the count. */
static void program(unsigned ch, unsigned mode, u32 count, u64 now)
{
	control(ch, 3, mode, now);
	pit_write(&pit, PIT_PORT_CH0 + ch, count & 0xff, now);
	pit_write(&pit, PIT_PORT_CH0 + ch, (count >> 8) & 0xff, now);
}

static u16 read_word(unsigned ch, u64 now)
{
	u16 lo = pit_read(&pit, PIT_PORT_CH0 + ch, now);

	return lo | pit_read(&pit, PIT_PORT_CH0 + ch, now) << 8;
}

/* Counter latch command, then both bytes. */
static u16 latched(unsigned ch, u64 now)
{
	control(ch, 0, 0, now);
	return read_word(ch, now);
}

/* Read-back of one channel's status alone. */
static u8 status(unsigned ch, u64 now)
{
	pit_write(&pit, PIT_PORT_CTRL, 0xe0 | 2u << ch, now);
	return pit_read(&pit, PIT_PORT_CH0 + ch, now);
}

TEST(clock_ticks_exact)
{
	CHECK_EQ(clock_ticks(0, PIT_HZ), 0);
	CHECK_EQ(clock_ticks(838, PIT_HZ), 0);
	CHECK_EQ(clock_ticks(839, PIT_HZ), 1);
	CHECK_EQ(clock_ticks(T0, PIT_HZ), 1193182);
	CHECK_EQ(clock_ticks(1000000ULL * T0, PIT_HZ), 1193182000000ULL);
	/* no overflow at the end of the 64-bit range */
	CHECK_EQ(clock_ticks(~0ULL, PIT_HZ), 22010322987356910ULL);
	CHECK_EQ(clock_ns_of_tick(1, PIT_HZ), 839);
	CHECK_EQ(clock_ns_of_tick(TICK0, PIT_HZ), T0);
	CHECK_EQ(clock_ns_of_tick(~0ULL, PIT_HZ), ~0ULL);
}

TEST(mode2_counts_at_several_times)
{
	setup();
	program(0, 2, 1000, T0);
	CHECK_EQ(latched(0, T0), 1000);
	CHECK_EQ(latched(0, T0 + 100000), 1000 - 119);
	CHECK_EQ(latched(0, T0 + 1000000), 1000 - 193);
	CHECK_EQ(latched(0, T0 + 2500000000ULL), 1000 - 955);
}

TEST(mode0_counts_down_and_wraps)
{
	setup();
	program(0, 0, 0x100, T0);
	CHECK_EQ(latched(0, ns_of(TICK0 + 0x10)), 0xf0);
	CHECK_EQ(latched(0, ns_of(TICK0 + 0x100)), 0);
	CHECK_EQ(latched(0, ns_of(TICK0 + 0x101)), 0xffff);
	CHECK_EQ(latched(0, ns_of(TICK0 + 0x200)), 0xff00);
}

TEST(unlatched_reads_alternate_lsb_msb)
{
	setup();
	program(0, 0, 0x1234, T0);
	CHECK_EQ(pit_read(&pit, 0x40, ns_of(TICK0 + 0x34)), 0x00);
	CHECK_EQ(pit_read(&pit, 0x40, ns_of(TICK0 + 0x134)), 0x11);
	CHECK_EQ(pit_read(&pit, 0x40, ns_of(TICK0 + 0x135)), 0xff);
}

TEST(latch_holds_value_while_counter_runs)
{
	setup();
	program(0, 2, 50000, T0);
	control(0, 0, 0, ns_of(TICK0 + 100));
	CHECK_EQ(pit_read(&pit, 0x40, ns_of(TICK0 + 5000)), (49900 & 0xff));
	/* a second latch before the read completes is ignored */
	control(0, 0, 0, ns_of(TICK0 + 6000));
	CHECK_EQ(pit_read(&pit, 0x40, ns_of(TICK0 + 7000)), 49900 >> 8);
	/* then reads follow the counter again */
	CHECK_EQ(read_word(0, ns_of(TICK0 + 8000)), 42000);
	CHECK_EQ(latched(0, ns_of(TICK0 + 9000)), 41000);
}

TEST(access_lsb_only_and_msb_only)
{
	setup();
	control(1, 1, 0, T0);
	pit_write(&pit, 0x41, 0x34, T0);
	CHECK_EQ(pit.ch[1].count, 0x34);
	CHECK_EQ(pit_read(&pit, 0x41, ns_of(TICK0 + 4)), 0x30);
	CHECK_EQ(pit_read(&pit, 0x41, ns_of(TICK0 + 5)), 0x2f);
	control(1, 2, 0, T0);
	pit_write(&pit, 0x41, 0x12, T0);
	CHECK_EQ(pit.ch[1].count, 0x1200);
	CHECK_EQ(pit_read(&pit, 0x41, ns_of(TICK0 + 0x100)), 0x11);
	CHECK_EQ(pit_read(&pit, 0x41, ns_of(TICK0 + 0x101)), 0x10);
}

TEST(count_zero_is_65536)
{
	setup();
	program(0, 2, 0, T0);
	CHECK_EQ(pit.ch[0].count, 0x10000);
	CHECK_EQ(pit_next_event_ns(&pit, T0), ns_of(TICK0 + 0x10000));
	CHECK_EQ(latched(0, ns_of(TICK0 + 1)), 0xffff);
	CHECK_EQ(latched(0, ns_of(TICK0 + 0x10000)), 0);
}

TEST(read_back_status)
{
	setup();
	control(0, 3, 0, T0);
	/* mode 0: output low, null count until a count is loaded */
	CHECK_EQ(status(0, T0), 0x70);
	pit_write(&pit, 0x40, 100, T0);
	CHECK_EQ(status(0, T0), 0x70); /* one byte of two: still null */
	pit_write(&pit, 0x40, 0, T0);
	CHECK_EQ(status(0, T0), 0x70); /* loaded on the next clock */
	CHECK_EQ(status(0, ns_of(TICK0 + 1)), 0x30);
	CHECK_EQ(status(0, ns_of(TICK0 + 100)), 0xb0);
	/* mode 3, LSB only, BCD: output high */
	pit_write(&pit, PIT_PORT_CTRL, 0x57, T0);
	CHECK_EQ(status(1, T0), 0xd7);
	CHECK_EQ(pit.ch[1].bcd, true);
}

TEST(read_back_status_then_count)
{
	setup();
	program(0, 2, 1000, T0);
	program(2, 0, 3000, T0);
	/* both channels, count and status */
	pit_write(&pit, PIT_PORT_CTRL, 0xca, ns_of(TICK0 + 10));
	CHECK_EQ(pit_read(&pit, 0x40, ns_of(TICK0 + 50)), 0xb4);
	CHECK_EQ(read_word(0, ns_of(TICK0 + 60)), 990);
	CHECK_EQ(read_word(0, ns_of(TICK0 + 70)), 930);
	/* channel 2's gate is low (port 0x61): its count has not moved */
	CHECK_EQ(pit_read(&pit, 0x42, ns_of(TICK0 + 80)), 0x30);
	CHECK_EQ(read_word(2, ns_of(TICK0 + 90)), 3000);
	/* a count-only read-back leaves the status unlatched */
	pit_write(&pit, PIT_PORT_CTRL, 0xd2, ns_of(TICK0 + 100));
	CHECK_EQ(read_word(0, ns_of(TICK0 + 200)), 900);
	CHECK_EQ(pit.ch[0].status_latched, false);
}

TEST(mode0_irq0_edge_on_terminal_count)
{
	setup();
	program(0, 0, 100, T0);
	CHECK_EQ(irqs.level[0], false);
	CHECK_EQ(irqs.rises[0], 0);
	CHECK_EQ(pit_next_event_ns(&pit, T0), ns_of(TICK0 + 100));
	pit_advance(&pit, ns_of(TICK0 + 100) - 1);
	CHECK_EQ(irqs.rises[0], 0);
	CHECK_EQ(status(0, ns_of(TICK0 + 99)) & 0x80, 0);
	pit_advance(&pit, ns_of(TICK0 + 100));
	CHECK_EQ(irqs.rises[0], 1);
	CHECK_EQ(irqs.level[0], true);
	CHECK_EQ(status(0, ns_of(TICK0 + 100)) & 0x80, 0x80);
	CHECK_EQ(pit_next_event_ns(&pit, ns_of(TICK0 + 100)), PIT_NO_EVENT);
	pit_advance(&pit, 10 * T0);
	CHECK_EQ(irqs.rises[0], 1);
	CHECK_EQ(pit.irq0_edges, 1);
	/* a new count takes the output low and starts over */
	program(0, 0, 10, 10 * T0);
	CHECK_EQ(irqs.level[0], false);
	pit_advance(&pit, ns_of(10 * TICK0 + 10));
	CHECK_EQ(irqs.rises[0], 2);
}

TEST(mode0_first_byte_stops_counting)
{
	setup();
	program(0, 0, 100, T0);
	pit_write(&pit, 0x40, 50, ns_of(TICK0 + 10));
	CHECK_EQ(pit_next_event_ns(&pit, ns_of(TICK0 + 10)), PIT_NO_EVENT);
	pit_write(&pit, 0x40, 0, ns_of(TICK0 + 20));
	CHECK_EQ(pit_next_event_ns(&pit, ns_of(TICK0 + 20)), ns_of(TICK0 + 70));
}

TEST(mode2_periods_over_long_advance)
{
	u64 now = 11 * T0;

	setup();
	program(0, 2, 11932, T0); /* about 100 Hz */
	/* the output goes high with the control word, as the 8254's does */
	CHECK_EQ(irqs.level[0], true);
	CHECK_EQ(irqs.rises[0], 1);
	irqs.rises[0] = 0;
	pit_advance(&pit, now);
	/* 10 s = 11931820 clocks: 999 whole periods, one coalesced edge */
	CHECK_EQ(pit.irq0_edges, 999);
	CHECK_EQ(irqs.rises[0], 1);
	pit_advance(&pit, now);
	CHECK_EQ(pit.irq0_edges, 999);
	CHECK_EQ(pit_next_event_ns(&pit, now), ns_of(TICK0 + 1000 * 11932));
	/* then at each event: exactly one edge each */
	for (unsigned i = 0; i < 100; i++) {
		now = pit_next_event_ns(&pit, now);
		CHECK_EQ(now, ns_of(TICK0 + (1000 + i) * 11932ULL));
		pit_advance(&pit, now);
		CHECK_EQ(pit.irq0_edges, 1000 + i);
	}
	CHECK_EQ(irqs.rises[0], 101);
	/* late by 3.5 periods: 3 edges counted, the phase is kept */
	now = ns_of(TICK0 + 1103 * 11932ULL + 5966);
	pit_advance(&pit, now);
	CHECK_EQ(pit.irq0_edges, 1103);
	CHECK_EQ(pit_next_event_ns(&pit, now), ns_of(TICK0 + 1104 * 11932ULL));
}

TEST(mode2_output_low_one_clock)
{
	setup();
	program(0, 2, 4, T0);
	CHECK_EQ(status(0, ns_of(TICK0 + 2)) & 0x80, 0x80);
	CHECK_EQ(status(0, ns_of(TICK0 + 3)) & 0x80, 0);
	CHECK_EQ(status(0, ns_of(TICK0 + 4)) & 0x80, 0x80);
	CHECK_EQ(status(0, ns_of(TICK0 + 7)) & 0x80, 0);
	CHECK_EQ(latched(0, ns_of(TICK0 + 3)), 1);
	CHECK_EQ(latched(0, ns_of(TICK0 + 4)), 4);
}

TEST(mode3_square_wave_and_periods)
{
	u64 t;

	setup();
	program(0, 3, 1000, T0);
	CHECK_EQ(status(0, ns_of(TICK0 + 499)) & 0x80, 0x80);
	CHECK_EQ(status(0, ns_of(TICK0 + 500)) & 0x80, 0);
	CHECK_EQ(status(0, ns_of(TICK0 + 999)) & 0x80, 0);
	CHECK_EQ(status(0, ns_of(TICK0 + 1000)) & 0x80, 0x80);
	/* counts down by two in each half */
	CHECK_EQ(latched(0, ns_of(TICK0 + 10)), 980);
	CHECK_EQ(latched(0, ns_of(TICK0 + 510)), 980);
	/* 60 s: 71590920 clocks = 71590 periods */
	irqs.rises[0] = 0;
	pit_advance(&pit, 61 * T0);
	CHECK_EQ(irqs.rises[0], 1);
	CHECK_EQ(irqs.level[0], false); /* 920 clocks in: second half */
	CHECK_EQ(pit.irq0_edges, 71590);
	t = pit_next_event_ns(&pit, 61 * T0);
	CHECK_EQ(t, ns_of(TICK0 + 71591000ULL));
	/* the line is low in the second half and rises at the period */
	pit_advance(&pit, ns_of(TICK0 + 71590600ULL));
	CHECK_EQ(irqs.level[0], false);
	pit_advance(&pit, t);
	CHECK_EQ(irqs.level[0], true);
	CHECK_EQ(irqs.rises[0], 2);
	CHECK_EQ(pit.irq0_edges, 71591);
}

TEST(mode3_odd_count)
{
	setup();
	program(0, 3, 5, T0);
	CHECK_EQ(status(0, ns_of(TICK0 + 2)) & 0x80, 0x80);
	CHECK_EQ(status(0, ns_of(TICK0 + 3)) & 0x80, 0);
	CHECK_EQ(status(0, ns_of(TICK0 + 4)) & 0x80, 0);
	CHECK_EQ(status(0, ns_of(TICK0 + 5)) & 0x80, 0x80);
	CHECK_EQ(latched(0, ns_of(TICK0 + 1)), 2);
}

TEST(mode4_strobe)
{
	setup();
	program(0, 4, 20, T0);
	CHECK_EQ(irqs.level[0], true);
	CHECK_EQ(pit_next_event_ns(&pit, T0), ns_of(TICK0 + 21));
	CHECK_EQ(status(0, ns_of(TICK0 + 19)) & 0x80, 0x80);
	CHECK_EQ(status(0, ns_of(TICK0 + 20)) & 0x80, 0);
	CHECK_EQ(status(0, ns_of(TICK0 + 21)) & 0x80, 0x80);
	/* high, low for one clock, high: one edge past terminal count */
	CHECK_EQ(irqs.rises[0], 2);
	CHECK_EQ(pit.irq0_edges, 1);
	pit_advance(&pit, 5 * T0);
	CHECK_EQ(pit.irq0_edges, 1);
}

TEST(mode1_one_shot_on_gate_trigger)
{
	setup();
	program(2, 1, 10, T0);
	CHECK_EQ(pit_read(&pit, 0x61, T0) & 0x20, 0x20);
	CHECK_EQ(latched(2, 2 * T0), 10); /* waits for the trigger */
	pit_write(&pit, 0x61, 0x01, 2 * T0);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(2 * TICK0 + 9)) & 0x20, 0);
	CHECK_EQ(latched(2, ns_of(2 * TICK0 + 4)), 6);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(2 * TICK0 + 10)) & 0x20, 0x20);
	/* retriggered: low again for N clocks */
	pit_write(&pit, 0x61, 0x00, 3 * T0);
	pit_write(&pit, 0x61, 0x01, 4 * T0);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(4 * TICK0 + 9)) & 0x20, 0);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(4 * TICK0 + 10)) & 0x20, 0x20);
}

TEST(mode5_strobe_on_gate_trigger)
{
	setup();
	program(2, 5, 8, T0);
	CHECK_EQ(pit_read(&pit, 0x61, 2 * T0) & 0x20, 0x20);
	pit_write(&pit, 0x61, 0x01, 2 * T0);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(2 * TICK0 + 7)) & 0x20, 0x20);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(2 * TICK0 + 8)) & 0x20, 0);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(2 * TICK0 + 9)) & 0x20, 0x20);
}

TEST(gate_low_pauses_mode0)
{
	setup();
	pit_write(&pit, 0x61, 0x01, T0);
	program(2, 0, 1000, T0);
	pit_write(&pit, 0x61, 0x00, ns_of(TICK0 + 300));
	CHECK_EQ(latched(2, 3 * T0), 700);
	pit_write(&pit, 0x61, 0x01, 3 * T0);
	CHECK_EQ(latched(2, ns_of(3 * TICK0 + 100)), 600);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(3 * TICK0 + 699)) & 0x20, 0);
	CHECK_EQ(pit_read(&pit, 0x61, ns_of(3 * TICK0 + 700)) & 0x20, 0x20);
}

TEST(gate_restarts_mode2)
{
	setup();
	pit_write(&pit, 0x61, 0x01, T0);
	program(2, 2, 100, T0);
	pit_write(&pit, 0x61, 0x00, ns_of(TICK0 + 30));
	CHECK_EQ(latched(2, ns_of(TICK0 + 500)), 70);
	pit_write(&pit, 0x61, 0x01, ns_of(TICK0 + 500));
	CHECK_EQ(latched(2, ns_of(TICK0 + 510)), 90);
}

TEST(port61_bits)
{
	setup();
	CHECK_EQ(pit_read(&pit, 0x61, 0), 0x00); /* unprogrammed: low */
	pit_write(&pit, 0x61, 0xff, 0);
	CHECK_EQ(pit_read(&pit, 0x61, 0), 0x0f);
	program(2, 3, 100, 0);
	CHECK_EQ(pit_read(&pit, 0x61, 0), 0x2f);
	pit_write(&pit, 0x61, 0x02, 0);
	CHECK_EQ(pit.ch[2].gate, false);
	/* the refresh bit toggles every 15.085 us */
	CHECK_EQ(pit_read(&pit, 0x61, 15084) & 0x10, 0);
	CHECK_EQ(pit_read(&pit, 0x61, 15085) & 0x10, 0x10);
	CHECK_EQ(pit_read(&pit, 0x61, 30170) & 0x10, 0);
	/* the control word register reads as nothing */
	CHECK_EQ(pit_read(&pit, PIT_PORT_CTRL, 0), 0xff);
}

TEST(channel0_gate_always_high)
{
	setup();
	pit_write(&pit, 0x61, 0x00, T0);
	program(0, 2, 10, T0);
	CHECK_EQ(latched(0, ns_of(TICK0 + 3)), 7);
}

/* pit_calibrate_tsc: gate on, speaker off, channel 2 mode 0 with a
 * 50 ms count, then poll port 0x61 until OUT2 goes high. */
TEST(linux_pit_calibrate_tsc_loop)
{
	u64 now = T0 + 123, step = 1000, latch = PIT_HZ / 20;
	unsigned polls = 0;

	setup();
	pit_write(&pit, 0x61, (pit_read(&pit, 0x61, now) & ~0x02) | 0x01, now);
	pit_write(&pit, PIT_PORT_CTRL, 0xb0, now);
	pit_write(&pit, 0x42, latch & 0xff, now);
	pit_write(&pit, 0x42, latch >> 8, now);
	while (!(pit_read(&pit, 0x61, now) & 0x20) && polls < 100000) {
		now += step;
		polls++;
	}
	CHECK_EQ(latch, 59659);
	/* the first poll at or after the terminal count's nanosecond */
	CHECK_EQ(now, T0 + 123 + ((ns_of(TICK0 + latch) - T0 - 123 + step - 1) /
				   step) * step);
	CHECK_EQ(polls, 50000);
}

/* quick_pit_calibrate: channel 2 mode 0 from 0xffff, then reads of
 * LSB (discarded) and MSB until the MSB changes; each MSB step is 256
 * clocks. */
TEST(linux_quick_pit_calibrate_msb)
{
	u64 now = T0, seen[4];
	u8 expect = 0xff;

	setup();
	pit_write(&pit, 0x61, (pit_read(&pit, 0x61, now) & ~0x02) | 0x01, now);
	pit_write(&pit, PIT_PORT_CTRL, 0xb0, now);
	pit_write(&pit, 0x42, 0xff, now);
	pit_write(&pit, 0x42, 0xff, now);
	for (unsigned i = 0; i < 4; i++) {
		for (;;) {
			pit_read(&pit, 0x42, now);
			if (pit_read(&pit, 0x42, now) != expect)
				break;
			now += 1;
		}
		seen[i] = now;
		expect--;
	}
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(seen[i], ns_of(TICK0 + 256 * (i + 1)));
	CHECK_EQ(seen[0] - T0, 214553);
	CHECK_EQ(seen[1] - seen[0], 214552);
}

RUN_TESTS("pit", T(clock_ticks_exact), T(mode2_counts_at_several_times),
	  T(mode0_counts_down_and_wraps), T(unlatched_reads_alternate_lsb_msb),
	  T(latch_holds_value_while_counter_runs),
	  T(access_lsb_only_and_msb_only), T(count_zero_is_65536),
	  T(read_back_status), T(read_back_status_then_count),
	  T(mode0_irq0_edge_on_terminal_count),
	  T(mode0_first_byte_stops_counting),
	  T(mode2_periods_over_long_advance), T(mode2_output_low_one_clock),
	  T(mode3_square_wave_and_periods), T(mode3_odd_count),
	  T(mode4_strobe), T(mode1_one_shot_on_gate_trigger),
	  T(mode5_strobe_on_gate_trigger), T(gate_low_pauses_mode0),
	  T(gate_restarts_mode2), T(port61_bits),
	  T(channel0_gate_always_high), T(linux_pit_calibrate_tsc_loop),
	  T(linux_quick_pit_calibrate_msb))
