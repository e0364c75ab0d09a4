/* A child's PC (pc.h): creation, the child's clock, and the interrupt
 * wires from the device models to the PIC, the IOAPIC and the child's
 * virtual LAPIC. The port and MMIO dispatch is pc_io.c. */
#include "guests/mgmt/pc.h"
#include "guests/mgmt/bda.h"

#if HV_ABI_HEADER_REVISION >= 2 /* VM_IRQ and the virtual LAPIC are post-v1 */

#define HV_CPUID_TSC_LEAF 0x40000010u
#define TSC_KHZ_UNKNOWN 1000000u /* 1 GHz when the hypervisor does not say */
#define ISA_IRQ0_GSI 2
#define NS_PER_MS 1000000ULL
/* A device event further off than this gives a run no deadline: it is
 * beyond any time slice the hypervisor runs a child for. */
#define DEADLINE_HORIZON_NS (100 * NS_PER_MS)

_Static_assert(PIT_NO_EVENT == PC_NO_EVENT && RTC_NO_EVENT == PC_NO_EVENT &&
	       ACPI_PM_NO_EVENT == PC_NO_EVENT, "one 'no event' for all devices");

static struct pc pcs[CHILDREN_MAX];

static u64 read_tsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static u32 tsc_khz(void)
{
	u32 a, b, c, d;

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(HV_CPUID_TSC_LEAF), "c"(0));
	return a ? a : TSC_KHZ_UNKNOWN;
}

/* The child's time at VM 0's TSC `tsc`: cycles since creation, in
 * nanoseconds, rounded down (whole kHz periods and the rest scaled apart:
 * no overflow). */
static u64 tsc_to_ns(const struct pc *p, u64 tsc)
{
	u64 cycles = tsc - p->tsc_start;

	return cycles / p->tsc_khz * NS_PER_MS + cycles % p->tsc_khz * NS_PER_MS / p->tsc_khz;
}

/* Its inverse, rounded up: at the TSC it gives, tsc_to_ns is at least
 * ns, so a device event due at ns is due when a run returns there. */
static u64 ns_to_tsc(const struct pc *p, u64 ns)
{
	return p->tsc_start + ns / NS_PER_MS * p->tsc_khz +
	       (ns % NS_PER_MS * p->tsc_khz + NS_PER_MS - 1) / NS_PER_MS;
}

u64 pc_now_ns(const struct pc *p)
{
	return tsc_to_ns(p, read_tsc());
}

/* --- the interrupt sink ------------------------------------------------ */

static void count_irq(struct pc *p, long r, u64 *ok)
{
	if (r < 0) {
		p->irq_errors++;
		p->last_irq_error = r;
	} else {
		(*ok)++;
	}
}

static void sink_set_irq(void *ctx, unsigned line, bool level)
{
	struct pc *p = ctx;

	pic_set_irq(&p->pic, line, level);
	ioapic_set_irq(&p->ioapic, line == PC_IRQ_PIT ? ISA_IRQ0_GSI : line, level);
}

/* The IOAPIC's message, as an MSI to the child's LAPICs. An ExtINT
 * entry (the PIC through the IOAPIC) is left to the PIC's own wire. */
static void sink_msi(void *ctx, u32 dest, bool logical, u8 vector, u8 mode, bool level)
{
	struct pc *p = ctx;
	u32 flags = (logical ? HV_IRQ_LOGICAL : 0) | (level ? HV_IRQ_LEVEL : 0);

	if (mode == IOAPIC_MODE_EXTINT)
		return;
	count_irq(p, hv_vm_irq(p->child->id, 0, dest, vector, mode, flags), &p->irqs);
}

void pc_eoi(struct child *c, u8 vector)
{
	c->pc->eois++;
	ioapic_eoi(&c->pc->ioapic, vector);
}

void pc_set_isa_irq(struct pc *p, unsigned line, bool level)
{
	sink_set_irq(p, line, level);
}

/* The PIC's INTR as an ExtINT: the INTA cycle runs on a copy and is kept
 * only when the hypervisor took the vector (-EBUSY while the last one is
 * still pending: tried again before the next run). A PIC whose vectors
 * are not programmed yet (base below 16) is not delivered. */
static void deliver_extint(struct pc *p)
{
	struct pic trial;
	int vector;
	long r;

	if (!p->pic.intr)
		return;
	trial = p->pic;
	vector = pic_intack(&trial);
	if (vector < 16)
		return;
	r = hv_vm_irq(p->child->id, 0, 0, (u8)vector, HV_IRQ_EXTINT, 0);
	if (r == -HV_EBUSY)
		return;
	count_irq(p, r, &p->extints);
	p->pic = trial;
}

void pc_before_run(struct child *c)
{
	struct pc *p = c->pc;

	p->now_ns = pc_now_ns(p);
	pit_advance(&p->pit, p->now_ns);
	rtc_advance(&p->rtc, p->now_ns);
	acpi_pm_advance(&p->pm, p->now_ns);
	uart_advance(&c->uart, p->now_ns);
	deliver_extint(p);
}

/* The earliest next event of the devices that raise interrupts on their
 * own as time passes; PC_NO_EVENT if none will. (The UART's character
 * timeout is left out: the model has no next-event time for it.) */
