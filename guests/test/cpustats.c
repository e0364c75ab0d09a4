/* Per-CPU figures (HV_CALL_CPU_STATS) and VM 0's idle call
 * (HV_CALL_VM0_IDLE), with this guest as VM 0: the calls' refusals; a
 * kick sent before an idle call is kept for it, and only one; an idle
 * call with a deadline returns 0 once VM 0's TSC has passed it. With a
 * second CPU: VM 0's vCPU 1 idles without a deadline, its CPU's idle
 * time grows meanwhile, and vCPU 0's kick wakes it (1). A child run on
 * one CPU raises that CPU's exits and guest time by exactly the child's
 * time, and leaves the other CPU's guest time alone. A child calling
 * either gets -EPERM. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/lib/timing.h"

const char test_title[] = "Per-CPU figures and VM 0's idle call";

#define AP_STACK 0x3010000ULL   /* vCPU 1's stack top: VM 0's RAM, unused by the image */
#define WAIT_SPINS 200000000ULL /* a bound on waiting for vCPU 1 */
#define SLICES 3                /* the child's runs for the figures */
#define IDLE_TRIES 100          /* deadline idles to see CPU 0's idle time move */
#define CHILD_MEM (2 * MIB)

/* Two children: one spins (interrupts on, so that Bochs 2.7 takes the
 * host timer out of it); the other calls VM0_IDLE (its answer in RBX)
 * and CPU_STATS (in RAX), then halts. */
asm(".pushsection .rodata.child, \"a\"\n"
    ".code64\n"
    "spin_start:\n"
    "	sti\n"
    "1:	pause\n"
    "	jmp 1b\n"
    "spin_end:\n"
    "refused_start:\n"
    "	movl $26, %eax\n"
    "	xorl %edi, %edi\n"
    "	vmcall\n"
    "	movq %rax, %rbx\n"
    "	movl $25, %eax\n"
    "	vmcall\n"
    "	hlt\n"
    "refused_end:\n"
    ".popsection\n");
extern const u8 spin_start[], spin_end[], refused_start[], refused_end[];

/* What vCPU 0 asks vCPU 1 to do. */
enum ap_cmd { AP_IDLE, AP_IDLE_DEADLINE, AP_BOOT_CHILD, AP_RUN_CHILD };

static u32 vcpus, cpus;
static u64 idle_span; /* a deadline's distance: 5 ms of TSC */
static volatile u32 ap_alive;
static volatile u32 cmd, cmd_seq, done_seq;
static volatile u64 cmd_arg;
static volatile long ap_result;
static volatile bool ap_late_enough; /* AP_IDLE_DEADLINE: returned after it */

static long stats_of(u32 cpu, struct hv_cpu_stats *s)
{
	long r = hv_cpu_stats(cpu, s);

	if (r)
		test_fail("cpu_stats of CPU %u: %ld", cpu, r);
	return r;
}

/* An idle call with a deadline: 0 once VM 0's TSC passed it (1 for a
 * kick that came first). */
static long idle_for(u64 ticks, bool *late_enough)
{
	u64 deadline = rdtsc_ordered() + ticks;
	long r = hv_vm0_idle(deadline);

	*late_enough = rdtsc_ordered() >= deadline;
	return r;
}

/* ---- vCPU 1 -------------------------------------------------------------- */

static long ap_command(u32 c, u64 arg)
{
	struct hv_vcpu_regs regs;
	bool late = false;
	long r;

	switch (c) {
	case AP_IDLE:
		return hv_vm0_idle(0);
	case AP_IDLE_DEADLINE:
		r = idle_for(arg, &late);
		ap_late_enough = late;
		return r;
	case AP_BOOT_CHILD: /* binds the child's vCPU to this CPU */
		r = hv_child_boot_long_mode((u32)arg, 0, spin_start, spin_end - spin_start);
		return r ? r : hv_vcpu_get_regs((u32)arg, 0, &regs);
	default:
		for (u32 i = 0; i < SLICES; i++)
			if ((r = hv_vcpu_run((u32)arg, 0, &(struct hv_exit){ 0 }, false, 0)) !=
			    HV_EXIT_TIMESLICE)
				return r;
		return 0;
	}
}

/* Interrupts on: Bochs 2.7 takes no host interrupt out of a guest with
 * IF clear, and VM 0's end kicks this vCPU out of its loop. */
static __noreturn void ap_main(u64 self)
{
	u32 seen = 0;

	(void)self;
	asm volatile("sti");
	ap_alive = 1;
	for (;;) {
		while (cmd_seq == seen)
			cpu_relax();
		seen = cmd_seq;
		ap_result = ap_command(cmd, cmd_arg);
		done_seq = seen;
	}
}

