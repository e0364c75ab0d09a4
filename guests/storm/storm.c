/* The hypercall storm as VM 0: `storm calls=N seed=S [sti] [notf]` on its
 * command line. It learns the hypervisor's limits, issues N random calls
 * (see storm.h for who makes them), destroys every child, and passes only
 * when every answer was one the ABI allows, the hypervisor's free memory
 * is exactly what it was at the start, and the hypervisor still answers.
 * On several CPUs every VM 0 vCPU issues its share of the N at once
 * (smp.c), and the end waits for all of them. */
#include "guests/storm/storm.h"
#include "guests/lib/user.h"
#include "lib/printf.h"
#include "lib/string.h"

const char test_title[] = "Hypercall storm";

#define DEFAULT_CALLS 100000
#define DEFAULT_SEED 0x5eed5eed5eedULL
#define PROGRESS_STEPS 10
#define INFO_MAX 512 /* room for hv_info and its capability chain */

PER_VCPU u64 rng_state;
struct storm_opts opts = { DEFAULT_CALLS, DEFAULT_SEED, false, false };

struct generator {
	void (*fn)(void);
	u32 weight;
};

/* Weights per thousand calls. Creating and destroying VMs is rare on
 * purpose: every VM created zeroes at least 2 MiB, which the emulators
 * pay for by the byte; most VM_CREATEs fail anyway (bad structs, names,
 * sizes, or no free slot). */
static const struct generator generators[] = {
	{ storm_user_call, 90 },       { storm_unknown, 50 },     { storm_abi_version, 20 },
	{ storm_info, 45 },            { storm_check_extension, 45 }, { storm_feature, 60 },
	{ storm_console_write, 20 },   { storm_stats, 45 },       { storm_get_regs, 55 },
	{ storm_vm_create, 40 },       { storm_vm_destroy, 2 },   { storm_vm_add_memory, 6 },
	{ storm_vm_copy, 90 },         { storm_vcpu_create, 50 }, { storm_vcpu_set_regs, 65 },
	{ storm_load_child, 40 },      { storm_vcpu_run, 200 },  { storm_run_page_set, 17 },
	{ storm_vcpu_run_paged, 60 },
};

/* ---- options ------------------------------------------------------------ */

static bool parse_number(const char *s, u64 *out)
{
	u64 v = 0;
	int base = 10;

	if (s[0] == '0' && s[1] == 'x')
		base = 16, s += 2;
	if (!*s)
		return false;
	for (; *s && *s != ' '; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			base == 16 && *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;

		if (d < 0)
			return false;
		v = v * (u64)base + (u64)d;
	}
	*out = v;
	return true;
}

static void parse_options(const char *cmdline)
{
	for (const char *p = cmdline; *p; p++) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		if (!strncmp(p, "calls=", 6) && !parse_number(p + 6, &opts.calls))
			test_error("calls=%s is not a number", p + 6);
		if (!strncmp(p, "seed=", 5) && !parse_number(p + 5, &opts.seed))
			test_error("seed=%s is not a number", p + 5);
		if (!strncmp(p, "sti", 3) && (p[3] == ' ' || !p[3]))
			opts.sti = true;
		if (!strncmp(p, "notf", 4) && (p[4] == ' ' || !p[4]))
			opts.notf = true;
	}
}

/* ---- the hypervisor's limits -------------------------------------------- */

static bool discover(void)
{
	void *info = (void *)(scratch + SCRATCH_SIZE - 4 * PAGE_SIZE);
	const struct hv_cap_limits *l;
	long r = hv_info(info, INFO_MAX);

	if (r) {
		test_error("info: %ld", r);
		return false;
	}
	info_needed = ((struct hv_info *)info)->argsz;
	l = (const void *)hv_info_find_cap(info, INFO_MAX, HV_CAP_LIMITS);
	if (!l) {
		test_error("info has no limits capability");
		return false;
	}
	max_vms = l->max_vms;
	max_vcpus = l->max_vcpus_per_vm;
	max_regions = l->max_memory_regions;
	if (!max_vms || max_vms - 1 > MODEL_CHILDREN || max_vcpus > MODEL_VCPUS ||
	    max_regions > MODEL_RANGES) {
		test_error("limits beyond the model: %u VMs, %u vCPUs, %u regions", max_vms,
			   max_vcpus, max_regions);
		return false;
	}
	gprintf("storm: %llu calls, seed %#llx%s%s; %u VMs, %u vCPUs each, %u regions\n",
		(unsigned long long)opts.calls, (unsigned long long)opts.seed,
		opts.sti ? ", children run with interrupts enabled" : "",
		opts.notf ? ", no triple faults" : "", max_vms, max_vcpus, max_regions);
	return true;
}