u64 pc_next_event_ns(const struct pc *p, u64 now_ns)
{
	u64 next = pit_next_event_ns(&p->pit, now_ns);

	next = MIN(next, rtc_next_event_ns(&p->rtc, now_ns));
	return MIN(next, acpi_pm_next_event_ns(&p->pm, now_ns));
}

u64 pc_run_deadline(const struct pc *p)
{
	u64 next = pc_next_event_ns(p, p->now_ns);

	if (next == PC_NO_EVENT || next - p->now_ns > DEADLINE_HORIZON_NS)
		return 0;
	return ns_to_tsc(p, next);
}

/* --- creation -------------------------------------------------------- */

static void devices_reset(struct pc *p)
{
	const struct child *c = p->child;
	u64 low = c->mem < PC_LOW_RAM_END ? c->mem : PC_LOW_RAM_END;

	p->sink = (struct pc_irq_sink){ .ctx = p, .set_irq = sink_set_irq, .msi = sink_msi };
	pic_reset(&p->pic, &p->sink);
	ioapic_reset(&p->ioapic, &p->sink);
	pit_reset(&p->pit, &p->sink);
	rtc_reset(&p->rtc, &p->sink, PC_RTC_START_SECS, 0);
	rtc_set_memory(&p->rtc, low, c->mem - low);
	acpi_pm_reset(&p->pm, &p->sink, 0);
	p->port92 = 0x02; /* A20 on: the child starts in long mode */
}

/* The ACPI tables into the child at ACPI_TABLES_GPA. */
static long place_acpi_tables(struct pc *p)
{
	struct acpi_config cfg = { .vcpus = p->child->vcpus, .ram_bytes = p->child->mem };
	int n = acpi_build_tables(&cfg, ACPI_TABLES_GPA, p->acpi, sizeof(p->acpi), &p->acpi_layout);

	if (n < 0)
		return n;
	p->acpi_size = (u32)n;
	return child_copy(p->child->id, ACPI_TABLES_GPA, p->acpi, p->acpi_size);
}

/* What the firmware leaves in low memory: the BIOS data area, and the
 * EBDA's size byte (e820.h reserves the EBDA). */
static long place_bios_data(struct pc *p)
{
	static const u8 ebda_kib = EBDA_SIZE_KIB;
	u8 bda[BDA_SIZE];
	long r;

	bda_build(bda, UART_BASE, PC_EBDA_BASE);
	if ((r = child_copy(p->child->id, BDA_GPA, bda, sizeof(bda))) < 0)
		return r;
	return child_copy(p->child->id, PC_EBDA_BASE, &ebda_kib, 1);
}

/* The e820 map, also as fw_cfg's etc/e820, and fw_cfg's fixed items. */
static long describe_memory(struct pc *p)
{
	const struct child *c = p->child;
	u32 n;
	int r = e820_build(&p->e820, c->mem, ACPI_TABLES_GPA, p->acpi_size);

	if (r < 0)
		return r;
	fw_cfg_init(&p->fw_cfg, (u16)c->vcpus, (u16)c->vcpus, c->mem);
	n = e820_to_boot_params(&p->e820, p->e820_file, E820_MAX);
	r = fw_cfg_add_file(&p->fw_cfg, "etc/e820", p->e820_file, n * E820_BOOT_ENTRY_LEN);
	return r < 0 ? r : 0;
}

long pc_create(struct child *c)
{
	struct pc *p = &pcs[c->slot];
	long r;

	memset(p, 0, sizeof(*p));
	p->child = c;
	p->tsc_khz = tsc_khz();
	p->tsc_start = read_tsc();
	devices_reset(p);
	c->uart.irq = &p->sink; /* COM1's IRQ 4, as the other ISA devices' */
	if ((r = place_acpi_tables(p)) < 0) {
		gprintf("error: vm create %s: ACPI tables: %s\n", c->name, err_name(r));
		return r;
	}
	if ((r = describe_memory(p)) < 0 || (r = place_bios_data(p)) < 0 ||
	    (r = bios_place(c)) < 0) {
		gprintf("error: vm create %s: memory map: %s\n", c->name, err_name(r));
		return r;
	}
	c->pc = p;
	return 0;
}

void pc_print(const struct child *c)
{
	const struct pc *p = c->pc;

	if (!p)
		return;
	gprintf("  pc: time %llu us, TSC %u kHz, ACPI tables %u bytes at 0x%x, %u e820 entries\n",
		(unsigned long long)(p->now_ns / 1000), p->tsc_khz, p->acpi_size, ACPI_TABLES_GPA,
		p->e820.n);
	gprintf("  pc: %llu interrupts, %llu ExtINTs, %llu refused (last %s), PIT IRQ0 edges %llu, "
		"%llu level EOIs\n",
		(unsigned long long)p->irqs, (unsigned long long)p->extints,
		(unsigned long long)p->irq_errors,
		p->irq_errors ? err_name(p->last_irq_error) : "none",
		(unsigned long long)p->pit.irq0_edges, (unsigned long long)p->eois);
	bios_print(c);
}

#endif