static void ap_post(u32 c, u64 arg)
{
	cmd = c;
	cmd_arg = arg;
	cmd_seq = cmd_seq + 1;
}

static bool ap_done(void)
{
	return done_seq == cmd_seq;
}

static bool ap_wait(void)
{
	for (u64 spin = 0; !ap_done() && spin < WAIT_SPINS; spin++)
		cpu_relax();
	return ap_done();
}

/* vCPU 1's answer to the command, or `none` when it gave none in time. */
static long ap_do(u32 c, u64 arg, long none)
{
	ap_post(c, arg);
	return ap_wait() ? ap_result : none;
}

/* Command c carried out on CPU `cpu`: posted to vCPU 1 on CPU 1, or done
 * here on CPU 0. */
static long on_cpu(u32 cpu, u32 c, u64 arg)
{
	return cpu ? ap_do(c, arg, -999) : ap_command(c, arg);
}

/* ---- the checks ---------------------------------------------------------- */

static long raw_cpu_stats(u32 size, u32 flags, u32 cpu, u32 reserved, struct hv_cpu_stats *s)
{
	*s = (struct hv_cpu_stats){ .size = size, .flags = flags, .cpu = cpu,
				    .reserved = reserved };
	return hv_call(HV_CALL_CPU_STATS, s);
}

static long raw_idle(u32 size, u32 flags, u64 reserved)
{
	struct hv_vm0_idle a = { .size = size, .flags = flags, .deadline = 1,
				 .reserved = reserved };

	return hv_call(HV_CALL_VM0_IDLE, &a);
}

static void check_refusals(void)
{
	struct hv_cpu_stats s;

	CHECK(raw_cpu_stats(8, 0, 0, 0, &s) == -HV_EINVAL, "cpu_stats, size 8");
	CHECK(raw_cpu_stats(sizeof(s), 1, 0, 0, &s) == -HV_EINVAL, "cpu_stats, flags 1");
	CHECK(raw_cpu_stats(sizeof(s), 0, 0, 1, &s) == -HV_EINVAL, "cpu_stats, reserved 1");
	CHECK(raw_cpu_stats(sizeof(s), 0, cpus, 0, &s) == -HV_EINVAL, "cpu_stats of CPU %u", cpus);
	CHECK(raw_cpu_stats(sizeof(s), 0, ~0u, 0, &s) == -HV_EINVAL, "cpu_stats of CPU ~0");
	CHECK(raw_cpu_stats(16, 0, 0, 0, &s) == 0 && s.size == HV_CPU_STATS_SIZE_VER0 &&
		      !s.exits, "cpu_stats, size 16: the header only, size %u", s.size);
	CHECK(raw_idle(16, 0, 0) == -HV_EINVAL, "vm0_idle, size 16");
	CHECK(raw_idle(sizeof(struct hv_vm0_idle), 1, 0) == -HV_EINVAL, "vm0_idle, flags 1");
	CHECK(raw_idle(sizeof(struct hv_vm0_idle), 0, 1) == -HV_EINVAL, "vm0_idle, reserved 1");
	CHECK(hv_vcpu_kick(0, vcpus) == -HV_ENOENT, "kick of VM 0's vCPU %u", vcpus);
	gprintf("cpustats: refused: size, flags, reserved, cpu %u and past; vm0_idle's too\n",
		cpus);
}

/* CPU 0 runs VM 0's vCPU 0 virtualized, has taken exits, and its TSC is
 * VM 0's. */
static void check_cpu0(void)
{
	struct hv_cpu_stats s;
	u64 before = rdtsc_ordered(), after;

	if (stats_of(0, &s))
		return;
	after = rdtsc_ordered();
	CHECK(s.state == (HV_CPU_STATS_VIRT | HV_CPU_STATS_VM0), "CPU 0's state %#x", s.state);
	CHECK(s.exits > 0, "CPU 0: no exits");
	CHECK(s.tsc >= before && s.tsc <= after, "CPU 0's TSC %llu not in [%llu, %llu]",
	      (unsigned long long)s.tsc, (unsigned long long)before,
	      (unsigned long long)after);
	CHECK(s.start_tsc && s.start_tsc < before, "CPU 0: started at TSC %llu",
	      (unsigned long long)s.start_tsc);
	CHECK(s.guest_tsc + s.idle_tsc <= s.tsc - s.start_tsc,
	      "CPU 0: more guest and idle time than since the start");
}

/* Kicks to vCPU 0 itself before its idle calls: the first call takes
 * the wake-up at once, a second kick adds none, a refused call takes
 * none; a deadline in the past returns 0 at once. */
