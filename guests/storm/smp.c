/* The storm on every VM 0 vCPU at once (HV_EXT_VM0_SMP, VCPU_START):
 * vCPU 0 lays out each vCPU's memory, starts the others at ap_main with
 * their own stacks, and each storms with its own seed and its own world.
 *
 * A vCPU's world is its thread-local block (every PER_VCPU variable: its
 * model, tally, random state, child image, run pages) and its scratch
 * area. FS points at the end of the block, as the x86-64 TLS ABI has it
 * (linker/guest.ld lays out the template). VM 0's RAM, from the top:
 *
 *   vCPU 0's scratch area                    (the top SCRATCH_SIZE bytes)
 *   vCPU k's scratch area and its guard      (AREA_STRIDE each, k >= 1)
 *   every vCPU's thread-local block
 *   the stacks of vCPUs 1..n-1
 *
 * The guard takes a VM_COPY into the upper half of a scratch area that
 * runs past it (vCPU 0's runs off the end of RAM instead).
 *
 * Shared here: who is still storming (a vCPU stops counting once its
 * children are destroyed), the highest VM id any vCPU got, the totals,
 * and the print and ring-3 locks. */
#include "guests/storm/storm.h"
#include "lib/string.h"

#define AREA_GUARD (2 * MIB)  /* >= HV_COPY_MAX */
#define AREA_STRIDE (SCRATCH_SIZE + AREA_GUARD)
#define AP_STACK_SIZE (64 * 1024)
#define MEM_FLOOR (16 * MIB)  /* the storm's image and vCPU 0's stack lie below */
#define MSR_FS_BASE 0xc0000100u
#define SEED_STEP 0x9e3779b97f4a7c15ULL /* vCPU k's seed: the seed + k steps */

_Static_assert(AREA_GUARD >= HV_COPY_MAX, "a copy past a scratch area stays in its guard");

u32 vm0_vcpus = 1, storm_vcpus = 1, extra_vms;
bool storm_smp;
PER_VCPU u32 self;
struct tally totals;

static volatile u32 print_word, user_word;
static u32 storming;   /* vCPUs whose storm is not done */
static u32 highest_id; /* the highest VM id any vCPU got */
static u64 tls_size, tls_stride, seed_base;

extern const u8 __tls_start[], __tdata_end[], __tls_end[];

/* Every wait has interrupts on: none reaches VM 0, but Bochs's VMX takes
 * no exit (a kick's included) out of a guest with IF clear, and another
 * vCPU may hold the lock waited for while it waits for this one to leave
 * guest mode (an unmap's or a destroy's shootdown). A call from ring 3
 * comes back with IF clear, so each wait sets it again. */
static void relax(void)
{
	asm volatile("sti; pause" ::: "memory");
}

static void lock(volatile u32 *word)
{
	while (__atomic_exchange_n(word, 1, __ATOMIC_ACQUIRE))
		relax();
}

static void unlock(volatile u32 *word)
{
	__atomic_store_n(word, 0, __ATOMIC_RELEASE);
}

void print_lock(void)
{
	lock(&print_word);
}

void print_unlock(void)
{
	unlock(&print_word);
}

void user_lock(void)
{
	lock(&user_word);
}

void user_unlock(void)
{
	unlock(&user_word);
}

bool others_storming(void)
{
	return __atomic_load_n(&storming, __ATOMIC_ACQUIRE) > 1;
}

u32 ids_seen(void)
{
	return __atomic_load_n(&highest_id, __ATOMIC_ACQUIRE);
}

