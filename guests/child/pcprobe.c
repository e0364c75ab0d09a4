/* What a child created with `vm create NAME pcprobe pc` finds of the PC
 * hvctl emulates, looked at as a kernel for QEMU's pc machine would: the
 * RSDP by the standard scan of 0xE0000-0xFFFFF and through it the MADT
 * (one LAPIC, the IOAPIC at 0xFEC00000, IRQ 0 on GSI 2); fw_cfg's "QEMU"
 * signature; the RTC's date; the ACPI PM timer advancing; the MSRs hvctl
 * answers; then the PIT
 * at 1 kHz through the IOAPIC to the virtual LAPIC, a few IRQ 0s counted
 * while the vCPU waits in HLT, and (at 250 Hz) more than four while it
 * spins on the TSC for ten periods (timer_irq_works); the RTC's periodic IRQ 8 the same way;
 * and the PIT through the 8259 pair as ExtINTs through LINT0; the UART's
 * IRQ 4 programmed level-triggered in the IOAPIC, its THR-empty cause
 * left pending across one EOI (delivered again: the VMM learns of the
 * EOI) and then cleared (no more). The end is
 * the VMM's to see: ACPI S5 through PM1a_CNT (hvctl: "powered off").
 * With `reset` on the command line it only resets through port 0xCF9,
 * with `kbc` through the keyboard controller's 0xFE pulse (hvctl:
 * "reset"). A failed check ends the child with the test verdict
 * instead. */
#include "guests/lib/acpi_scan.h"
#include "guests/lib/test.h"
#include "guests/lib/timing.h"
#include "lib/string.h"

const char test_title[] = "the PC hvctl gives a child: ACPI, fw_cfg, RTC, PM timer, PIT";

#define IOAPIC 0xfec00000u
#define LAPIC 0xfee00000u

#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2

#define MSR_NB_CFG 0xc001001fu
#define NB_CFG_CF8_EXT (1ull << 46)
#define MSR_ABSENT 0xc0011fffu /* no CPU has it */

#define PM1A_CNT 0x604
#define PM_TMR 0x608
#define SLP_EN 0x2000
#define RESET_PORT 0xcf9
#define KBC_CMD 0x64

#define VEC_PIT 0x30
#define VEC_PIC 0x20
#define VEC_RTC 0x38
#define RTC_GSI 8
#define SPURIOUS 0xff
#define PIT_GSI 2
#define PIT_1KHZ 1193
#define IRQS_WANTED 5
#define PIT_250HZ 4773
#define SPIN_MS 40 /* timer_irq_works' busy wait: ten periods at 250 Hz */
#define SPIN_TRIES 3
#define VEC_UART 0x3c
#define UART_GSI 4
#define COM1 0x3f8
#define UART_IER 1
#define UART_IIR 2
#define UART_MCR 4
#define UART_IER_THRE 0x02
#define UART_MCR_OUT2 0x08
#define RTE_REMOTE_IRR (1u << 14)
#define RTE_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)

/* A failed check, counted: any one keeps the child from powering off. */
static u32 failures;
#define PCHECK(cond, ...)                                                    \
	do {                                                                 \
		if (!(cond)) {                                               \
			failures++;                                          \
			test_fail(__VA_ARGS__);                              \
		}                                                            \
	} while (0)

static volatile u32 irqs;
static volatile u64 irq_tsc[IRQS_WANTED];

void irq_pit(void);
asm(".text\n"
    "irq_pit:\n"
    "	pushq %rax\n pushq %rcx\n pushq %rdx\n pushq %rsi\n pushq %rdi\n"
    "	pushq %r8\n pushq %r9\n pushq %r10\n pushq %r11\n"
    "	call pit_tick\n"
    "	popq %r11\n popq %r10\n popq %r9\n popq %r8\n"
    "	popq %rdi\n popq %rsi\n popq %rdx\n popq %rcx\n popq %rax\n"
    "	iretq\n");