static void check_own_kicks(void)
{
	bool late;

	CHECK(hv_vcpu_kick(0, 0) == 0 && hv_vcpu_kick(0, 0) == 0, "kick of VM 0's vCPU 0");
	CHECK(raw_idle(sizeof(struct hv_vm0_idle), 1, 0) == -HV_EINVAL, "vm0_idle, flags 1");
	CHECK(idle_for(idle_span, &late) == 1, "a kick before the idle call was lost");
	CHECK(idle_for(idle_span, &late) == 0 && late, "two kicks woke two idle calls");
	CHECK(hv_vm0_idle(1) == 0, "a deadline long past: not 0");
	gprintf("cpustats: kicks before the idle call kept: one wake-up\n");
}

/* The deadline is VM 0's TSC; CPU 0's idle time grows while it waits
 * (in one of a few calls: one where the deadline came before the CPU
 * halted adds none). */
static void check_deadline(void)
{
	struct hv_cpu_stats s0, s1;
	bool late = false, grew = false;
	long r = 0;

	if (stats_of(0, &s0))
		return;
	for (u32 i = 0; i < IDLE_TRIES && !grew && !r; i++) {
		r = idle_for(idle_span, &late);
		CHECK(late, "vm0_idle returned before its deadline");
		grew = !stats_of(0, &s1) && s1.idle_tsc > s0.idle_tsc;
	}
	CHECK(r == 0, "vm0_idle with a deadline: %ld", r);
	CHECK(grew, "CPU 0's idle time did not grow in %u idle calls", IDLE_TRIES);
	gprintf("cpustats: idle until a deadline: 0 after it; CPU 0 idle +%llu ticks\n",
		(unsigned long long)(s1.idle_tsc - s0.idle_tsc));
}

/* A child may call neither. */
static void check_child_refused(void)
{
	struct hv_vcpu_regs regs;
	struct hv_exit ex = { 0 };
	long vm = hv_vm_create("refused", CHILD_MEM, 1, 0);

	if (vm < 0 || hv_vcpu_create((u32)vm) != 0) {
		test_error("vm_create or vcpu_create: %ld", vm);
		return;
	}
	CHECK(hv_child_boot_long_mode((u32)vm, 0, refused_start, refused_end - refused_start) == 0,
	      "child boot state");
	CHECK(hv_vcpu_run((u32)vm, 0, &ex, false, 0) == HV_EXIT_HLT, "the child: exit %u",
	      ex.reason);
	CHECK(hv_vcpu_get_regs((u32)vm, 0, &regs) == 0 && (long)regs.gprs[1] == -HV_EPERM &&
		      (long)regs.gprs[0] == -HV_EPERM,
	      "a child's vm0_idle %ld, cpu_stats %ld", (long)regs.gprs[1], (long)regs.gprs[0]);
	CHECK(hv_vm_destroy((u32)vm) == 0, "destroy the child");
	gprintf("cpustats: a child's vm0_idle and cpu_stats: -EPERM\n");
}

/* CPU 1 runs no VM 0 vCPU until vCPU 1 is started. */
static bool start_vcpu1(void)
{
	struct hv_cpu_stats s;

	if (!stats_of(1, &s))
		CHECK(s.state == HV_CPU_STATS_VIRT, "CPU 1 before the start: state %#x", s.state);
	CHECK(hv_vcpu_start(1, (u64)ap_main, AP_STACK - 8, 1) == 0, "start vCPU 1");
	for (u64 spin = 0; !ap_alive && spin < WAIT_SPINS; spin++)
		cpu_relax();
	if (!ap_alive) {
		test_fail("vCPU 1 did not start");
		return false;
	}
	if (!stats_of(1, &s))
		CHECK(s.state == (HV_CPU_STATS_VIRT | HV_CPU_STATS_VM0), "CPU 1 started: state %#x",
		      s.state);
	return true;
}

/* While vCPU 1 idles without a deadline, its CPU's idle time grows (it
 * halts nowhere else); it stays there until vCPU 0 kicks it. */
static void check_idle_kick(void)
{
	struct hv_cpu_stats a, b;
	bool grew = false;

	ap_post(AP_IDLE, 0);
	if (stats_of(1, &a))
		return;
	for (u64 spin = 0; !grew && spin < WAIT_SPINS / 1000; spin++)
		grew = !stats_of(1, &b) && b.idle_tsc > a.idle_tsc;
	CHECK(grew, "CPU 1's idle time did not grow while vCPU 1 idles");
	CHECK(!ap_done(), "vCPU 1's idle call returned without a kick: %ld", ap_result);
	CHECK(hv_vcpu_kick(0, 1) == 0, "kick of VM 0's vCPU 1");
	CHECK(ap_wait() && ap_result == 1, "vCPU 1 not woken by the kick: %ld",
	      ap_done() ? ap_result : -999);
	gprintf("cpustats: vCPU 1 idled (CPU 1 idle +%llu ticks) until vCPU 0's kick: 1\n",
		(unsigned long long)(b.idle_tsc - a.idle_tsc));
}

