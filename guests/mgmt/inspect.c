/* Looking inside a child: `vm mem NAME ADDR LEN` (a hex dump of its
 * memory), `vm stats NAME` (its exits by reason and time in guest mode),
 * and the parts of `vm info` (vminfo.c) that show its registers, memory
 * layout and the PC devices' state. */
#include "guests/mgmt/e820.h"
#include "guests/mgmt/pc.h"

#define MEM_DUMP_MAX 4096
#define DUMP_ROW 16

/* ---- vm mem -------------------------------------------------------------- */

/* Its RAM: up to 3 GiB from 0, the rest from 4 GiB (create.c). */
static bool in_child_ram(const struct child *c, u64 gpa, u64 len)
{
	u64 low = MIN(c->mem, PC_LOW_RAM_END), high = c->mem - low;

	if (gpa + len < gpa)
		return false;
	return gpa + len <= low || (gpa >= PC_HIGH_RAM && gpa + len <= PC_HIGH_RAM + high);
}

static void print_ram_ranges(const struct child *c, const char *indent)
{
	u64 low = MIN(c->mem, PC_LOW_RAM_END);

	gprintf("%sram 0x0-0x%llx\n", indent, (unsigned long long)low - 1);
	if (c->mem > low)
		gprintf("%sram 0x%llx-0x%llx\n", indent, (unsigned long long)PC_HIGH_RAM,
			(unsigned long long)(PC_HIGH_RAM + c->mem - low - 1));
}

static void dump_row(u64 gpa, const u8 *p, u32 n)
{
	char hex[DUMP_ROW * 3 + 1], text[DUMP_ROW + 1];

	for (u32 i = 0; i < DUMP_ROW; i++) {
		if (i < n)
			hv_snprintf(hex + 3 * i, 4, "%02x ", p[i]);
		else
			hv_snprintf(hex + 3 * i, 4, "   ");
		text[i] = i >= n ? ' ' : p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	}
	text[DUMP_ROW] = '\0';
	gprintf("%010llx  %s |%s|\n", (unsigned long long)gpa, hex, text);
}

/* The child's [gpa, gpa+len) through VM_COPY, checked first. */
static bool mem_args(struct words *ws, struct child **c, u64 *gpa, u64 *len)
{
	if (ws->n != 5) {
		gprintf("error: usage: vm mem NAME ADDR LEN (LEN at most %u)\n", MEM_DUMP_MAX);
		return false;
	}
	if (!(*c = child_named(ws->w[2])))
		return false;
	if (!parse_u64(ws->w[3], gpa) || !parse_u64(ws->w[4], len) || !*len) {
		gprintf("error: vm mem: want an address and a length (decimal or 0x hex)\n");
		return false;
	}
	if (*len > MEM_DUMP_MAX) {
		gprintf("error: vm mem: %llu bytes is more than %u at once: dump it in parts\n",
			(unsigned long long)*len, MEM_DUMP_MAX);
		return false;
	}
	if (!in_child_ram(*c, *gpa, *len)) {
		gprintf("error: vm mem %s: 0x%llx+%llu is not in its RAM, which is:\n", (*c)->name,
			(unsigned long long)*gpa, (unsigned long long)*len);
		print_ram_ranges(*c, "  ");
		return false;
	}
	return true;
}

void cmd_vm_mem(struct words *ws)
{
	static u8 buf[MEM_DUMP_MAX];
	struct child *c;
	u64 gpa, len;
	long err;

	if (!mem_args(ws, &c, &gpa, &len))
		return;
	if ((err = hv_vm_copy(c->id, HV_COPY_FROM_VM, gpa, buf, len))) {
		gprintf("error: vm mem %s: vm_copy: %s\n", c->name, err_name(err));
		return;
	}
	for (u64 off = 0; off < len; off += DUMP_ROW)
		dump_row(gpa + off, buf + off, (u32)MIN((u64)DUMP_ROW, len - off));
}

/* ---- registers ----------------------------------------------------------- */

static void print_segment(const char *name, const struct hv_segment *s)
{
	gprintf("    %-4s sel 0x%04x base 0x%llx limit 0x%x attr 0x%x\n", name, s->selector,
		(unsigned long long)s->base, s->limit, s->attr);
}

