/* The virtual LAPIC of one vCPU (`vm create NAME lapic lapic`), each
 * check after the SDM (vol. 3, "Advanced Programmable Interrupt
 * Controller"): the timer one-shot, periodic (divided too) and
 * TSC-deadline firing no earlier than the programmed count in the
 * child's own TSC and with the programmed vector, a masked timer counting
 * without an interrupt; TPR and the ISR holding back lower priority
 * classes; EOI taking the highest first; a software-disabled APIC masking
 * its LVT and dropping IPIs; ESR and the error interrupt on an illegal
 * vector; IA32_APIC_BASE disable, re-enable and relocation; the xAPIC ->
 * x2APIC -> disabled transitions with their #GP cases; and a halted vCPU
 * woken by its timer. Each check counts interrupts, never time: waits have
 * no bound (the VMM's slice bound ends a child that hangs). */
#include "guests/lib/test.h"
#include "guests/lib/timing.h"
#include "lib/string.h"

const char test_title[] = "virtual LAPIC: timer, priorities, EOI, ESR, APIC_BASE, x2APIC";

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define BASE_DEFAULT 0xfee00000ULL
#define BASE_MOVED 0xfed00000ULL
#define BASE_BSP (1ULL << 8)
#define BASE_EXTD (1ULL << 10)
#define BASE_EN (1ULL << 11)

#define APIC_ID 0x20
#define APIC_VERSION 0x30
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ISR 0x100
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define MSR_X2APIC_ICR 0x830
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0

#define LVT_MASKED (1u << 16)
#define TIMER_PERIODIC (1u << 17)
#define TIMER_TSC_DEADLINE (2u << 17)
#define DIVIDE_1 0xb
#define DIVIDE_16 0x3
#define ICR_SELF (1u << 18)
#define ICR_DM_NMI (4u << 8)
#define ESR_SEND_ILLEGAL (1u << 5)

#define SPURIOUS 0xef
#define VEC_ONESHOT 0x50
#define VEC_PERIODIC 0x51
#define VEC_DEADLINE 0x52
#define VEC_HALT 0x53
#define VEC_MASKED 0x54
#define VEC_LOW 0x55
#define VEC_HIGH 0x75
#define VEC_ERROR 0x5e
#define VEC_NMI 2

static u64 apic_base = BASE_DEFAULT;
static volatile u32 count[256];
static volatile u64 tsc_at[256][4]; /* the TSC at each vector's first 4 arrivals */
static volatile u8 order[16];
static volatile u32 order_n;
static volatile bool eoi_test; /* in 0x68: look at what the ISR holds back */
static volatile u32 held_58, isr_68;

/* Interrupt stubs: the vector to irq(), caller-saved registers kept (nine
 * pushes keep the stack 16-byte aligned at the call). */
void irq(u64 vector);
asm(".text\n"
    "irq_common:\n"
    "	pushq %rcx\n pushq %rdx\n pushq %rsi\n pushq %r8\n"
    "	pushq %r9\n pushq %r10\n pushq %r11\n pushq %rax\n"
    "	call irq\n"
    "	popq %rax\n popq %r11\n popq %r10\n popq %r9\n"
    "	popq %r8\n popq %rsi\n popq %rdx\n popq %rcx\n"
    "	popq %rdi\n"
    "	iretq\n"
    ".irp v, 0x02, 0x48, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x58, 0x5e, 0x68, 0x75, 0xef\n"
    "	.globl irq_\\v\n"
    "irq_\\v:\n"
    "	pushq %rdi\n"
    "	movl $\\v, %edi\n"
    "	jmp irq_common\n"
    ".endr\n");

#define STUB(v) extern const u8 irq_##v[]
STUB(0x02);
STUB(0x48); STUB(0x50); STUB(0x51); STUB(0x52); STUB(0x53); STUB(0x54);
STUB(0x55); STUB(0x58); STUB(0x5e); STUB(0x68); STUB(0x75); STUB(0xef);

static volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(apic_base + off);
}

static bool vec_bit(u32 base_off, u8 v)
{
	return *reg(base_off + (v / 32) * 0x10) & (1u << (v % 32));
}

static void eoi(void)
{
	*reg(APIC_EOI) = 0;
}

