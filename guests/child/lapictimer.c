/* A child with the virtual LAPIC (hvctl `vm create ... lapic`) programs
 * its timer through the xAPIC page and checks, in its own TSC, that each
 * interrupt arrives at or after the programmed time, not far past it,
 * with the programmed vector: one-shot while it spins with interrupts
 * on, periodic over a few periods while it halts, one-shot across
 * several of its time slices while halted, and TSC-deadline when CPUID
 * offers it. Every HLT (interrupts enabled) must end with the timer's
 * interrupt: a halted vCPU waits in the hypervisor until it fires.
 * One more one-shot interrupt must come once: its handler spins with
 * interrupts disabled for a quarter of a second before its EOI, and the
 * vector must not come again inside it.
 * With `clihlt` on its command line it ends with HLT and interrupts
 * disabled instead, which still goes to its VMM. */
#include "guests/lib/test.h"
#include "guests/lib/timing.h"
#include "lib/string.h"

const char test_title[] = "Virtual LAPIC timer: one-shot, periodic, TSC-deadline, HLT until it fires";

#define APIC 0xfee00000ULL
#define APIC_REG(off) (*(volatile u32 *)(APIC + (off)))
#define REG_EOI 0x0b0
#define REG_SVR 0x0f0
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIV 0x3e0
#define SVR_ENABLE BIT(8)
#define LVT_MASKED BIT(16)
#define LVT_PERIODIC (1u << 17)
#define LVT_TSC_DEADLINE (2u << 17)
#define DIV_BY_1 0xb
#define DIV_BY_4 0x1
#define MSR_TSC_DEADLINE 0x6e0
#define CPUID1_ECX_TSC_DEADLINE BIT(24)
#define HV_LEAF_TSC 0x40000010

#define VEC_ONESHOT 0x40
#define VEC_PERIODIC 0x41
#define VEC_DEADLINE 0x42
#define VEC_ONCE 0x43
#define VEC_SPURIOUS 0xff

/* The virtual timer counts down once per TSC cycle times the divisor
 * (docs/abi.md, "Virtual local APIC"). */
#define SHORT_CYCLES 200000ULL   /* well inside a time slice */
#define LONG_CYCLES 8000000ULL   /* several time slices of the tests */
#define PERIODS 4
#define ONCE_SPIN_MS 250

/* Per vector (VEC_ONESHOT..VEC_DEADLINE): how many came, the last one's
 * TSC. An interrupt pending when its timer is reprogrammed still comes,
 * as on hardware, so each part waits for its own vector. */
#define VECS 4
static volatile u32 fired[VECS], irqs;
static volatile u32 once_depth, once_nested; /* inside VEC_ONCE's handler */
static u64 once_spin; /* TSC cycles it spins there */
static volatile u64 fired_tsc[VECS];
static u64 opened_tsc; /* when interrupts were last enabled */
static u64 late_bound; /* the latest an interrupt may come past its time */
static u32 checks;

void lapic_irq(u64 vector);

/* The interrupt gates: each stub passes its vector to lapic_irq with the
 * caller-saved registers kept (the CPU aligned the stack; nine pushes
 * keep the call's alignment). */
asm(".pushsection .text\n"
    "irq_common:\n"
    "push %rax; push %rcx; push %rdx; push %rsi\n"
    "push %r8; push %r9; push %r10; push %r11\n"
    "call lapic_irq\n"
    "pop %r11; pop %r10; pop %r9; pop %r8\n"
    "pop %rsi; pop %rdx; pop %rcx; pop %rax; pop %rdi\n"
    "iretq\n"
    "irq_oneshot: push %rdi; mov $0x40, %edi; jmp irq_common\n"
    "irq_periodic: push %rdi; mov $0x41, %edi; jmp irq_common\n"
    "irq_deadline: push %rdi; mov $0x42, %edi; jmp irq_common\n"
    "irq_once: push %rdi; mov $0x43, %edi; jmp irq_common\n"
    "irq_spurious: push %rdi; mov $0xff, %edi; jmp irq_common\n"
    ".popsection");
extern const u8 irq_oneshot[], irq_periodic[], irq_deadline[], irq_once[], irq_spurious[];