/* The same for the PIC's IRQ 0, which takes its EOI at the PIC. */
void irq_pic(void);
asm(".text\n"
    "irq_pic:\n"
    "	pushq %rax\n pushq %rcx\n pushq %rdx\n pushq %rsi\n pushq %rdi\n"
    "	pushq %r8\n pushq %r9\n pushq %r10\n pushq %r11\n"
    "	call pic_tick\n"
    "	popq %r11\n popq %r10\n popq %r9\n popq %r8\n"
    "	popq %rdi\n popq %rsi\n popq %rdx\n popq %rcx\n popq %rax\n"
    "	iretq\n");

/* The RTC's IRQ 8 through the IOAPIC. */
void irq_rtc(void);
asm(".text\n"
    "irq_rtc:\n"
    "	pushq %rax\n pushq %rcx\n pushq %rdx\n pushq %rsi\n pushq %rdi\n"
    "	pushq %r8\n pushq %r9\n pushq %r10\n pushq %r11\n"
    "	call rtc_tick\n"
    "	popq %r11\n popq %r10\n popq %r9\n popq %r8\n"
    "	popq %rdi\n popq %rsi\n popq %rdx\n popq %rcx\n popq %rax\n"
    "	iretq\n");

/* The UART's IRQ 4 through a level-triggered IOAPIC entry. */
void irq_uart(void);
asm(".text\n"
    "irq_uart:\n"
    "	pushq %rax\n pushq %rcx\n pushq %rdx\n pushq %rsi\n pushq %rdi\n"
    "	pushq %r8\n pushq %r9\n pushq %r10\n pushq %r11\n"
    "	call uart_tick\n"
    "	popq %r11\n popq %r10\n popq %r9\n popq %r8\n"
    "	popq %rdi\n popq %rsi\n popq %rdx\n popq %rcx\n popq %rax\n"
    "	iretq\n");

static volatile u32 pic_irqs, rtc_irqs, uart_irqs, uart_rte_in_service;

static volatile u32 *lapic(u32 off)
{
	return (volatile u32 *)(u64)(LAPIC + off);
}

void pit_tick(void);
void pit_tick(void)
{
	if (irqs < IRQS_WANTED)
		irq_tsc[irqs] = rdtsc_ordered();
	irqs++;
	*lapic(0xb0) = 0; /* EOI */
}

/* An ExtINT is not the LAPIC's: no EOI there, a non-specific one at the
 * master PIC. */
void pic_tick(void);
void pic_tick(void)
{
	pic_irqs++;
	outb(0x20, 0x20);
}

static u8 cmos(u8 index);
static u32 ioapic_read(u32 reg);

/* The first interrupt leaves the UART's cause (THR empty) pending and
 * EOIs: the line is still high, so the IOAPIC delivers again once the
 * EOI reached it. The second reads IIR, which acknowledges THR empty and
 * drops the line, then EOIs: no third. */
void uart_tick(void);
void uart_tick(void)
{
	if (uart_irqs++ == 0)
		uart_rte_in_service = ioapic_read(0x10 + 2 * UART_GSI);
	else
		(void)inb(COM1 + UART_IIR);
	*lapic(0xb0) = 0;
}

/* Register C read acknowledges the RTC's interrupt (IRQF and the flags). */
void rtc_tick(void);
void rtc_tick(void)
{
	if (cmos(0x0c) & 0x40) /* PF */
		rtc_irqs++;
	*lapic(0xb0) = 0;
}

static bool has_word(const char *w)
{
	size_t n = strlen(w);

	for (const char *c = boot_info->cmdline; *c; c++)
		if (!strncmp(c, w, n) && (c[n] == ' ' || !c[n]))
			return true;
	return false;
}

/* --- ACPI ------------------------------------------------------------- */

