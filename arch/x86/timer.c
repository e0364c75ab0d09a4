/* The host's one-shot local-APIC timer, armed for a point in host TSC
 * time: the end of a child's time slice or its next virtual LAPIC timer,
 * whichever comes first. Its interrupt makes the CPU leave the guest (an
 * INTR exit) or wakes it from HLT; the core reads the TSC to learn what
 * is due. At boot the APIC timer's rate is measured against the TSC, so
 * TSC cycles convert to its ticks. The TSC's frequency is learnt here
 * too, with the rest of the hypervisor's time. */
#include "arch/x86/tsc.h"
#include "arch/x86/apic_ipi.h"
#include "arch/x86/percpu.h"
#include "drivers/lapic.h"
#include "hv/arch.h"
#include "hv/log.h"

#define TIMER_VECTOR 0xec
#define CALIBRATE_MS 2              /* measured over this much TSC time */
#define CALIBRATE_CYCLES 10000000u  /* when the TSC's frequency is unknown */
#define COUNT_MAX 0xffffffffu

/* The timer's rate: `ticks` of it take `cycles` of the TSC. */
static struct timer_rate {
	u64 ticks, cycles;
} rate = { 1, 1 };

/* The TSC when the timer was set up: the hypervisor's start, from which
 * the idle times count. */
static u64 start_tsc;

/* Each CPU's own timer: whether it fired, and the host TSC it is armed
 * for (0: disarmed); and its time halted in arch_timer_wait, which other
 * CPUs read without the lock (arch_timer_idle_tsc): the ticks of the
 * halts that ended, and when the one going on began (0: none). Only the
 * CPU writes them, `idle_seq` odd while it does. A line each: the CPU
 * writes its own on every slice. The rate and the memos below are
 * shared, guarded by hv_lock (hv/lock.h). */
static struct cpu_timer {
	volatile bool fired;
	u64 armed_at;
	volatile u32 idle_seq;
	volatile u64 idle_tsc, idle_since;
} __attribute__((aligned(64))) cpu_timers[PERCPU_MAX];

static struct cpu_timer *timer_here(void)
{
	return &cpu_timers[arch_cpu_id()];
}

/* The last conversion's range: every count of cycles in (lo, hi]
 * converts to `ticks` (cycles_to_ticks rounds up, ticks_to_cycles down),
 * so a slice's start, armed about as far ahead each time, converts once.
 * hi 0: empty. */
static struct tick_memo {
	u64 lo, hi;
	u32 ticks;
} memo;

/* Ticks for `cycles` TSC cycles, rounded up (the timer never fires
 * before its point), at least 1 (a count of 0 stops the timer) and at
 * most the counter's range. Split at whole `r->cycles` so nothing
 * overflows. */
static u32 cycles_to_ticks(const struct timer_rate *r, u64 cycles)
{
	u64 whole = cycles / r->cycles, rest = cycles % r->cycles;
	u64 ticks;

	if (whole > COUNT_MAX / r->ticks)
		return COUNT_MAX;
	ticks = whole * r->ticks + (rest * r->ticks + r->cycles - 1) / r->cycles;
	return ticks > COUNT_MAX ? COUNT_MAX : ticks ? (u32)ticks : 1;
}

static u64 ticks_to_cycles(const struct timer_rate *r, u32 ticks)
{
	return (u64)ticks / r->ticks * r->cycles + (u64)ticks % r->ticks * r->cycles / r->ticks;
}

/* Counts the APIC timer down from its top over a stretch of TSC time. */
static struct timer_rate measure_rate(void)
{
	u64 cycles = tsc_khz() ? (u64)tsc_khz() * CALIBRATE_MS : CALIBRATE_CYCLES;
	u64 start, end;
	u32 left;

	lapic_timer_oneshot(TIMER_VECTOR, COUNT_MAX);
	start = rdtsc();
	do
		end = rdtsc();
	while (end - start < cycles);
	left = lapic_timer_current();
	lapic_timer_stop();
	return (struct timer_rate){ COUNT_MAX - left, end - start };
}