void irq(u64 vector)
{
	u32 n = count[vector]++;

	if (n < 4)
		tsc_at[vector][n] = rdtsc_ordered();
	if (order_n < sizeof(order))
		order[order_n++] = (u8)vector;
	if (vector == 0x68 && eoi_test) {
		/* in service: interrupts on, the lower class stays in IRR */
		asm volatile("sti");
		for (int i = 0; i < 2000; i++)
			asm volatile("pause");
		asm volatile("cli");
		held_58 = count[0x58] == 0 && vec_bit(APIC_IRR, 0x58);
		isr_68 = vec_bit(APIC_ISR, 0x68);
	}
	if (vector != SPURIOUS && vector != VEC_NMI) /* neither takes an EOI */
		eoi();
}

/* Interrupts on while waiting (not a one-instruction window per turn:
 * an emulator may look for interrupts only between blocks of code). */
static void wait_count(u8 vector, u32 want)
{
	asm volatile("sti");
	while (count[vector] < want)
		asm volatile("pause");
	asm volatile("cli");
}

/* A while with interrupts on, for what must not arrive. */
static void settle(void)
{
	asm volatile("sti");
	for (int i = 0; i < 2000; i++)
		asm volatile("pause");
	asm volatile("cli");
}

static void self_ipi(u8 vector)
{
	*reg(APIC_ICR_LO) = ICR_SELF | vector;
}

static void setup(void)
{
	const void *stubs[] = { irq_0x48, irq_0x50, irq_0x51, irq_0x52, irq_0x53, irq_0x54,
				irq_0x55, irq_0x58, irq_0x5e, irq_0x68, irq_0x75, irq_0xef };
	const u8 vecs[] = { 0x48, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x58, 0x5e, 0x68, 0x75, 0xef };
	u64 base = 0;

	for (u32 i = 0; i < sizeof(vecs); i++)
		traps_set_gate(vecs[i], stubs[i], 0);
	traps_set_gate(VEC_NMI, irq_0x02, 0);
	CHECK(rdmsr_safe(MSR_APIC_BASE, &base) && base == (BASE_DEFAULT | BASE_BSP | BASE_EN),
	      "IA32_APIC_BASE 0x%llx, want 0xfee00900", (unsigned long long)base);
	CHECK(*reg(APIC_SVR) == 0xff, "SVR after reset 0x%x, want 0xff", *reg(APIC_SVR));
	CHECK(*reg(APIC_ID) == 0, "APIC ID 0x%x, want 0", *reg(APIC_ID));
	*reg(APIC_SVR) = 0x100 | SPURIOUS;
	CHECK(*reg(APIC_SVR) == (0x100 | SPURIOUS), "SVR 0x%x, want 0x1ef", *reg(APIC_SVR));
	gprintf("version 0x%x, max LVT %u\n", *reg(APIC_VERSION) & 0xff,
		(*reg(APIC_VERSION) >> 16) & 0xff);
}

/* A one-shot count of n at divide-by-d fires once, no earlier than n * d
 * TSC ticks, with its vector, and leaves the current count at 0. */
static void timer_oneshot(u32 n, u32 dcr, u32 d)
{
	u64 t0;

	count[VEC_ONESHOT] = 0;
	*reg(APIC_TIMER_DIVIDE) = dcr;
	*reg(APIC_LVT_TIMER) = VEC_ONESHOT;
	t0 = rdtsc_ordered();
	*reg(APIC_TIMER_INITIAL) = n;
	wait_count(VEC_ONESHOT, 1);
	CHECK(tsc_at[VEC_ONESHOT][0] - t0 >= (u64)n * d,
	      "one-shot /%u fired after %llu TSC ticks, programmed %llu", d,
	      (unsigned long long)(tsc_at[VEC_ONESHOT][0] - t0), (unsigned long long)n * d);
	settle();
	CHECK(count[VEC_ONESHOT] == 1, "one-shot fired %u times", count[VEC_ONESHOT]);
	CHECK(*reg(APIC_TIMER_CURRENT) == 0, "current count after one-shot %u",
	      *reg(APIC_TIMER_CURRENT));
	gprintf("timer one-shot %u /%u: vector 0x%x once, after >= %llu TSC ticks\n", n, d,
		VEC_ONESHOT, (unsigned long long)n * d);
}

/* The period stays far above what taking one interrupt costs this guest
 * under emulation (three exits, the EOI's, the interrupt window's and,
 * on QEMU's TCG, the injection's own): with a shorter one the vector is
 * pending again whenever the handler returns, and the loop waiting for
 * it never runs an instruction. */