static void check_madt(const u8 *madt)
{
	u32 len = acpi_rd32(madt + 4), lapics = 0, ioapic = 0, irq0_gsi = 0;

	PCHECK(acpi_sum_ok(madt, len), "MADT checksum");
	for (u32 off = 44; off + 2 <= len && madt[off + 1]; off += madt[off + 1]) {
		const u8 *e = madt + off;

		if (e[0] == MADT_LAPIC && (acpi_rd32(e + 4) & 1))
			lapics++;
		else if (e[0] == MADT_IOAPIC)
			ioapic = acpi_rd32(e + 4);
		else if (e[0] == MADT_OVERRIDE && e[3] == 0)
			irq0_gsi = acpi_rd32(e + 4);
	}
	PCHECK(lapics == 1, "MADT: %u enabled LAPICs, want 1", lapics);
	PCHECK(ioapic == IOAPIC, "MADT: IOAPIC at 0x%x, want 0x%x", ioapic, IOAPIC);
	PCHECK(irq0_gsi == PIT_GSI, "MADT: IRQ 0 on GSI %u, want 2", irq0_gsi);
	gprintf("MADT: %u LAPIC, IOAPIC at 0x%x, IRQ 0 -> GSI %u\n", lapics, ioapic, irq0_gsi);
}

static void check_acpi(void)
{
	const u8 *rsdp = acpi_find_rsdp(), *madt;

	if (!rsdp) {
		PCHECK(false, "no RSDP in 0xE0000-0xFFFFF");
		return;
	}
	gprintf("RSDP at 0x%llx, OEM '%.6s', revision %u\n", (unsigned long long)(u64)rsdp,
		(const char *)rsdp + 9, rsdp[15]);
	madt = acpi_find_table(rsdp, "APIC");
	if (!madt) {
		PCHECK(false, "no valid MADT in a valid RSDT");
		return;
	}
	check_madt(madt);
}

/* --- fw_cfg, RTC, PM timer ------------------------------------------- */

static void check_fw_cfg(void)
{
	char sig[5];

	outw(0x510, 0);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)inb(0x511);
	sig[4] = '\0';
	PCHECK(!strcmp(sig, "QEMU"), "fw_cfg signature '%s', want QEMU", sig);
	gprintf("fw_cfg signature %s\n", sig);
}

static u8 cmos(u8 index)
{
	outb(0x70, index);
	return inb(0x71);
}

static void check_rtc(void)
{
	u8 century = cmos(0x32), year = cmos(0x09), month = cmos(0x08), day = cmos(0x07);
	u8 hour = cmos(0x04), min = cmos(0x02), sec = cmos(0x00);

	PCHECK(century == 0x20 && year >= 0x26, "RTC year %02x%02x", century, year);
	PCHECK(month >= 1 && month <= 0x12 && day >= 1 && day <= 0x31, "RTC date %02x-%02x", month, day);
	gprintf("RTC: %02x%02x-%02x-%02x %02x:%02x:%02x\n", century, year, month, day, hour, min,
		sec);
}

static void check_pm_timer(void)
{
	u32 t0 = inl(PM_TMR), t1;

	for (int i = 0; i < 100000; i++)
		asm volatile("pause");
	t1 = inl(PM_TMR);
	PCHECK(t1 != t0, "PM timer stood at 0x%x", t0);
	gprintf("PM timer: advanced by %u ticks\n", t1 - t0);
}

/* --- the PIT through the IOAPIC to the LAPIC -------------------------- */

static void ioapic_write(u32 reg, u32 v)
{
	*(volatile u32 *)(u64)IOAPIC = reg;
	*(volatile u32 *)(u64)(IOAPIC + 0x10) = v;
}

static u32 ioapic_read(u32 reg)
{
	*(volatile u32 *)(u64)IOAPIC = reg;
	return *(volatile u32 *)(u64)(IOAPIC + 0x10);
}