void id_seen(u32 id)
{
	u32 old = ids_seen();

	while (old < id && !__atomic_compare_exchange_n(&highest_id, &old, id, false,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		;
}

/* ---- memory ------------------------------------------------------------- */

static u64 scratch_of(u32 cpu)
{
	return ram_end - SCRATCH_SIZE - (u64)cpu * AREA_STRIDE;
}

static u64 tls_block_of(u32 cpu)
{
	return scratch_of(storm_vcpus - 1) - (u64)(cpu + 1) * tls_stride;
}

static u64 stack_top_of(u32 cpu)
{
	return tls_block_of(storm_vcpus - 1) - (u64)(cpu - 1) * AP_STACK_SIZE;
}

static bool layout_fits(void)
{
	return storm_vcpus == 1 || stack_top_of(storm_vcpus) >= MEM_FLOOR;
}

/* How many vCPUs storm: every one VM 0 has, as far as memory goes. */
static void layout(void)
{
	long n = hv_check_extension(HV_EXT_VM0_SMP);

	vm0_vcpus = n > 1 ? (u32)n : 1;
	tls_size = (u64)(__tls_end - __tls_start);
	tls_stride = ALIGN_UP(tls_size + sizeof(u64), PAGE_SIZE); /* + the pointer at FS:0 */
	storm_vcpus = MIN(vm0_vcpus, (u32)STORM_VCPUS_MAX);
	while (!layout_fits())
		storm_vcpus--;
	storm_smp = storm_vcpus > 1;
	storming = storm_vcpus;
}

/* This vCPU's thread-local block (the template's data, the rest zero),
 * FS at its end holding its own address, and its scratch area. */
static void enter_block(u32 cpu)
{
	u8 *block = (u8 *)tls_block_of(cpu);
	u64 data = (u64)(__tdata_end - __tls_start);
	u64 fs = (u64)block + tls_size;

	memcpy(block, __tls_start, data);
	memset(block + data, 0, tls_size - data);
	*(u64 *)fs = fs;
	if (!wrmsr_safe(MSR_FS_BASE, fs))
		guest_panic("storm: vCPU %u cannot set FS_BASE", cpu);
	self = cpu;
	scratch = scratch_of(cpu);
	writable_end = cpu ? scratch + AREA_STRIDE : ram_end;
	memset((void *)scratch, 0, writable_end - scratch);
	rng_state = seed_base + cpu * SEED_STEP;
	if (!rng_state)
		rng_state = SEED_STEP;
	model_publish(cpu);
}

void smp_enter(u64 seed)
{
	seed_base = seed;
	layout();
	enter_block(0);
}

/* ---- the other vCPUs ---------------------------------------------------- */

static __noreturn void ap_main(u64 cpu)
{
	enter_block((u32)cpu);
	storm_share();
	tally_add();
	smp_done();
	for (;;)
		relax();
}

void smp_start(void)
{
	if (!storm_smp)
		return;
	shared_child_create();
	say("on %u of VM 0's %u vCPUs at once, vCPU k's seed %#llx + k * %#llx\n",
	    storm_vcpus, vm0_vcpus, (unsigned long long)seed_base,
	    (unsigned long long)SEED_STEP);
	for (u32 cpu = 1; cpu < storm_vcpus; cpu++) {
		long r = hv_vcpu_start(cpu, (u64)ap_main, stack_top_of(cpu) - 8, cpu);

		if (r) { /* it storms no part: the others go on */
			say("vCPU %u did not start: %ld\n", cpu, r);
			__atomic_fetch_sub(&storming, 1, __ATOMIC_ACQ_REL);
		}
	}
}

/* ---- the end ------------------------------------------------------------ */

void tally_add(void)
{
	const u64 *mine = (const u64 *)&tally;
	u64 *sum = (u64 *)&totals;

	for (u32 i = 0; i < sizeof(tally) / sizeof(u64); i++)
		__atomic_fetch_add(&sum[i], mine[i], __ATOMIC_RELAXED);
}

/* This vCPU's storm is over and its children are gone. vCPU 0 then
 * waits for the others, and ends the shared child. */
void smp_done(void)
{
	if (storm_smp)
		say("%llu calls, %llu unexpected; %llu from CPL 3, %llu on others' VMs\n",
		    (unsigned long long)tally.calls, (unsigned long long)tally.unexpected,
		    (unsigned long long)tally.user_calls, (unsigned long long)tally.cross_calls);
	__atomic_fetch_sub(&storming, 1, __ATOMIC_ACQ_REL);
	if (self || !storm_smp)
		return;
	while (__atomic_load_n(&storming, __ATOMIC_ACQUIRE))
		relax();
	shared_child_destroy();
}