static void timer_periodic(void)
{
	const u32 n = 1000000;
	u64 t0;

	*reg(APIC_TIMER_DIVIDE) = DIVIDE_1;
	*reg(APIC_LVT_TIMER) = TIMER_PERIODIC | VEC_PERIODIC;
	t0 = rdtsc_ordered();
	*reg(APIC_TIMER_INITIAL) = n;
	wait_count(VEC_PERIODIC, 3);
	*reg(APIC_TIMER_INITIAL) = 0; /* stops it */
	for (u32 i = 0; i < 3; i++)
		CHECK(tsc_at[VEC_PERIODIC][i] - t0 >= (u64)(i + 1) * n,
		      "periodic: firing %u after %llu TSC ticks, want >= %llu", i + 1,
		      (unsigned long long)(tsc_at[VEC_PERIODIC][i] - t0),
		      (unsigned long long)(i + 1) * n);
	gprintf("timer periodic %u: vector 0x%x three times, each period later\n", n,
		VEC_PERIODIC);
}

/* Masked: the count runs down to 0 and no interrupt comes. */
static void timer_masked(void)
{
	*reg(APIC_TIMER_DIVIDE) = DIVIDE_1;
	*reg(APIC_LVT_TIMER) = LVT_MASKED | VEC_MASKED;
	*reg(APIC_TIMER_INITIAL) = 50000;
	CHECK(*reg(APIC_TIMER_CURRENT) <= 50000, "current count above the initial");
	asm volatile("sti");
	while (*reg(APIC_TIMER_CURRENT))
		asm volatile("pause");
	asm volatile("cli");
	CHECK(count[VEC_MASKED] == 0, "masked timer delivered %u times", count[VEC_MASKED]);
	gprintf("timer masked: counted down to 0, no interrupt\n");
}

static void timer_deadline(void)
{
	u64 deadline;

	if (!(guest_cpuid(1, 0).ecx & (1u << 24))) {
		gprintf("timer TSC-deadline: not offered by CPUID, skipped\n");
		return;
	}
	*reg(APIC_LVT_TIMER) = TIMER_TSC_DEADLINE | VEC_DEADLINE;
	deadline = rdtsc_ordered() + 150000;
	CHECK(wrmsr_safe(MSR_TSC_DEADLINE, deadline), "WRMSR IA32_TSC_DEADLINE #GP");
	wait_count(VEC_DEADLINE, 1);
	CHECK(tsc_at[VEC_DEADLINE][0] >= deadline, "TSC-deadline fired %llu ticks early",
	      (unsigned long long)(deadline - tsc_at[VEC_DEADLINE][0]));
	gprintf("timer TSC-deadline: vector 0x%x at or after the deadline\n", VEC_DEADLINE);
}

/* TPR class 6 holds back class 5, not class 7; TPR 0 lets it in. */
static void priority_tpr(void)
{
	*reg(APIC_TPR) = 0x60;
	self_ipi(VEC_LOW);
	self_ipi(VEC_HIGH);
	settle();
	CHECK(count[VEC_HIGH] == 1 && count[VEC_LOW] == 0 && vec_bit(APIC_IRR, VEC_LOW),
	      "TPR 0x60: 0x75 %u times, 0x55 %u times (want 1, 0 and 0x55 in IRR)",
	      count[VEC_HIGH], count[VEC_LOW]);
	*reg(APIC_TPR) = 0;
	wait_count(VEC_LOW, 1);
	gprintf("TPR 0x60 held 0x55 back and let 0x75 in; TPR 0 let 0x55 in\n");
}

/* Three pending vectors arrive highest first; the one in service holds
 * back a lower class until its EOI. */
static void priority_eoi_order(void)
{
	order_n = 0;
	eoi_test = true;
	self_ipi(0x48);
	self_ipi(0x58);
	self_ipi(0x68);
	wait_count(0x48, 1);
	eoi_test = false;
	CHECK(order_n == 3 && order[0] == 0x68 && order[1] == 0x58 && order[2] == 0x48,
	      "order of 0x48 0x58 0x68: %u arrivals: 0x%x 0x%x 0x%x", order_n, order[0],
	      order[1], order[2]);
	CHECK(held_58 && isr_68, "0x68 in service (ISR %u) must hold 0x58 in IRR (%u)",
	      isr_68, held_58);
	CHECK(!vec_bit(APIC_ISR, 0x48) && !vec_bit(APIC_ISR, 0x58) && !vec_bit(APIC_ISR, 0x68),
	      "ISR not empty after the EOIs");
	gprintf("EOI order 0x68 0x58 0x48; 0x68 in service held 0x58 back\n");
}