static void pit_set_count(u16 count)
{
	outb(0x43, 0x34); /* channel 0, LSB/MSB, mode 2 */
	outb(0x40, count & 0xff);
	outb(0x40, count >> 8);
}

static void route_pit(void)
{
	outb(0x21, 0xff); /* the PIC pair masked: only the IOAPIC delivers */
	outb(0xa1, 0xff);
	traps_set_gate(VEC_PIT, irq_pit, 0);
	*lapic(0xf0) = 0x100 | SPURIOUS;           /* SVR: software enabled */
	ioapic_write(0x11 + 2 * PIT_GSI, 0);       /* destination APIC 0 */
	ioapic_write(0x10 + 2 * PIT_GSI, VEC_PIT); /* fixed, edge, unmasked */
	pit_set_count(PIT_1KHZ);
}

static void count_pit_irqs(void)
{
	u32 khz = guest_cpuid(0x40000010, 0).eax;
	u64 us, gap, gap_max = 0;

	route_pit();
	while (irqs < IRQS_WANTED)
		asm volatile("sti; hlt; cli");
	ioapic_write(0x10 + 2 * PIT_GSI, 1u << 16 | VEC_PIT); /* masked again */
	for (u32 i = 1; i < IRQS_WANTED; i++) {
		gap = irq_tsc[i] - irq_tsc[i - 1];
		gap_max = gap > gap_max ? gap : gap_max;
	}
	us = khz ? (irq_tsc[IRQS_WANTED - 1] - irq_tsc[0]) * 1000 / khz : 0;
	gprintf("PIT: %u IRQ 0s through the IOAPIC, vector 0x%x; %u in %llu us, the longest "
		"gap %llu us (1 kHz asked)\n", irqs, VEC_PIT, IRQS_WANTED - 1,
		(unsigned long long)us, (unsigned long long)(khz ? gap_max * 1000 / khz : 0));
}

/* What Linux's and Xen's timer_irq_works do: interrupts on, a busy wait
 * on the TSC for ten PIT periods (no HLT, no port I/O: the vCPU never
 * exits on its own), and more than four IRQ 0s wanted. Only a VMM that
 * gets control back at each PIT period delivers them on time; one that
 * only gets it at time-slice ends (tens of ms) delivers two or three,
 * coalesced. The PIT runs at 250 Hz meanwhile, Debian's HZ. An emulator
 * the host stalls loses ticks however good the VMM is (its TSC runs on
 * the host's clock), so up to SPIN_TRIES busy waits are made, as the
 * check asks only that one is good. */
static u32 spin_with_pit(u64 spin)
{
	u32 before = irqs;
	u64 start;

	asm volatile("sti");
	for (start = rdtsc_ordered(); rdtsc_ordered() - start < spin;)
		asm volatile("pause");
	asm volatile("cli");
	return irqs - before;
}

static void count_pit_irqs_spinning(void)
{
	u32 khz = guest_cpuid(0x40000010, 0).eax, got, tries;
	u64 spin = (u64)(khz ? khz : 1000000) * SPIN_MS;

	pit_set_count(PIT_250HZ);
	ioapic_write(0x10 + 2 * PIT_GSI, VEC_PIT); /* unmasked again */
	for (tries = 1; (got = spin_with_pit(spin)) <= 4 && tries < SPIN_TRIES; tries++)
		continue;
	ioapic_write(0x10 + 2 * PIT_GSI, 1u << 16 | VEC_PIT);
	pit_set_count(PIT_1KHZ);
	PCHECK(got > 4, "PIT: %u IRQ 0s while spinning %u ms on the TSC, want more than 4", got,
	       SPIN_MS);
	gprintf("PIT: %u IRQ 0s at 250 Hz while spinning %u ms on the TSC with interrupts on "
		"(try %u)\n", got, SPIN_MS, tries);
}

