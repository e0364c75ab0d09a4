/* Start-up of the secondary CPUs: the ACPI MADT names them, each is sent
 * INIT-SIPI-SIPI (10 ms after INIT, 200 us after each SIPI, as the SDM's
 * "Typical BSP Initialization Sequence" waits) to a real-mode trampoline
 * in a free page below 640 KiB
 * (ap_trampoline.S), one at a time: the boot CPU waits, bounded, for it
 * to check in and then to report whether virtualization came on. Each
 * gets its own struct percpu (GDT, TSS, IST stacks, stack), the
 * hypervisor's page tables and IDT, the boot CPU's capability check and
 * the backend's per-CPU enable; then it parks with interrupts off. A
 * CPU that never checks in is skipped; one whose capabilities differ or
 * whose enable fails parks with virtualization off. One at a time, so
 * the frame allocator and the console need no lock yet. */
#include "arch/x86/apic_ipi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "boot/boot_info.h"
#include "drivers/acpi_madt.h"
#include "hv/log.h"
#include "lib/string.h"

#define LOW_MEMORY_END 0xa0000 /* SIPI vectors 0xa0-0xbf are not RAM */
#define INIT_DELAY_US 10000
#define SIPI_DELAY_US 200
#define CHECK_IN_MS 10000 /* as long as Linux waits: an emulated CPU on a busy host is slow */
#define ENABLE_MS 10000
#define TSC_KHZ_UNKNOWN 10000000u /* assumed when unmeasured: waits only get longer */

extern const u8 ap_trampoline[];
extern const u32 ap_trampoline_size;
extern u64 ap_start_cr3, ap_start_stack, ap_start_percpu;

/* CPUs 0..vm_cpus-1 all run virtualized (arch_smp_vm_cpus). */
static u32 vm_cpus = 1;

/* ACPI tables lie in the first 4 GiB, which the hypervisor identity-maps
 * (page 0 aside). */
static const void *map_identity(u64 pa, u64 len, void *ctx)
{
	(void)ctx;
	if (pa < PAGE_SIZE || pa >= 4 * GIB || len > 4 * GIB - pa)
		return NULL;
	return (const void *)pa;
}

static u64 tsc_cycles_per_us(void)
{
	u32 khz = tsc_khz();

	return (khz ? khz : TSC_KHZ_UNKNOWN) / 1000 + 1;
}

static void delay_us(u64 us)
{
	u64 start = rdtsc(), cycles = us * tsc_cycles_per_us();

	while (rdtsc() - start < cycles)
		asm volatile("pause");
}

/* Waits up to `ms` for ap_state to leave `from`; returns the state. */
static u32 wait_state_change(u32 from, u64 ms)
{
	u64 start = rdtsc(), cycles = ms * 1000 * tsc_cycles_per_us();

	while (ap_state == from && rdtsc() - start < cycles)
		asm volatile("pause");
	return ap_state;
}

static bool overlaps(u64 a, u64 a_end, u64 b, u64 b_end)
{
	return a < b_end && b < a_end;
}

/* Usable RAM in the firmware's map, not overlapped by any other kind,
 * and holding none of the boot information and modules. */
static bool low_page_free(const struct boot_info *bi, u64 pa)
{
	u64 end = pa + PAGE_SIZE;
	bool usable = false;

	for (u32 i = 0; i < bi->memmap_count; i++) {
		const struct mem_range *r = &bi->memmap[i];

		if (!overlaps(pa, end, r->base, mem_range_end(r)))
			continue;
		if (r->type != MEM_USABLE)
			return false;
		usable |= r->base <= pa && mem_range_end(r) >= end;
	}
	if (overlaps(pa, end, bi->info_start, bi->info_end))
		return false;
	for (u32 i = 0; i < bi->module_count; i++)
		if (overlaps(pa, end, bi->modules[i].start, bi->modules[i].end))
			return false;
	return usable;
}

/* The highest free page below 640 KiB (page 0, the real-mode interrupt
 * table, never); 0 when there is none. */
static u64 find_trampoline_page(const struct boot_info *bi)
{
	for (u64 pa = LOW_MEMORY_END - PAGE_SIZE; pa >= PAGE_SIZE; pa -= PAGE_SIZE)
		if (low_page_free(bi, pa))
			return pa;
	return 0;
}

/* The MADT's enabled CPUs, or NULL with a log line saying why there is
 * only the boot CPU. */