/* Software-disabled (SVR bit 8 clear): LVT entries read masked, an IPI
 * to itself is dropped; enabled again it works. */
static void software_disable(void)
{
	*reg(APIC_SVR) = SPURIOUS;
	CHECK(*reg(APIC_LVT_TIMER) & LVT_MASKED, "LVT timer unmasked while disabled");
	self_ipi(VEC_LOW);
	settle();
	*reg(APIC_SVR) = 0x100 | SPURIOUS;
	CHECK(count[VEC_LOW] == 1, "an IPI while software-disabled arrived");
	CHECK(count[SPURIOUS] == 0, "spurious vector 0x%x delivered %u times", SPURIOUS,
	      count[SPURIOUS]);
	gprintf("software-disabled: LVT masked, IPI dropped; spurious vector 0x%x\n", SPURIOUS);
}

/* Vector 5 is illegal: ESR "send illegal vector" after an ESR write, and
 * the error LVT's interrupt once. */
static void esr_illegal_vector(void)
{
	u32 esr;

	*reg(APIC_LVT_ERROR) = VEC_ERROR;
	*reg(APIC_ESR) = 0;
	self_ipi(5);
	settle();
	*reg(APIC_ESR) = 0;
	esr = *reg(APIC_ESR);
	CHECK(esr & ESR_SEND_ILLEGAL, "ESR 0x%x after an IPI with vector 5, want bit 5", esr);
	CHECK(count[VEC_ERROR] == 1, "error interrupt 0x5e %u times, want 1", count[VEC_ERROR]);
	*reg(APIC_ESR) = 0;
	CHECK(*reg(APIC_ESR) == 0, "ESR 0x%x after a second write", *reg(APIC_ESR));
	gprintf("ESR 0x%x on an illegal vector; error interrupt once\n", esr);
}

static bool set_base(u64 v)
{
	return wrmsr_safe(MSR_APIC_BASE, v);
}

/* Disable and re-enable (registers back to reset), then a move of the
 * xAPIC page. */
static void apic_base_moves(void)
{
	u32 version = *reg(APIC_VERSION);

	CHECK(set_base(BASE_DEFAULT | BASE_BSP), "disabling the APIC: #GP");
	CHECK(!(guest_cpuid(1, 0).edx & (1u << 9)), "CPUID APIC bit set while disabled");
	CHECK(set_base(BASE_DEFAULT | BASE_BSP | BASE_EN), "enabling the APIC: #GP");
	CHECK(guest_cpuid(1, 0).edx & (1u << 9), "CPUID APIC bit clear while enabled");
	CHECK(*reg(APIC_SVR) == 0xff, "SVR after re-enable 0x%x, want 0xff", *reg(APIC_SVR));
	CHECK(set_base(BASE_MOVED | BASE_BSP | BASE_EN), "moving the APIC: #GP");
	apic_base = BASE_MOVED;
	CHECK(*reg(APIC_VERSION) == version, "version at the new base 0x%x", *reg(APIC_VERSION));
	*reg(APIC_SVR) = 0x100 | SPURIOUS;
	self_ipi(VEC_HIGH);
	wait_count(VEC_HIGH, 2);
	CHECK(set_base(BASE_DEFAULT | BASE_BSP | BASE_EN), "moving the APIC back: #GP");
	apic_base = BASE_DEFAULT;
	CHECK(!set_base(BASE_DEFAULT | BASE_EN | 1), "a reserved bit of APIC_BASE: no #GP");
	gprintf("APIC_BASE: disabled, enabled, moved to 0x%llx and back\n",
		(unsigned long long)BASE_MOVED);
}