/* The RTC's periodic interrupt at 1024 Hz (rate 6), IRQ 8 on GSI 8. */
static void count_rtc_irqs(void)
{
	traps_set_gate(VEC_RTC, irq_rtc, 0);
	ioapic_write(0x11 + 2 * RTC_GSI, 0);
	ioapic_write(0x10 + 2 * RTC_GSI, VEC_RTC);
	outb(0x70, 0x0a);
	outb(0x71, 0x26); /* divider on, rate 6: 1024 Hz */
	outb(0x70, 0x0b);
	outb(0x71, inb(0x71) | 0x40); /* PIE */
	while (rtc_irqs < IRQS_WANTED)
		asm volatile("sti; hlt; cli");
	outb(0x70, 0x0b);
	outb(0x71, inb(0x71) & ~0x40);
	ioapic_write(0x10 + 2 * RTC_GSI, 1u << 16 | VEC_RTC);
	gprintf("RTC: %u periodic IRQ 8s through the IOAPIC, vector 0x%x\n", rtc_irqs, VEC_RTC);
}

/* Waits with interrupts on until `count` reaches `want` or `ms` of the
 * vCPU's TSC went by. Each round reads the PM timer: an exit, and an
 * entry that delivers what is pending. */
static void wait_irqs(volatile u32 *count, u32 want, u32 ms)
{
	u32 khz = guest_cpuid(0x40000010, 0).eax;
	u64 start = rdtsc_ordered(), limit = (u64)(khz ? khz : 1000000) * ms;

	while (*count < want && rdtsc_ordered() - start < limit) {
		(void)inl(PM_TMR);
		asm volatile("sti; nop; cli");
	}
}

/* The UART's IRQ 4 as a level-triggered IOAPIC entry: THR-empty
 * interrupts on (its line goes high at once), two interrupts (the first
 * handler EOIs with the cause left, the second clears it), then no more
 * while the line stays low. Nothing is printed meanwhile: a byte written
 * to THR would raise the cause again. */
static void count_level_irqs(void)
{
	u8 mcr = inb(COM1 + UART_MCR);
	u32 got, rte_after;

	traps_set_gate(VEC_UART, irq_uart, 0);
	ioapic_write(0x11 + 2 * UART_GSI, 0);
	ioapic_write(0x10 + 2 * UART_GSI, RTE_LEVEL | VEC_UART);
	outb(COM1 + UART_MCR, mcr | UART_MCR_OUT2);
	outb(COM1 + UART_IER, UART_IER_THRE);
	wait_irqs(&uart_irqs, 2, 2000);
	wait_irqs(&uart_irqs, 3, 5); /* a third would be a stuck line */
	got = uart_irqs;
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_MCR, mcr);
	ioapic_write(0x10 + 2 * UART_GSI, RTE_MASKED | RTE_LEVEL | VEC_UART);
	rte_after = ioapic_read(0x10 + 2 * UART_GSI);
	PCHECK(got == 2, "UART level IRQ 4: %u interrupts, want 2", got);
	PCHECK(uart_rte_in_service & RTE_REMOTE_IRR, "remote IRR clear while in service (0x%x)",
	       uart_rte_in_service);
	PCHECK(!(rte_after & RTE_REMOTE_IRR), "remote IRR still set after the EOI (0x%x)",
	       rte_after);
	gprintf("UART: %u level IRQ 4s through the IOAPIC, vector 0x%x; remote IRR %s, then %s\n",
		got, VEC_UART, uart_rte_in_service & RTE_REMOTE_IRR ? "set" : "clear",
		rte_after & RTE_REMOTE_IRR ? "set" : "clear");
}

/* The 8259 pair initialized with vectors 0x20/0x28, IRQ 0 alone
 * unmasked, and the LAPIC's LINT0 in ExtINT mode: the PIC's INTR reaches
 * the vCPU as an ExtINT with the PIC's vector. */
