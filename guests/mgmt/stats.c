/* `stats`: HV_CALL_STATS hypervisor-wide, for VM 0 and for each child
 * (plus what the VMM counted itself), then HV_CALL_CPU_STATS per CPU. */
#include "guests/mgmt/mgmt.h"

long stats_free_bytes(u64 *out)
{
	static struct hv_stats s;
	long r = hv_stats(0, 0, &s);

	if (!r)
		*out = s.free_bytes;
	return r;
}

/* The free memory in whole 2 MiB chunks; 0 from a hypervisor (or a
 * build against the v1 headers) without HV_EXT_FREE_CHUNKS. */
static u64 free_chunk_bytes(const struct hv_stats *s)
{
#if HV_ABI_HEADER_REVISION >= 2
	return s->argsz >= HV_STATS_SIZE_VER1 ? s->free_chunk_bytes : 0;
#else
	(void)s;
	return 0;
#endif
}

/* The RAM a new VM is sure to get now: the whole free chunks, less those
 * its own page tables and bitmaps may spoil (two, and one more for each
 * GiB past the first; docs/abi.md, STATS), within the hypervisor's
 * limit. 0 when the hypervisor does not report its chunks. */
static u64 vm_room(const struct hv_stats *s)
{
	u64 max = disc.have_limits ? (u64)disc.limits.max_memory_regions * 2 * MIB : 0;
	u64 chunks = free_chunk_bytes(s) / (2 * MIB);

	if (chunks <= 2)
		return 0;
	chunks -= 2;
	chunks -= (chunks - 1) / 512;
	return max ? MIN(chunks * 2 * MIB, max) : chunks * 2 * MIB;
}

u64 stats_vm_room(void)
{
	static struct hv_stats s;

	return hv_stats(0, 0, &s) ? 0 : vm_room(&s);
}

static void print_counters(const char *who, const struct hv_stats *s)
{
	gprintf("stats: %s: exits %llu hypercalls %llu io_exits %llu unclaimed_reads %llu "
		"ignored_writes %llu vmm_exits %llu\n", who, (unsigned long long)s->exits,
		(unsigned long long)s->hypercalls, (unsigned long long)s->io_exits,
		(unsigned long long)s->io_unclaimed_reads, (unsigned long long)s->io_ignored_writes,
		(unsigned long long)s->vmm_exits);
}

static void stats_child(const struct child *c)
{
	static struct hv_stats s;
	char who[HV_NAME_MAX + 24];
	long r = hv_stats(HV_STATS_VM, c->id, &s);

	hv_snprintf(who, sizeof(who), "vm %s (id %u)", c->name, c->id);
	if (r)
		gprintf("stats: %s: %s\n", who, err_name(r));
	else
		print_counters(who, &s);
	gprintf("stats: %s: vmm: exits %llu io %llu unclaimed_in %llu unclaimed_out %llu "
		"msr_gp %llu slices %llu\n", who, (unsigned long long)c->exits,
		(unsigned long long)c->io_exits, (unsigned long long)c->unclaimed_in,
		(unsigned long long)c->unclaimed_out, (unsigned long long)c->msr_gp,
		(unsigned long long)c->slices);
}

#if HV_ABI_HEADER_REVISION >= 2
#define STATS_CPUS_MAX 64

/* Each CPU's figures as the last `stats` read them: the next one's
 * cover the time since (the first's, the time since the hypervisor
 * started). */
static struct hv_cpu_stats last_cpu[STATS_CPUS_MAX];

/* part of whole in whole percent, without overflow. */
static u32 percent(u64 part, u64 whole)
{
	if (!whole)
		return 0;
	if (part >= whole)
		return 100;
	return (u32)(part < ~0ULL / 100 ? part * 100 / whole : part / (whole / 100));
}

/* One line for the CPU: exits, children's time in guest mode and time
 * halted since the last `stats`; the rest went to VM 0 and the
 * hypervisor. */
static void stats_cpu(u32 cpu)
{
	struct hv_cpu_stats s, *last = &last_cpu[cpu];
	long r = hv_cpu_stats(cpu, &s);
	u64 span;

	if (r) {
		gprintf("stats: cpu %u: %s\n", cpu, err_name(r));
		return;
	}
	if (!last->tsc)
		last->tsc = s.start_tsc;
	span = s.tsc - last->tsc;
	if (!(s.state & HV_CPU_STATS_VIRT))
		gprintf("stats: cpu %u: not virtualized\n", cpu);
	else
		gprintf("stats: cpu %u: exits %llu, guest %u%%, idle %u%%%s\n", cpu,
			(unsigned long long)(s.exits - last->exits),
			percent(s.guest_tsc - last->guest_tsc, span),
			percent(s.idle_tsc - last->idle_tsc, span),
			s.state & HV_CPU_STATS_VM0 ? "" : " (VM 0's vCPU not started)");
	*last = s;
}

/* Per CPU, when the hypervisor has the figures (HV_EXT_CPU_STATS). */
static void stats_cpus(void)
{
	u32 cpus = (u32)MIN(MAX(disc.ext[HV_EXT_CPU_STATS], 0L), (long)STATS_CPUS_MAX);

	for (u32 cpu = 0; cpu < cpus; cpu++)
		stats_cpu(cpu);
}
#else
static void stats_cpus(void)
{
}
#endif

void cmd_stats(struct words *ws)
{
	static struct hv_stats s;
	char fr[24], room[24];
	long r;

	(void)ws;
	if ((r = hv_stats(0, 0, &s))) {
		gprintf("error: stats: %s\n", err_name(r));
		return;
	}
	gprintf("stats: hypervisor: vms %llu free_bytes %llu (%s)\n", (unsigned long long)s.vms,
		(unsigned long long)s.free_bytes, fmt_human(s.free_bytes, fr, sizeof(fr)));
	if (vm_room(&s))
		gprintf("stats: hypervisor: %s free in whole 2 MiB chunks (VM RAM comes in "
			"those): a new VM can have %s for sure (mem=max)\n",
			fmt_size(free_chunk_bytes(&s), fr, sizeof(fr)),
			fmt_size(vm_room(&s), room, sizeof(room)));
	print_counters("all VMs", &s);
	if (!(r = hv_stats(HV_STATS_VM, 0, &s)))
		print_counters("vm0 (id 0)", &s);
	else
		gprintf("stats: vm0 (id 0): %s\n", err_name(r));
	for (u32 i = 0; i < CHILDREN_MAX; i++)
		if (child_at(i))
			stats_child(child_at(i));
	stats_cpus();
}