/* SDM "x2APIC State Transitions". */
static void x2apic_modes(void)
{
	u64 v = 0;

	if (!(guest_cpuid(1, 0).ecx & (1u << 21))) {
		CHECK(!set_base(BASE_DEFAULT | BASE_BSP | BASE_EN | BASE_EXTD),
		      "x2APIC not offered, EXTD taken");
		gprintf("x2APIC: not offered by CPUID; EXTD refused with #GP\n");
		return;
	}
	CHECK(!rdmsr_safe(0x802, &v), "x2APIC ID MSR readable in xAPIC mode");
	CHECK(set_base(BASE_DEFAULT | BASE_BSP | BASE_EN | BASE_EXTD), "xAPIC -> x2APIC: #GP");
	CHECK(rdmsr_safe(0x802, &v) && v == 0, "x2APIC ID 0x%llx", (unsigned long long)v);
	CHECK(!set_base(BASE_DEFAULT | BASE_BSP | BASE_EN), "x2APIC -> xAPIC: no #GP");
	CHECK(!set_base(BASE_DEFAULT | BASE_BSP | BASE_EXTD), "EXTD without EN: no #GP");
	CHECK(set_base(BASE_DEFAULT | BASE_BSP), "x2APIC -> disabled: #GP");
	CHECK(!set_base(BASE_DEFAULT | BASE_BSP | BASE_EN | BASE_EXTD),
	      "disabled -> x2APIC: no #GP");
	CHECK(set_base(BASE_DEFAULT | BASE_BSP | BASE_EN), "disabled -> xAPIC: #GP");
	*reg(APIC_SVR) = 0x100 | SPURIOUS;
	gprintf("x2APIC: xAPIC -> x2APIC -> disabled -> xAPIC; the illegal ones #GP\n");
}

/* Waits, interrupts off, for the n-th NMI; false after a bound no
 * delivery needs. */
static bool wait_nmi(u32 n)
{
	for (u32 i = 0; i < 10000000 && count[VEC_NMI] < n; i++)
		asm volatile("pause");
	return count[VEC_NMI] == n;
}

/* An NMI the vCPU sends itself through the ICR (delivery mode NMI, its
 * own APIC id as the physical destination), as Xen does before it
 * patches its code: taken with interrupts off, without an EOI; through
 * the xAPIC page, then through the x2APIC ICR where offered. */
static void self_nmi(void)
{
	bool x2apic = guest_cpuid(1, 0).ecx & (1u << 21);

	*reg(APIC_ICR_HI) = *reg(APIC_ID);
	*reg(APIC_ICR_LO) = ICR_DM_NMI;
	CHECK(wait_nmi(1), "xAPIC self-NMI: %u NMIs", count[VEC_NMI]);
	if (x2apic) {
		CHECK(set_base(BASE_DEFAULT | BASE_BSP | BASE_EN | BASE_EXTD), "x2APIC: #GP");
		CHECK(wrmsr_safe(MSR_X2APIC_ICR, ICR_DM_NMI), "x2APIC ICR write: #GP");
		CHECK(wait_nmi(2), "x2APIC self-NMI: %u NMIs", count[VEC_NMI]);
		set_base(BASE_DEFAULT | BASE_BSP);
		set_base(BASE_DEFAULT | BASE_BSP | BASE_EN);
		*reg(APIC_SVR) = 0x100 | SPURIOUS;
	}
	gprintf("self-NMI through the ICR: %u taken (xAPIC%s)\n", count[VEC_NMI],
		x2apic ? ", x2APIC" : "");
}

/* HLT with interrupts on: the timer wakes the vCPU. */
static void halt_woken_by_timer(void)
{
	u64 t0;

	*reg(APIC_TIMER_DIVIDE) = DIVIDE_1;
	*reg(APIC_LVT_TIMER) = VEC_HALT;
	t0 = rdtsc_ordered();
	*reg(APIC_TIMER_INITIAL) = 200000;
	while (!count[VEC_HALT])
		asm volatile("sti; hlt; cli");
	CHECK(count[VEC_HALT] == 1 && tsc_at[VEC_HALT][0] - t0 >= 200000,
	      "HLT woken by the timer %u times after %llu TSC ticks", count[VEC_HALT],
	      (unsigned long long)(tsc_at[VEC_HALT][0] - t0));
	gprintf("HLT: woken by the timer's vector 0x%x\n", VEC_HALT);
}

void test_main(void)
{
	setup();
	timer_oneshot(200000, DIVIDE_1, 1);
	timer_oneshot(20000, DIVIDE_16, 16);
	timer_periodic();
	timer_masked();
	timer_deadline();
	priority_tpr();
	priority_eoi_order();
	software_disable();
	esr_illegal_vector();
	apic_base_moves();
	x2apic_modes();
	self_nmi();
	halt_woken_by_timer();
}
