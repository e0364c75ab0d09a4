/* The host timer's conversion between TSC cycles and APIC timer ticks
 * (arch/x86/timer.c): a deadline never converts to a count that runs out
 * before it, a count is never 0 (that stops the timer), far deadlines
 * saturate, and nothing overflows at the extremes. */
#include "check.h"
#include "../../arch/x86/timer.c"

/* What timer.c needs from the LAPIC driver and the log, not called here. */
void lapic_init(void) {}
void lapic_eoi(void) {}
static u32 last_count, oneshots;
void lapic_timer_oneshot(u8 vector, u32 count)
{
	(void)vector;
	last_count = count;
	oneshots++;
}
void lapic_timer_stop(void) {}
u32 lapic_timer_current(void) { return 0; }
void tsc_init(void) {}
u32 tsc_khz(void) { return 0; }
u32 arch_cpu_id(void) { return 0; }
void hv_log(enum log_level level, const char *fmt, ...) { (void)level; (void)fmt; }

/* QEMU: 62.5 MHz APIC timer (1 GHz bus / 16), a 2.5 GHz TSC, over 2 ms. */
static const struct timer_rate qemu = { 125000, 5000000 };
/* Bochs: one tick per 16 instructions, the TSC counts instructions. */
static const struct timer_rate bochs = { 62500, 1000000 };

/* The count's time in TSC cycles, exactly. */
static double ticks_in_cycles(const struct timer_rate *r, u32 ticks)
{
	return (double)ticks * (double)r->cycles / (double)r->ticks;
}

TEST(deadline_never_early)
{
	const struct timer_rate *rates[] = { &qemu, &bochs };

	for (int i = 0; i < 2; i++)
		for (u64 c = 1; c < 100000; c += 7) {
			u32 t = cycles_to_ticks(rates[i], c);

			CHECK(ticks_in_cycles(rates[i], t) >= (double)c);
			/* and at most one tick late */
			CHECK(ticks_in_cycles(rates[i], t - 1) < (double)c);
		}
}

TEST(exact_multiples)
{
	CHECK_EQ(cycles_to_ticks(&qemu, 5000000), 125000);
	CHECK_EQ(cycles_to_ticks(&qemu, 40), 1);
	CHECK_EQ(cycles_to_ticks(&qemu, 41), 2);
	CHECK_EQ(cycles_to_ticks(&bochs, 16), 1);
	CHECK_EQ(cycles_to_ticks(&bochs, 1600), 100);
}

TEST(never_zero)
{
	CHECK_EQ(cycles_to_ticks(&qemu, 0), 1);
	CHECK_EQ(cycles_to_ticks(&bochs, 0), 1);
}

TEST(far_deadlines_saturate)
{
	CHECK_EQ(cycles_to_ticks(&qemu, ~0ULL), COUNT_MAX);
	CHECK_EQ(cycles_to_ticks(&qemu, 1ULL << 40), COUNT_MAX);
	CHECK_EQ(cycles_to_ticks(&bochs, (u64)COUNT_MAX * 16), COUNT_MAX);
	CHECK_EQ(cycles_to_ticks(&bochs, (u64)COUNT_MAX * 16 - 16), COUNT_MAX - 1);
	/* a timer faster than the TSC */
	CHECK_EQ(cycles_to_ticks(&(struct timer_rate){ 1000, 1 }, 1ULL << 32), COUNT_MAX);
}

TEST(ticks_to_cycles_round_trips)
{
	CHECK_EQ(ticks_to_cycles(&qemu, 2000000), 80000000);
	CHECK_EQ(ticks_to_cycles(&bochs, 100000), 1600000);
	CHECK_EQ(ticks_to_cycles(&bochs, COUNT_MAX), (u64)COUNT_MAX * 16);
	for (u32 t = 1; t < 50000; t += 13)
		CHECK_EQ(cycles_to_ticks(&qemu, ticks_to_cycles(&qemu, t)), t);
}

TEST(arm_at_converts_from_now)
{
	u64 now;

	rate = qemu;
	now = rdtsc();
	arch_timer_arm_at(now + 5000000); /* 125000 ticks, less what passed */
	CHECK(last_count <= 125000 && last_count > 100000);
	arch_timer_arm_at(now - 1000); /* passed: at once */
	CHECK_EQ(last_count, 1);
	oneshots = 0;
	arch_timer_arm_at(now - 1000); /* the same point again: left armed */
	CHECK_EQ(oneshots, 0);
	arch_irq(TIMER_VECTOR); /* it fired: re-armed */
	arch_timer_arm_at(now - 1000);
	CHECK_EQ(oneshots, 1);
	arch_timer_disarm();
	CHECK_EQ(arch_timer_armed_at(), 0);
}

/* A CPU's idle time: the halts that ended, plus the one going on up to
 * the reader's TSC (none when that reads earlier, as another CPU's may). */
TEST(idle_time_counts_the_halt_going_on)
{
	struct cpu_timer *t = &cpu_timers[1];

	CHECK_EQ(arch_timer_idle_tsc(1, 1000), 0);
	idle_mark(t, 1000, 0);
	CHECK_EQ(arch_timer_idle_tsc(1, 1500), 500);
	CHECK_EQ(arch_timer_idle_tsc(1, 900), 0);
	idle_mark(t, 0, 700);
	CHECK_EQ(arch_timer_idle_tsc(1, 5000), 700);
	idle_mark(t, 6000, 0);
	CHECK_EQ(arch_timer_idle_tsc(1, 6100), 800);
	idle_mark(t, 0, 300);
	CHECK_EQ(arch_timer_idle_tsc(1, 9000), 1000);
	CHECK_EQ(t->idle_seq % 2, 0);
	CHECK_EQ(arch_timer_idle_tsc(0, 9000), 0); /* the other CPUs' apart */
}

RUN_TESTS("timer", T(deadline_never_early), T(exact_multiples), T(never_zero),
	  T(far_deadlines_saturate), T(ticks_to_cycles_round_trips), T(arm_at_converts_from_now),
	  T(idle_time_counts_the_halt_going_on))