static const struct madt_info *find_cpus(const struct boot_info *bi, u32 boot_apic_id)
{
	static struct madt_info madt;
	const char *why = bi->rsdp_revision ? NULL : "no ACPI RSDP handed over";
	bool listed = false;

	if (!why)
		why = madt_read(bi->rsdp, bi->rsdp_length, map_identity, NULL, &madt);
	for (u32 i = 0; !why && i < madt.count; i++)
		listed |= madt.apic_ids[i] == boot_apic_id;
	if (!why && !listed)
		why = "the boot CPU's APIC id is not in the MADT";
	if (why) {
		log_warn("smp: one CPU only: %s", why);
		return NULL;
	}
	log_info("smp: MADT: %u enabled CPUs, %u online-capable and %u disabled "
		 "not started%s; boot CPU APIC id %u, %s mode", madt.count,
		 madt.online_capable, madt.disabled,
		 madt.dropped ? ", more than the hypervisor takes" : "", boot_apic_id,
		 apic_x2apic_mode() ? "x2APIC" : "xAPIC");
	return &madt;
}

/* INIT, 10 ms, SIPI, 200 us, SIPI, 200 us. */
static void send_init_sipi_sipi(u32 apic_id, u64 page)
{
	apic_send_init(apic_id);
	delay_us(INIT_DELAY_US);
	for (int i = 0; i < 2; i++) {
		apic_send_startup(apic_id, (u8)(page >> 12));
		delay_us(SIPI_DELAY_US);
	}
}

/* No CPU claimed the start in time: end it, unless one does just now. */
static bool give_up_start(void)
{
	return __sync_bool_compare_and_swap(&ap_state, AP_OFF, AP_GIVEN_UP);
}

/* Starts one CPU; its final state (AP_OFF when none checked in). A CPU
 * still enabling after ENABLE_MS may be using the frame allocator: no
 * further CPU is started then (*stop). */
static u32 start_cpu(u32 cpu_id, u32 apic_id, u64 page, bool *stop)
{
	struct percpu *pc = percpu_alloc(cpu_id, apic_id);
	u32 state;

	if (!pc) {
		log_err("smp: CPU %u (APIC id %u): out of memory; skipped", cpu_id, apic_id);
		return AP_OFF;
	}
	ap_start_cr3 = read_cr3();
	ap_start_stack = pc->stack_top;
	ap_start_percpu = (u64)pc;
	ap_state = AP_OFF;
	send_init_sipi_sipi(apic_id, page);
	if (wait_state_change(AP_OFF, CHECK_IN_MS) == AP_OFF && give_up_start()) {
		log_err("smp: APIC id %u did not check in within %u ms; skipped", apic_id,
			CHECK_IN_MS);
		percpu_free(pc);
		return AP_OFF;
	}
	state = wait_state_change(AP_CHECKED_IN, ENABLE_MS);
	*stop = state == AP_CHECKED_IN;
	if (*stop)
		log_err("smp: CPU %u checked in but did not finish within %u ms; no "
			"further CPU is started", cpu_id, ENABLE_MS);
	else
		log_info("smp: CPU %u (APIC id %u) started, virtualization %s", cpu_id,
			 pc->apic_id, state == AP_PARKED_VIRT ? "on" : "off (parked)");
	return state;
}

static bool copy_trampoline(const struct boot_info *bi, u64 *page)
{
	*page = find_trampoline_page(bi);
	if (!*page) {
		log_err("smp: one CPU only: no free page below 640 KiB for the start-up code");
		return false;
	}
	memcpy((void *)*page, ap_trampoline, ap_trampoline_size);
	log_debug("smp: start-up code at 0x%llx", (unsigned long long)*page);
	return true;
}

u32 arch_smp_start(const struct boot_info *bi, u32 limit, int (*cpu_enable)(void),
		   void (*cpu_main)(void))
{
	u32 boot_apic_id = apic_id_this_cpu();
	const struct madt_info *madt = find_cpus(bi, boot_apic_id);
	u32 found = madt ? madt->count : 1, started = 1, virtualized = 1, next_id = 1;
	bool stop = false;
	u64 page;

	this_cpu()->apic_id = boot_apic_id;
	if (madt && limit < found)
		log_info("smp: cpus=%u: starting %u of the %u CPUs", limit, limit, found);
	if (madt && MIN(limit, found) > 1 && copy_trampoline(bi, &page)) {
		arch_virt_detect(&ap_boot_cpu_report);
		ap_cpu_enable = cpu_enable;
		ap_cpu_main = cpu_main;
		for (u32 i = 0; i < found && next_id < limit && !stop; i++) {
			u32 id = madt->apic_ids[i], state;

			if (id == boot_apic_id)
				continue;
			if (id > apic_max_destination()) {
				log_err("smp: APIC id %u needs x2APIC mode; skipped", id);
				continue;
			}
			state = start_cpu(next_id, id, page, &stop);
			if (state == AP_PARKED_VIRT && vm_cpus == next_id)
				vm_cpus++;
			next_id += state != AP_OFF;
			started += state != AP_OFF;
			virtualized += state == AP_PARKED_VIRT;
		}
	}
	log_info("smp: CPUs: %u found, %u started, %u running virtualized", found,
		 started, virtualized);
	return virtualized;
}

u32 arch_smp_vm_cpus(void)
{
	return vm_cpus;
}