void arch_timer_init(void)
{
	start_tsc = rdtsc();
	lapic_init();
	tsc_init();
	rate = measure_rate();
	if (!rate.ticks || !rate.cycles)
		rate = (struct timer_rate){ 1, 1 };
	memo = (struct tick_memo){ 0 };
	log_info("timer: %llu APIC timer ticks per %llu TSC cycles",
		 (unsigned long long)rate.ticks, (unsigned long long)rate.cycles);
}

/* Asked once per time slice, nearly always for the same count: the last
 * conversion is kept. The rate is measured at boot, before any slice
 * (and 0 ticks are 0 cycles at any rate). */
u64 arch_timer_ticks_to_tsc(u32 ticks)
{
	static u32 last_ticks;
	static u64 last_cycles;

	if (ticks != last_ticks) {
		last_ticks = ticks;
		last_cycles = ticks_to_cycles(&rate, ticks);
	}
	return last_cycles;
}

static u32 cycles_to_ticks_memo(u64 cycles)
{
	u32 t;

	if (cycles > memo.lo && cycles <= memo.hi)
		return memo.ticks;
	t = cycles_to_ticks(&rate, cycles);
	if (t > 1 && t < COUNT_MAX)
		memo = (struct tick_memo){ ticks_to_cycles(&rate, t - 1), ticks_to_cycles(&rate, t), t };
	return t;
}

/* Re-armed only when the point moved or the timer went off: an MMIO
 * write saved on most exits. */
void arch_timer_arm_at(u64 tsc)
{
	struct cpu_timer *t = timer_here();
	u64 now;

	if (tsc == t->armed_at && !t->fired)
		return;
	t->fired = false;
	t->armed_at = tsc;
	now = rdtsc();
	lapic_timer_oneshot(TIMER_VECTOR, cycles_to_ticks_memo(tsc > now ? tsc - now : 0));
}

u64 arch_timer_armed_at(void)
{
	return timer_here()->armed_at;
}

void arch_timer_disarm(void)
{
	timer_here()->armed_at = 0;
	lapic_timer_stop();
}

/* Starts (since: its TSC) or ends (since 0, `ticks` long) a halt in the
 * CPU's idle figures; a reader that saw idle_seq odd, or changed, reads
 * again. */
static void idle_mark(struct cpu_timer *t, u64 since, u64 ticks)
{
	t->idle_seq++;
	asm volatile("" ::: "memory"); /* x86 keeps stores in order */
	t->idle_tsc += ticks;
	t->idle_since = since;
	asm volatile("" ::: "memory");
	t->idle_seq++;
}

/* The hypervisor runs with interrupts off: STI's one-instruction shadow
 * keeps an interrupt from coming between it and HLT, so one that is
 * already pending, or comes later, ends the HLT. The time halted is the
 * CPU's idle time: every wait of the hypervisor comes here. */
void arch_timer_wait(void)
{
	struct cpu_timer *t = timer_here();
	u64 start = rdtsc();

	idle_mark(t, start, 0);
	asm volatile("sti; hlt; cli" ::: "memory");
	idle_mark(t, 0, rdtsc() - start);
}

u64 arch_timer_start_tsc(void)
{
	return start_tsc;
}

/* The halts that ended, and the one going on up to `now`. */
u64 arch_timer_idle_tsc(u32 cpu, u64 now)
{
	const struct cpu_timer *t = &cpu_timers[cpu];
	u64 idle, since;
	u32 seq;

	do {
		seq = t->idle_seq;
		asm volatile("" ::: "memory"); /* x86 keeps loads in order */
		idle = t->idle_tsc;
		since = t->idle_since;
		asm volatile("" ::: "memory");
	} while ((seq & 1) || seq != t->idle_seq);
	return since && now > since ? idle + (now - since) : idle;
}

void arch_irq(u8 vector)
{
	if (vector == LAPIC_SPURIOUS_VECTOR)
		return; /* no EOI for the spurious vector */
	if (vector == TIMER_VECTOR)
		timer_here()->fired = true;
	else if (vector != KICK_VECTOR) /* a kick needs nothing but the EOI */
		log_warn("irq: unexpected vector 0x%x", vector);
	lapic_eoi();
}