static void count_pic_irqs(void)
{
	static const u8 icw[2][4] = { { 0x11, VEC_PIC, 0x04, 0x01 }, { 0x11, VEC_PIC + 8, 0x02, 0x01 } };

	traps_set_gate(VEC_PIC, irq_pic, 0);
	*lapic(0x350) = 0x700; /* LVT LINT0: ExtINT, unmasked */
	for (int chip = 0; chip < 2; chip++) {
		outb(chip ? 0xa0 : 0x20, icw[chip][0]);
		for (int i = 1; i < 4; i++)
			outb(chip ? 0xa1 : 0x21, icw[chip][i]);
	}
	outb(0xa1, 0xff);
	outb(0x21, 0xfe);
	while (pic_irqs < IRQS_WANTED)
		asm volatile("sti; hlt; cli");
	outb(0x21, 0xff);
	*lapic(0x350) = 1u << 16;
	gprintf("PIC: %u IRQ 0s as ExtINT, vector 0x%x\n", pic_irqs, VEC_PIC);
}

/* The BIOS data area, as kernels read it before anything else: COM1's
 * port, the EBDA's segment and the base memory size agreeing with it,
 * and the EBDA's size byte. */
static u16 low_word(u64 gpa)
{
	asm("" : "+r"(gpa)); /* an address the compiler cannot see as null-based */
	return *(const volatile u16 *)gpa;
}

static void check_bios_data(void)
{
	u16 com1 = low_word(0x400), ebda = low_word(0x40e), kib = low_word(0x413);
	u8 ebda_kib = (u8)low_word((u64)ebda << 4);

	PCHECK(com1 == 0x3f8 && ebda == 0x9fc0 && kib == 639 && ebda_kib == 1,
	       "BIOS data area: COM1 0x%x, EBDA segment 0x%x, %u KiB, EBDA %u KiB", com1, ebda,
	       kib, ebda_kib);
	gprintf("BDA: COM1 at 0x%x, EBDA at 0x%x (%u KiB), %u KiB base memory\n", com1,
		ebda << 4, ebda_kib, kib);
}

/* The MSRs hvctl answers as QEMU's pc machine does (pc_msr.c): AMD's
 * NB_CFG reads as zero and ignores writes; an MSR no CPU has is #GP. */
static void check_msrs(void)
{
	u64 v = ~0ull, ignored;
	bool read = rdmsr_safe(MSR_NB_CFG, &v), wrote = wrmsr_safe(MSR_NB_CFG, NB_CFG_CF8_EXT);
	bool absent = !rdmsr_safe(MSR_ABSENT, &ignored) && !wrmsr_safe(MSR_ABSENT, 1);

	PCHECK(read && v == 0 && wrote, "NB_CFG: read %u (0x%llx), write %u", read,
	       (unsigned long long)v, wrote);
	PCHECK(absent, "MSR 0x%x did not #GP", MSR_ABSENT);
	gprintf("MSRs: NB_CFG reads 0 and takes writes, 0x%x is #GP\n", MSR_ABSENT);
}

void test_main(void)
{
	if (has_word("reset")) {
		gprintf("resetting through port 0xcf9\n");
		outb(RESET_PORT, 0x06);
		test_fail("still running after the reset");
		return;
	}
	if (has_word("kbc")) {
		gprintf("resetting through the keyboard controller\n");
		outb(KBC_CMD, 0xfe);
		test_fail("still running after the reset");
		return;
	}
	check_acpi();
	check_fw_cfg();
	check_rtc();
	check_pm_timer();
	check_bios_data();
	check_msrs();
	count_pit_irqs();
	count_pit_irqs_spinning();
	count_rtc_irqs();
	count_level_irqs();
	count_pic_irqs();
	if (failures)
		return;
	gprintf("all checks passed; powering off through PM1a_CNT\n");
	outw(PM1A_CNT, SLP_EN); /* SLP_TYP 0: S5 */
	test_fail("still running after the power off");
}