/* VEC_ONCE's handler keeps interrupts disabled for once_spin TSC cycles
 * (the CPU cleared IF): nothing in it exits to the hypervisor or faults,
 * so an emulator that left the injected vector pending (QEMU's TCG SVM,
 * arch/x86/svm/svm.c) has the time to deliver it again, here. */
static void spin_inside(u64 from)
{
	if (++once_depth > 1)
		once_nested++;
	while (rdtsc_ordered() - from < once_spin)
		;
	once_depth--;
}

void lapic_irq(u64 vector)
{
	u64 now = rdtsc_ordered();

	irqs++;
	if (vector == VEC_SPURIOUS)
		return; /* no EOI */
	fired_tsc[vector - VEC_ONESHOT] = now;
	fired[vector - VEC_ONESHOT]++;
	if (vector == VEC_ONCE)
		spin_inside(now);
	APIC_REG(REG_EOI) = 0;
}

static void enable_interrupts(void)
{
	opened_tsc = rdtsc_ordered();
	asm volatile("sti" ::: "memory");
}

/* vector's last interrupt came at or after `due`, and not far past it
 * or past the moment the vCPU could take it. */
static void check_arrival(const char *what, u8 vector, u64 due)
{
	u64 at = fired_tsc[vector - VEC_ONESHOT];
	u64 could = due > opened_tsc ? due : opened_tsc;

	checks++;
	CHECK(at >= due, "%s: came %llu TSC cycles early", what, (unsigned long long)(due - at));
	CHECK(at < could || at - could <= late_bound, "%s: came %llu TSC cycles late", what,
	      (unsigned long long)(at - could));
	if (at >= could)
		gprintf("%s: vector 0x%x, %llu TSC cycles after it could come\n", what, vector,
			(unsigned long long)(at - could));
}

/* Halts with interrupts enabled until vector has come n times; every
 * HLT must end with an interrupt. */
static void halt_until(u8 vector, u32 n)
{
	while (fired[vector - VEC_ONESHOT] < n) {
		u32 before = irqs;

		opened_tsc = rdtsc_ordered();
		asm volatile("sti; hlt; cli" ::: "memory");
		checks++;
		CHECK(irqs != before, "HLT ended without an interrupt (%u so far)", before);
		if (irqs == before)
			return;
	}
}

/* One-shot while spinning with interrupts on; divide by 4. */
static void oneshot_spinning(void)
{
	u32 count = (u32)(SHORT_CYCLES / 4);
	u64 start, limit;

	APIC_REG(REG_TIMER_DIV) = DIV_BY_4;
	APIC_REG(REG_LVT_TIMER) = VEC_ONESHOT;
	start = rdtsc_ordered();
	APIC_REG(REG_TIMER_INIT) = count;
	limit = start + SHORT_CYCLES + late_bound;
	enable_interrupts();
	while (!fired[0] && rdtsc_ordered() < limit)
		asm volatile("pause");
	asm volatile("cli" ::: "memory");
	if (!fired[0]) {
		test_fail("one-shot: no interrupt within %llu TSC cycles",
			  (unsigned long long)(limit - start));
		return;
	}
	check_arrival("one-shot", VEC_ONESHOT, start + (u64)count * 4);
	CHECK(APIC_REG(REG_TIMER_CURRENT) == 0, "one-shot: current count %u after it fired",
	      APIC_REG(REG_TIMER_CURRENT));
}

/* Periodic, halted between the interrupts: the k-th comes k periods in
 * or later (a late one skips to the period's grid). */
static void periodic_halted(void)
{
	u64 start;

	APIC_REG(REG_TIMER_DIV) = DIV_BY_1;
	APIC_REG(REG_LVT_TIMER) = VEC_PERIODIC | LVT_PERIODIC;
	start = rdtsc_ordered();
	APIC_REG(REG_TIMER_INIT) = (u32)SHORT_CYCLES;
	for (u32 k = 1; k <= PERIODS; k++) {
		u32 before = fired[1];

		halt_until(VEC_PERIODIC, before + 1);
		check_arrival("periodic", VEC_PERIODIC, start + (before + 1) * SHORT_CYCLES);
	}
	APIC_REG(REG_TIMER_INIT) = 0; /* stops it */
}