/* A kick while vCPU 1 is busy waits for its next idle call; a deadline
 * on vCPU 1 ends its call with 0. */
static void check_ap_pending_and_deadline(void)
{
	CHECK(hv_vcpu_kick(0, 1) == 0, "kick of VM 0's vCPU 1");
	CHECK(ap_do(AP_IDLE, 0, -999) == 1, "vCPU 1: the kick before its idle call was lost");
	CHECK(ap_do(AP_IDLE_DEADLINE, idle_span, -999) == 0 && ap_late_enough,
	      "vCPU 1: idle with a deadline");
	gprintf("cpustats: vCPU 1: a kick before its idle call kept; its deadline: 0\n");
}

static u64 child_guest_tsc(u32 vm)
{
	struct hv_stats s;

	return hv_stats(HV_STATS_VM, vm, &s) ? 0 : s.guest_tsc;
}

/* A child runs SLICES slices on CPU `cpu` (vCPU `cpu`'s): that CPU's
 * exits grow, its guest time by exactly the child's; CPU 0, when it is
 * not that one, runs no child meanwhile and gains no guest time. */
static void check_child_figures(u32 cpu)
{
	struct hv_cpu_stats c0, c1, o0, o1;
	long vm = hv_vm_create("spin", CHILD_MEM, 1, 0), r;
	u64 child0, child1;

	if (vm < 0 || hv_vcpu_create((u32)vm) != 0) {
		test_error("vm_create or vcpu_create: %ld", vm);
		return;
	}
	r = on_cpu(cpu, AP_BOOT_CHILD, (u64)vm);
	CHECK(r == 0, "the spinning child's boot state: %ld", r);
	child0 = child_guest_tsc((u32)vm);
	if (stats_of(cpu, &c0) || stats_of(0, &o0))
		return;
	r = on_cpu(cpu, AP_RUN_CHILD, (u64)vm);
	CHECK(r == 0, "the child's %u slices on CPU %u: %ld", SLICES, cpu, r);
	child1 = child_guest_tsc((u32)vm);
	if (stats_of(cpu, &c1) || stats_of(0, &o1))
		return;
	CHECK(c1.exits - c0.exits >= SLICES, "CPU %u: %llu exits for %u slices", cpu,
	      (unsigned long long)(c1.exits - c0.exits), SLICES);
	CHECK(c1.guest_tsc > c0.guest_tsc && c1.guest_tsc - c0.guest_tsc == child1 - child0,
	      "CPU %u's guest time +%llu, the child's +%llu", cpu,
	      (unsigned long long)(c1.guest_tsc - c0.guest_tsc),
	      (unsigned long long)(child1 - child0));
	CHECK(c1.guest_tsc - c0.guest_tsc <= c1.tsc - c0.tsc, "CPU %u: more guest time than time",
	      cpu);
	CHECK(!cpu || o1.guest_tsc == o0.guest_tsc, "CPU 0's guest time moved by %llu",
	      (unsigned long long)(o1.guest_tsc - o0.guest_tsc));
	CHECK(hv_vm_destroy((u32)vm) == 0, "destroy the child");
	gprintf("cpustats: child on CPU %u: exits +%llu, guest +%llu ticks (the child's); "
		"CPU 0's guest +%llu\n", cpu, (unsigned long long)(c1.exits - c0.exits),
		(unsigned long long)(c1.guest_tsc - c0.guest_tsc),
		(unsigned long long)(cpu ? o1.guest_tsc - o0.guest_tsc : 0));
}

void test_main(void)
{
	u32 khz = (u32)hv_check_extension(HV_EXT_TSC);

	vcpus = (u32)hv_check_extension(HV_EXT_VM0_SMP);
	cpus = (u32)hv_check_extension(HV_EXT_CPU_STATS);
	idle_span = khz ? (u64)khz * 5 : 10000000;
	gprintf("cpustats: %u CPUs, VM 0 has %u vCPUs\n", cpus, vcpus);
	if (!cpus || hv_check_extension(HV_EXT_VM0_IDLE) != 1) {
		test_error("HV_EXT_CPU_STATS %u, HV_EXT_VM0_IDLE %ld", cpus,
			   hv_check_extension(HV_EXT_VM0_IDLE));
		return;
	}
	CHECK(cpus >= vcpus, "%u CPUs but %u vCPUs", cpus, vcpus);
	check_refusals();
	check_cpu0();
	check_own_kicks();
	check_deadline();
	check_child_refused();
	if (vcpus < 2) {
		check_child_figures(0);
		return;
	}
	if (!start_vcpu1())
		return;
	check_idle_kick();
	check_ap_pending_and_deadline();
	check_child_figures(1);
}