void inspect_print_regs(const struct hv_vcpu_regs *r)
{
	static const char *const gpr[16] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
					     "rbp", "rsp", "r8",  "r9",  "r10", "r11",
					     "r12", "r13", "r14", "r15" };

	for (u32 i = 0; i < 16; i += 4)
		gprintf("    %-3s %016llx %-3s %016llx %-3s %016llx %-3s %016llx\n", gpr[i],
			(unsigned long long)r->gprs[i], gpr[i + 1],
			(unsigned long long)r->gprs[i + 1], gpr[i + 2],
			(unsigned long long)r->gprs[i + 2], gpr[i + 3],
			(unsigned long long)r->gprs[i + 3]);
	gprintf("    rip 0x%llx rflags 0x%llx\n", (unsigned long long)r->rip,
		(unsigned long long)r->rflags);
	gprintf("    cr0 0x%llx cr2 0x%llx cr3 0x%llx cr4 0x%llx efer 0x%llx\n",
		(unsigned long long)r->cr0, (unsigned long long)r->cr2,
		(unsigned long long)r->cr3, (unsigned long long)r->cr4,
		(unsigned long long)r->efer);
	print_segment("cs", &r->cs);
	print_segment("ds", &r->ds);
	print_segment("es", &r->es);
	print_segment("fs", &r->fs);
	print_segment("gs", &r->gs);
	print_segment("ss", &r->ss);
	print_segment("tr", &r->tr);
	print_segment("ldtr", &r->ldtr);
	gprintf("    gdt 0x%llx/0x%x idt 0x%llx/0x%x\n", (unsigned long long)r->gdt_base,
		r->gdt_limit, (unsigned long long)r->idt_base, r->idt_limit);
}

/* ---- memory layout and devices ------------------------------------------- */

static const char *e820_type_name(u32 type)
{
	return type == E820_RAM ? "ram" : type == E820_ACPI ? "acpi" :
	       type == E820_NVS ? "nvs" : "reserved";
}

void inspect_print_layout(const struct child *c)
{
	gprintf("vm %s: memory layout (guest-physical):\n", c->name);
	print_ram_ranges(c, "  ");
	gprintf("  read-only ranges: none; windows onto it: none held (hvctl maps one only "
		"while it copies)\n");
#if HV_ABI_HEADER_REVISION >= 2
	if (c->exit_reasons & (1u << HV_EXIT_MMIO))
		gprintf("  mmio 0x%llx-0x%llx test device (hvctl)\n",
			(unsigned long long)MMIO_DEV_BASE,
			(unsigned long long)(MMIO_DEV_BASE + MMIO_DEV_SIZE - 1));
#endif
	if (c->lapic)
		gprintf("  mmio 0x%x-0x%x local APIC (the hypervisor's, per vCPU)\n", ACPI_LAPIC_ADDR,
			ACPI_LAPIC_ADDR + 0xfff);
	if (!c->pc)
		return;
	gprintf("  mmio 0x%x-0x%x IOAPIC (hvctl)\n", IOAPIC_BASE, IOAPIC_BASE + IOAPIC_SIZE - 1);
	for (u32 i = 0; i < c->pc->e820.n; i++) {
		const struct e820_entry *e = &c->pc->e820.e[i];

		gprintf("  e820 0x%llx-0x%llx %s\n", (unsigned long long)e->addr,
			(unsigned long long)(e->addr + e->size - 1), e820_type_name(e->type));
	}
}

/* The IOAPIC's pins asserted and its entries waiting for an EOI. */
static void ioapic_pending(const struct ioapic *a, u32 *asserted, u32 *remote_irr, u32 *unmasked)
{
	*asserted = a->lines;
	*remote_irr = *unmasked = 0;
	for (u32 i = 0; i < IOAPIC_PINS; i++) {
		if (a->rte[i] & IOAPIC_RTE_REMOTE_IRR)
			*remote_irr |= 1u << i;
		if (!(a->rte[i] & IOAPIC_RTE_MASKED))
			*unmasked |= 1u << i;
	}
}

#if HV_ABI_HEADER_REVISION >= 2
/* The vectors of a 256-bit set, as " 0x30 0xef", or " none". */
static void print_vectors(const char *what, const u64 set[4])
{
	bool any = false;

	gprintf("%s", what);
	for (u32 v = 0; v < 256; v++)
		if (set[v / 64] >> (v % 64) & 1) {
			gprintf(" 0x%02x", v);
			any = true;
		}
	if (!any)
		gprintf(" none");
}
#endif

/* Each vCPU's virtual LAPIC as the hypervisor holds it. */
static void print_lapics(const struct child *c)
{
#if HV_ABI_HEADER_REVISION >= 2
	struct hv_vcpu_lapic l;
	long err;

	if (disc.ext[HV_EXT_LAPIC_STATE] <= 0) {
		gprintf("  virtual LAPIC: not readable (the hypervisor lacks HV_EXT_LAPIC_STATE)\n");
		return;
	}
	for (u32 i = 0; i < c->vcpus; i++) {
		if ((err = hv_vcpu_get_lapic(c->id, i, &l))) {
			gprintf("  vcpu %u lapic: %s\n", i, err_name(err));
			continue;
		}
		gprintf("  vcpu %u lapic: id %u tpr 0x%x svr 0x%x timer lvt 0x%llx initial %u; ", i,
			l.id, l.tpr, l.svr, (unsigned long long)l.lvt[0], l.timer_initial);
		print_vectors("requested", l.irr);
		print_vectors(", in service", l.isr);
		print_vectors(", level", l.tmr);
		gprintf("\n");
	}
#else
	(void)c;
	gprintf("  virtual LAPIC: not readable (v1 headers)\n");
#endif
}

