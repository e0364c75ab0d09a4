/* VM 0 on several CPUs (HV_EXT_VM0_SMP, HV_CALL_VCPU_START), with this
 * guest as VM 0: it starts its other vCPUs (each says hello), which then
 * make hypercalls all at once; a child with four vCPUs has them run by
 * different VM 0 vCPUs at the same time, each counting in a shared page,
 * and all counts advance during one run of VM 0's vCPU 0; a kick ends
 * the run of a child vCPU spinning on another CPU (HV_EXIT_KICKED), and
 * the next run of one not running; the child is
 * destroyed while the other vCPUs run it: every run ends and the free
 * memory comes back exactly; a window the other vCPUs keep reading is
 * unmapped: once the unmap returned, each read of it faults (#GP(0)),
 * none reads the old page (the TLB shootdown). */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"

const char test_title[] = "VM 0 on every CPU: vCPU start, parallel hypercalls and children";

#define ENOENT 2
#define EBUSY 16
#define EINVAL 22

#define MAX_VCPUS 4
#define AP_STACKS 0x3000000ULL /* 48 MiB: VM 0's RAM, unused by the image */
#define AP_STACK_SIZE 0x10000ULL
#define HYPERCALLS 300
#define CHILD_VCPUS 4
#define CHILD_MEM (4 * MIB)
#define CHILD_COUNTS 0x200000ULL /* vCPU i counts at + 64 * i */
#define WIN 0x40000000ULL        /* VM 0's window onto the counts */
#define WIN2 0x40100000ULL       /* the window the shootdown takes away */
#define WIN2_VALUE 0x5a5a5a5aULL
#define TRIES 200                /* runs of vCPU 0 to see every count move */
#define WAIT_SPINS 200000000ULL  /* a bound on waiting for the others */

/* The child: each vCPU counts at CHILD_COUNTS + 64 * (its APIC id),
 * interrupts on (none is ever injected): Bochs 2.7 takes no host
 * interrupt, so no kick or slice end, out of a guest with IF clear. */
asm(".pushsection .rodata.child, \"a\"\n"
    ".code64\n"
    "count_start:\n"
    "	sti\n"
    "	movl $1, %eax\n"
    "	cpuid\n"
    "	shrl $24, %ebx\n"
    "	shll $6, %ebx\n"
    "	addl $0x200000, %ebx\n"
    "1:	incq (%rbx)\n"
    "	pause\n"
    "	jmp 1b\n"
    "count_end:\n"
    ".popsection\n");
extern const u8 count_start[], count_end[];

enum phase { PHASE_START, PHASE_HYPERCALLS, PHASE_CHILD, PHASE_SHOOTDOWN };
enum ap_run { AP_IDLE, AP_RUNNING, AP_DONE, AP_READING, AP_FAULTED, AP_STALE };

static u32 vcpus;                        /* VM 0's */
static volatile u32 phase;
static volatile u32 print_lock;
static volatile u32 alive[MAX_VCPUS];
static volatile u32 good_calls[MAX_VCPUS];
static volatile u32 calls_done;
static volatile u32 child;               /* the child's VM id */
static struct hv_vcpu_regs child_regs;   /* its vCPU 0's start, for all */
static volatile u32 ap_run[MAX_VCPUS];
static volatile long last_run[MAX_VCPUS]; /* the run call's last answer */
static volatile u32 unmapped;            /* WIN2's unmap returned */
static volatile u32 kicks_seen[MAX_VCPUS]; /* runs that ended HV_EXIT_KICKED */