/* One-shot far past the next slice ends, halted all along. */
static void oneshot_halted_long(void)
{
	u64 start;
	u32 before = fired[0];

	APIC_REG(REG_LVT_TIMER) = VEC_ONESHOT;
	start = rdtsc_ordered();
	APIC_REG(REG_TIMER_INIT) = (u32)LONG_CYCLES;
	halt_until(VEC_ONESHOT, before + 1);
	check_arrival("one-shot across slices", VEC_ONESHOT, start + LONG_CYCLES);
}

/* TSC-deadline: the time is the TSC value itself; the MSR reads 0 once
 * it fired. */
static void deadline_halted(void)
{
	u64 due, left = 1;

	if (!(guest_cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE)) {
		gprintf("TSC-deadline mode not offered: skipped\n");
		return;
	}
	APIC_REG(REG_LVT_TIMER) = VEC_DEADLINE | LVT_TSC_DEADLINE;
	due = rdtsc_ordered() + SHORT_CYCLES;
	CHECK(wrmsr_safe(MSR_TSC_DEADLINE, due), "wrmsr IA32_TSC_DEADLINE: #GP");
	halt_until(VEC_DEADLINE, 1);
	check_arrival("TSC-deadline", VEC_DEADLINE, due);
	CHECK(rdmsr_safe(MSR_TSC_DEADLINE, &left) && left == 0,
	      "IA32_TSC_DEADLINE reads 0x%llx after it fired", (unsigned long long)left);
}

/* One one-shot interrupt, one delivery, however long its handler runs
 * with interrupts disabled. */
static void delivered_once(void)
{
	u32 before = fired[VEC_ONCE - VEC_ONESHOT];

	APIC_REG(REG_TIMER_DIV) = DIV_BY_1;
	APIC_REG(REG_LVT_TIMER) = VEC_ONCE;
	APIC_REG(REG_TIMER_INIT) = (u32)SHORT_CYCLES;
	halt_until(VEC_ONCE, before + 1);
	checks++;
	CHECK(!once_nested, "vector 0x%x came again %u times inside its handler, interrupts "
	      "disabled", VEC_ONCE, once_nested);
	CHECK(fired[VEC_ONCE - VEC_ONESHOT] == before + 1, "one one-shot came %u times",
	      fired[VEC_ONCE - VEC_ONESHOT] - before);
	if (!once_nested && fired[VEC_ONCE - VEC_ONESHOT] == before + 1)
		gprintf("one-shot with a %u ms handler: came once\n", ONCE_SPIN_MS);
}

static bool clihlt_wanted(void)
{
	for (const char *c = boot_info->cmdline; *c; c++)
		if (!strncmp(c, "clihlt", 6))
			return true;
	return false;
}

void test_main(void)
{
	u32 khz = guest_cpuid(HV_LEAF_TSC, 0).eax;
	bool clihlt = clihlt_wanted();

	/* generous: a busy host can keep QEMU from waking for a while;
	 * 200 ms of TSC or 10 periods */
	late_bound = khz ? (u64)khz * 200 : 400000000ULL;
	once_spin = khz ? (u64)khz * ONCE_SPIN_MS : 500000000ULL;
	if (late_bound < 10 * SHORT_CYCLES)
		late_bound = 10 * SHORT_CYCLES;
	traps_set_gate(VEC_ONESHOT, irq_oneshot, 0);
	traps_set_gate(VEC_PERIODIC, irq_periodic, 0);
	traps_set_gate(VEC_DEADLINE, irq_deadline, 0);
	traps_set_gate(VEC_ONCE, irq_once, 0);
	traps_set_gate(VEC_SPURIOUS, irq_spurious, 0);
	APIC_REG(REG_SVR) = SVR_ENABLE | VEC_SPURIOUS;
	oneshot_spinning();
	periodic_halted();
	oneshot_halted_long();
	deadline_halted();
	if (!clihlt) /* the one child of the pair is enough */
		delivered_once();
	APIC_REG(REG_LVT_TIMER) = LVT_MASKED;
	gprintf("%u timer checks done\n", checks);
	if (clihlt) {
		asm volatile("cli; hlt" ::: "memory");
		test_fail("HLT with interrupts disabled returned");
	}
}