void inspect_print_interrupts(const struct child *c)
{
	const struct pc *p = c->pc;
	u32 asserted, remote_irr, unmasked;

	gprintf("vm %s: pending interrupts:\n", c->name);
	if (c->lapic)
		print_lapics(c);
	if (!p) {
		gprintf("  no interrupt controller modelled by hvctl\n");
		return;
	}
	for (u32 i = 0; i < 2; i++)
		gprintf("  pic %s: requested 0x%02x (unmasked 0x%02x), in service 0x%02x\n",
			i ? "slave" : "master", p->pic.chip[i].irr,
			p->pic.chip[i].irr & ~p->pic.chip[i].imr, p->pic.chip[i].isr);
	ioapic_pending(&p->ioapic, &asserted, &remote_irr, &unmasked);
	gprintf("  ioapic: pins asserted 0x%06x (unmasked 0x%06x), awaiting EOI 0x%06x\n",
		asserted, asserted & unmasked, remote_irr);
}

void inspect_print_devices(const struct child *c)
{
	const struct pc *p = c->pc;
	u32 asserted, remote_irr, unmasked;

	gprintf("vm %s: devices:\n", c->name);
	gprintf("  uart: ier 0x%02x lcr 0x%02x mcr 0x%02x, %u byte(s) to read, irq %s\n",
		c->uart.ier, c->uart.lcr, c->uart.mcr, c->uart.rx_count,
		c->uart.irq_level ? "high" : "low");
	if (!p)
		return;
	for (u32 i = 0; i < 2; i++)
		gprintf("  pic %s: vectors 0x%02x, imr 0x%02x, elcr 0x%02x%s\n",
			i ? "slave" : "master", p->pic.chip[i].base, p->pic.chip[i].imr,
			p->pic.chip[i].elcr, p->pic.chip[i].icw_next ? ", being initialized" : "");
	ioapic_pending(&p->ioapic, &asserted, &remote_irr, &unmasked);
	gprintf("  ioapic: id %u, unmasked pins 0x%06x\n", p->ioapic.id >> 24, unmasked);
	gprintf("  pit: channel 0 mode %u count %u%s, %llu IRQ0 edges\n", p->pit.ch[0].mode,
		p->pit.ch[0].count ? p->pit.ch[0].count : 0x10000u,
		p->pit.ch[0].counting ? "" : " (not counting)",
		(unsigned long long)p->pit.irq0_edges);
	gprintf("  rtc: index 0x%02x%s%s\n", p->rtc.index, p->rtc.frozen ? ", frozen" : "",
		p->rtc.irq_level ? ", irq high" : "");
#if HV_ABI_HEADER_REVISION >= 2 /* v1 children are never PCs */
	pc_print(c);
#endif
}

/* ---- vm stats ------------------------------------------------------------ */

#if HV_ABI_HEADER_REVISION >= 2
/* The exit reasons' names, as the trace buffer's (abi/hv_abi.def). */
static const char *const exit_names[HV_STATS_EXIT_SLOTS] = {
#define ABI_TRACE_EXIT(nr, name) [nr] = name,
#include "abi/hv_abi.def"
};

static void print_exit_counts(const struct child *c, const struct hv_stats *s)
{
	char line[LINE_MAX];
	size_t n = 0;

	for (u32 i = 0; i < HV_STATS_EXIT_SLOTS && n < sizeof(line); i++)
		if (s->exit_counts[i])
			n += hv_snprintf(line + n, sizeof(line) - n, " %s %llu",
					 exit_names[i] ? exit_names[i] : "?",
					 (unsigned long long)s->exit_counts[i]);
	gprintf("vm %s: %llu exits by reason:%s\n", c->name, (unsigned long long)s->exits,
		n ? line : " none");
}

void inspect_print_exit_stats(const struct child *c)
{
	static struct hv_stats s;
	long tsc_khz = disc.ext[HV_EXT_TSC];
	long err = hv_stats(HV_STATS_VM, c->id, &s);

	if (err || s.argsz < HV_STATS_SIZE_VER2) {
		gprintf("vm %s: exits by reason, time in guest: %s\n", c->name,
			err ? err_name(err) : "not reported (the hypervisor lacks HV_EXT_DMESG)");
		return;
	}
	print_exit_counts(c, &s);
	if (tsc_khz > 0)
		gprintf("vm %s: in guest mode %llu ms (%llu TSC ticks)\n", c->name,
			(unsigned long long)(s.guest_tsc / (u64)tsc_khz),
			(unsigned long long)s.guest_tsc);
	else
		gprintf("vm %s: in guest mode %llu TSC ticks\n", c->name,
			(unsigned long long)s.guest_tsc);
}
#else /* the v1 headers: no per-reason counts */
void inspect_print_exit_stats(const struct child *c)
{
	gprintf("vm %s: exits by reason: not in the v1 headers\n", c->name);
}
#endif

void cmd_vm_stats(struct words *ws)
{
	struct child *c = vm_command_child(ws, 2, "vm stats NAME");

	if (c)
		inspect_print_exit_stats(c);
}