static void print_lock_take(void)
{
	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void print_lock_drop(void)
{
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

static u32 apic_id(void)
{
	u32 a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return b >> 24;
}

static void wait_phase(u32 p)
{
	while (phase < p)
		cpu_relax();
}

static void make_hypercalls(u32 self)
{
	u32 good = 0;

	for (u32 i = 0; i < HYPERCALLS; i++)
		good += hv_check_extension(HV_EXT_VM0_SMP) == (long)vcpus;
	good_calls[self] = good;
	__atomic_fetch_add(&calls_done, 1, __ATOMIC_RELEASE);
}

static bool run_goes_on(long r)
{
	return r == HV_EXIT_TIMESLICE || r == HV_EXIT_KICKED;
}

/* VM 0's vCPU `self` runs the child's vCPUs j with j % vcpus == self, a
 * slice each in turn, until a run ends otherwise (the child destroyed);
 * it counts the runs a kick ended. */
static long run_round(u32 self)
{
	struct hv_exit ex;
	long r = HV_EXIT_TIMESLICE;

	for (u32 j = self; j < CHILD_VCPUS && run_goes_on(r); j += vcpus) {
		r = hv_vcpu_run(child, j, &ex, false, 0);
		kicks_seen[self] += r == HV_EXIT_KICKED;
	}
	return r;
}

/* Every child vCPU this VM 0 vCPU runs starts where vCPU 0 does, set
 * from here, where it then runs. */
static void set_child_regs(u32 self)
{
	for (u32 j = self; j < CHILD_VCPUS; j += vcpus) {
		struct hv_vcpu_regs r = child_regs;

		r.vcpu = j;
		CHECK(hv_vcpu_set_regs(&r) == 0, "vCPU %u: set_regs of child vCPU %u", self, j);
	}
}

/* A read of VM 0's address that may fault; false when it did. */
static bool read_ok(u64 gpa, u64 *v)
{
	int ok = 1;

	asm volatile(FIXUP_ASM("movq (%[p]), %[v]")
		     : [ok] "+r"(ok), [v] "=r"(*v) : [p] "r"(gpa) : "memory");
	return ok;
}

/* Reads WIN2 until it faults: a read that succeeds although the unmap
 * had returned before it began saw a stale translation. */
static void read_until_fault(u32 self)
{
	u64 v;

	ap_run[self] = AP_READING;
	for (;;) {
		u32 after_unmap = unmapped;

		if (!read_ok(WIN2, &v)) {
			ap_run[self] = AP_FAULTED;
			return;
		}
		if (after_unmap || v != WIN2_VALUE) {
			ap_run[self] = AP_STALE;
			return;
		}
	}
}

/* Interrupts on (none reaches VM 0: the host's exit): Bochs 2.7's VMX
 * takes no external-interrupt exit, a kick's included, out of a guest
 * with IF clear, and VM 0's end kicks this vCPU out of its last loop. */
static __noreturn void ap_main(u64 self)
{
	long r;

	asm volatile("sti");
	print_lock_take();
	gprintf("smp0: hello from vCPU %llu, APIC id %u\n", (unsigned long long)self,
		apic_id());
	print_lock_drop();
	alive[self] = 1;
	wait_phase(PHASE_HYPERCALLS);
	make_hypercalls((u32)self);
	wait_phase(PHASE_CHILD);
	set_child_regs((u32)self);
	ap_run[self] = AP_RUNNING;
	while (run_goes_on(r = run_round((u32)self)))
		;
	last_run[self] = r;
	ap_run[self] = AP_DONE;
	wait_phase(PHASE_SHOOTDOWN);
	read_until_fault((u32)self);
	for (;;)
		cpu_relax();
}

static bool wait_all(volatile u32 *flags, u32 want)
{
	for (u64 spin = 0; spin < WAIT_SPINS; spin++) {
		u32 n = 0;

		for (u32 i = 1; i < vcpus; i++)
			n += flags[i] == want;
		if (n == vcpus - 1)
			return true;
		cpu_relax();
	}
	return false;
}

static void check_start_errors(void)
{
	struct hv_vcpu_start a = { .size = sizeof(a), .vcpu = 1, .flags = 1 };

	CHECK(hv_vcpu_start(0, 0, 0, 0) == -ENOENT, "vCPU 0 started again");
	CHECK(hv_vcpu_start(vcpus, 0, 0, 0) == -ENOENT, "vCPU %u does not exist", vcpus);
	CHECK(hv_call(HV_CALL_VCPU_START, &a) == -EINVAL, "flags accepted");
}

static void start_vcpus(void)
{
	for (u32 i = 1; i < vcpus; i++) {
		u64 stack = AP_STACKS + (i + 1) * AP_STACK_SIZE - 8; /* as after a call */

		CHECK(hv_vcpu_start(i, (u64)ap_main, stack, i) == 0, "start vCPU %u", i);
	}
	CHECK(hv_vcpu_start(1, (u64)ap_main, AP_STACKS, 1) == -EBUSY, "vCPU 1 started twice");
	CHECK(wait_all(alive, 1), "not every vCPU said hello");
}

static void parallel_hypercalls(void)
{
	phase = PHASE_HYPERCALLS;
	make_hypercalls(0);
	for (u64 spin = 0; calls_done < vcpus && spin < WAIT_SPINS; spin++)
		cpu_relax();
	for (u32 i = 0; i < vcpus; i++)
		CHECK(good_calls[i] == HYPERCALLS, "vCPU %u: %u of %u hypercalls right", i,
		      good_calls[i], HYPERCALLS);
	print_lock_take();
	gprintf("smp0: %u vCPUs made %u hypercalls each at once\n", vcpus, HYPERCALLS);
	print_lock_drop();
}

static u64 free_bytes(void)
{
	struct hv_stats s = { .argsz = sizeof(s) };

	return hv_stats(0, 0, &s) == 0 ? s.free_bytes : 0;
}

static bool make_child(void)
{
	long vm = hv_vm_create("counters", CHILD_MEM, CHILD_VCPUS, 1u << HV_EXIT_KICKED);

	if (vm < 0) {
		test_error("vm_create: %ld", vm);
		return false;
	}
	child = (u32)vm;
	for (u32 j = 0; j < CHILD_VCPUS; j++)
		CHECK(hv_vcpu_create(child) == j, "vcpu_create %u", j);
	CHECK(hv_child_boot_long_mode(child, 0, count_start, count_end - count_start) == 0,
	      "child boot state");
	CHECK(hv_vcpu_get_regs(child, 0, &child_regs) == 0, "child regs");
	CHECK(hv_vm_map_window(child, CHILD_COUNTS, PAGE_SIZE, WIN, 0) == 0, "window");
	return true;
}

static u64 count_of(u32 j)
{
	return *(volatile u64 *)(WIN + 64 * j);
}

/* One round of vCPU 0's runs during which every count moved: the other
 * vCPUs' counts moved while vCPU 0 ran its own. */
static bool counts_advance_together(void)
{
	for (u32 t = 0; t < TRIES; t++) {
		u64 before[CHILD_VCPUS];
		u32 moved = 0;

		for (u32 j = 0; j < CHILD_VCPUS; j++)
			before[j] = count_of(j);
		if (run_round(0) != HV_EXIT_TIMESLICE)
			return false;
		for (u32 j = 0; j < CHILD_VCPUS; j++)
			moved += count_of(j) > before[j];
		if (moved == CHILD_VCPUS) {
			gprintf("smp0: all %u child vCPUs counted during one round of vCPU 0 "
				"(try %u)\n", CHILD_VCPUS, t + 1);
			return true;
		}
	}
	return false;
}

/* Child vCPU 1 spins on VM 0's vCPU 1's CPU: a kick ends that run now.
 * Child vCPU 0 is not running: the kick ends its next run at once. */
static void kicks(void)
{
	struct hv_vcpu_kick bad = { .size = sizeof(bad), .flags = 1, .vm = child };
	struct hv_exit ex;
	u32 before = kicks_seen[1];

	CHECK(hv_vcpu_kick(child, 1) == 0, "kick child vCPU 1");
	for (u64 spin = 0; kicks_seen[1] == before && spin < WAIT_SPINS; spin++)
		cpu_relax();
	CHECK(kicks_seen[1] != before, "the kicked run did not end HV_EXIT_KICKED");
	CHECK(hv_vcpu_kick(child, 0) == 0, "kick child vCPU 0");
	CHECK(hv_vcpu_run(child, 0, &ex, false, 0) == HV_EXIT_KICKED,
	      "the run after a kick: %u", ex.reason);
	CHECK(hv_call(HV_CALL_VCPU_KICK, &bad) == -EINVAL, "kick with flags");
	CHECK(hv_vcpu_kick(child, CHILD_VCPUS) == -ENOENT, "kick of no vCPU");
	gprintf("smp0: a kick ended the run of child vCPU 1 on vCPU 1's CPU\n");
}

/* A use of child vCPU j from here while another CPU runs it: -EBUSY,
 * tried once its count moves (it runs in guest mode there). A try in a
 * gap between two runs takes it over to read its registers, and that
 * CPU takes it back for its next run; the wait makes hypercalls, whose
 * exits are where this CPU gives it back. */
static bool busy_elsewhere(u32 j)
{
	struct hv_vcpu_regs r;

	for (u32 t = 0; t < TRIES; t++) {
		u64 c = count_of(j);

		for (u64 spin = 0; count_of(j) == c && spin < WAIT_SPINS; spin++)
			hv_abi_version();
		if (hv_vcpu_get_regs(child, j, &r) == -EBUSY)
			return true;
	}
	return false;
}

static void parallel_child(void)
{
	u64 free_before = free_bytes();

	if (!make_child())
		return;
	set_child_regs(0);
	phase = PHASE_CHILD;
	CHECK(wait_all(ap_run, AP_RUNNING), "not every vCPU runs the child");
	CHECK(counts_advance_together(), "the child's counts did not all advance at once");
	kicks();
	CHECK(busy_elsewhere(1), "child vCPU 1 runs elsewhere: -EBUSY");
	CHECK(hv_vm_destroy(child) == 0, "destroy the child while it runs");
	CHECK(wait_all(ap_run, AP_DONE), "a run did not end with the child");
	for (u32 i = 1; i < vcpus; i++)
		CHECK(last_run[i] == -ENOENT || last_run[i] == HV_EXIT_FAILED,
		      "vCPU %u's run ended with %ld", i, last_run[i]);
	CHECK(free_bytes() == free_before, "free memory %llu, was %llu",
	      (unsigned long long)free_bytes(), (unsigned long long)free_before);
	gprintf("smp0: child destroyed while running on %u other vCPUs; memory back\n",
		vcpus - 1);
}

/* The other vCPUs read WIN2, a window onto a child's page, in a loop
 * while this one unmaps it. */
static void shootdown(void)
{
	long vm = hv_vm_create("tlb", 2 * MIB, 1, 0);

	if (vm < 0 || hv_vm_map_window((u32)vm, 0, PAGE_SIZE, WIN2, 0)) {
		test_error("child or window for the shootdown: %ld", vm);
		return;
	}
	*(volatile u64 *)WIN2 = WIN2_VALUE;
	phase = PHASE_SHOOTDOWN;
	CHECK(wait_all(ap_run, AP_READING), "not every vCPU reads the window");
	CHECK(hv_vm_unmap_window((u32)vm, WIN2) == 0, "unmap the window being read");
	unmapped = 1;
	for (u32 i = 1; i < vcpus; i++) {
		for (u64 spin = 0; ap_run[i] == AP_READING && spin < WAIT_SPINS; spin++)
			cpu_relax();
		CHECK(ap_run[i] == AP_FAULTED, "vCPU %u: %s", i,
		      ap_run[i] == AP_STALE ? "read the window after its unmap" : "no fault");
	}
	CHECK(hv_vm_destroy((u32)vm) == 0, "destroy the shootdown's child");
	gprintf("smp0: window unmapped under %u readers: each faulted, none read it after\n",
		vcpus - 1);
}

void test_main(void)
{
	vcpus = (u32)hv_check_extension(HV_EXT_VM0_SMP);
	gprintf("smp0: VM 0 has %u vCPUs\n", vcpus);
	if (vcpus < 2 || vcpus > MAX_VCPUS) {
		test_skip("needs 2 to %u CPUs", MAX_VCPUS);
		return;
	}
	check_start_errors();
	start_vcpus();
	parallel_hypercalls();
	parallel_child();
	shootdown();
}