static void find_ram_end(void)
{
	const struct hv_boot_mem_range *m = &boot_info->memmap[0];

	ram_end = m->base + m->length;
}

/* ---- the storm ---------------------------------------------------------- */

/* On several vCPUs a few calls go to what other vCPUs own. */
static void one_call(void)
{
	u32 total = 0, r;

	if (storm_smp && chance(3)) {
		storm_cross();
		return;
	}
	for (u32 i = 0; i < ARRAY_SIZE(generators); i++)
		total += generators[i].weight;
	r = (u32)rnd_below(total);
	for (u32 i = 0; i < ARRAY_SIZE(generators); i++) {
		if (r < generators[i].weight) {
			generators[i].fn();
			return;
		}
		r -= generators[i].weight;
	}
}

static void progress(u64 *next, u64 share)
{
	if (tally.calls < *next)
		return;

	say("%llu calls, %llu from CPL 3, %u children alive, %llu unexpected\n",
	    (unsigned long long)tally.calls, (unsigned long long)tally.user_calls,
	    live_children(), (unsigned long long)tally.unexpected);
	*next += MAX(share / PROGRESS_STEPS, 1ULL);
}

/* vCPU 0 takes what does not split evenly. */
static u64 my_share(void)
{
	return opts.calls / storm_vcpus + (self ? 0 : opts.calls % storm_vcpus);
}

void storm_share(void)
{
	u64 next = 0, share = my_share();

	while (tally.calls < share) {
		progress(&next, share);
		one_call();
	}
	destroy_all();
}

static void print_runs(const struct tally *t)
{
	static const char *const names[8] = { "?", "io", "hlt", "shutdown", "stage-2 fault",
					      "failed", "timeslice", "hypercall" };

	for (u32 i = 1; i < 8; i++)
		gprintf("storm: runs ended by %s: %llu\n", names[i],
			(unsigned long long)t->runs_by_reason[i]);
	gprintf("storm: child hypercalls checked: %llu\n",
		(unsigned long long)t->child_calls_checked);
	gprintf("storm: run pages registered %llu, runs through them %llu\n",
		(unsigned long long)t->run_pages_set, (unsigned long long)t->paged_runs);
}

/* Everything gone (every vCPU's children, the shared child), the same
 * free memory, and the hypervisor answers. */
static void finish(s64 free_before)
{
	const struct tally *t = &totals;
	u64 alive = 0;
	s64 free_after;
	long version;

	free_after = free_bytes_now(&alive);
	version = hv_abi_version();
	tally_add();
	histogram_print(t);
	print_runs(t);
	gprintf("storm: free memory before %lld after %lld: %s\n", (long long)free_before,
		(long long)free_after, free_after == free_before ? "unchanged" : "CHANGED");
	gprintf("storm: %llu calls, %llu from CPL 3, %llu unexpected; VMs alive %llu, "
		"abi_version %ld\n", (unsigned long long)t->calls,
		(unsigned long long)t->user_calls, (unsigned long long)t->unexpected,
		(unsigned long long)alive, version);
	CHECK(free_after == free_before, "free memory %lld, was %lld", (long long)free_after,
	      (long long)free_before);
	CHECK(alive == 1, "%llu VMs alive after destroying every child",
	      (unsigned long long)alive);
	CHECK(version == HV_ABI_VERSION, "abi_version %ld at the end", version);
	CHECK(!t->unexpected, "%llu unexpected results", (unsigned long long)t->unexpected);
}

void test_main(void)
{
	s64 free_before;

	parse_options(boot_info->cmdline);
	find_ram_end();
	smp_enter(opts.seed ? opts.seed : DEFAULT_SEED);
	user_init();
	if (!discover())
		return;
	free_before = free_bytes_now(NULL);
	smp_start();
	storm_share();
	smp_done();
	finish(free_before);
}
