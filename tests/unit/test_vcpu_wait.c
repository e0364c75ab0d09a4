/* HLT inside the hypervisor and the LAPIC timer on the host timer
 * (hv/vcpu_wait.c): the host timer goes to the earlier of slice end and
 * deadline, a deadline is due as the vLAPIC counts it (unsigned, in the
 * vCPU's TSC), and a wait ends for exactly the reasons it lists. */
#include "check.h"
#include "../../hv/vcpu_wait.c"

static u64 deadline, armed_at_tsc, expired_at;
static int expires, waits, wake_after_waits;
static bool pending;

u64 vlapic_timer_deadline(const struct vlapic *a)
{
	(void)a;
	return deadline;
}

void vlapic_timer_expire(struct vlapic *a, u64 now_tsc)
{
	(void)a;
	expires++;
	expired_at = now_tsc;
}

bool irq_pending(const struct vcpu *v)
{
	(void)v;
	return pending;
}

u64 vcpu_tsc(const struct vcpu *v)
{
	return rdtsc() + v->tsc_offset;
}

void arch_timer_arm_at(u64 tsc)
{
	armed_at_tsc = tsc;
}

/* The test runs as CPU `here`. */
static u32 here;

u32 arch_cpu_id(void)
{
	return here;
}

/* INIT's start state: the vCPU waits for a SIPI (hv/vcpu_mp.c). */
bool vcpu_start_load(struct vcpu *v)
{
	if (v->start_pending == VCPU_START_INIT)
		v->mp_state = VCPU_MP_WAIT_SIPI;
	v->start_pending = VCPU_START_NONE;
	v->halted = false;
	return v->mp_state == VCPU_MP_RUNNABLE;
}

/* One CPU: the lock (inline, hv/lock.h) has no one to wait for; held,
 * as the code under test runs with it. */
struct ticket_lock hv_lock = { .next = 1, .serving = 0 };

/* The "interrupt" that ends a halt: after wake_after_waits of them the
 * vCPU has something pending. */
void arch_timer_wait(void)
{
	if (++waits == wake_after_waits)
		pending = true;
}

/* hv/lock.c's, on one CPU: nothing to serve, the lock stays ours. */
void hv_lock_halt(void)
{
	arch_timer_wait();
}

static struct vm vm;

static struct vcpu *setup(u32 vcpus)
{
	memset(&vm, 0, sizeof(vm));
	vm.lapic = true;
	vm.vcpu_count = vcpus;
	for (u32 i = 0; i < vcpus; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		vm.vcpus[i].mp_state = VCPU_MP_RUNNABLE;
		vm.vcpus[i].home_cpu = VCPU_NO_CPU;
		/* a child's TSC starts near 0: the offset takes the host's away */
		vm.vcpus[i].tsc_offset = 0 - rdtsc();
	}
	deadline = expired_at = armed_at_tsc = 0;
	expires = waits = wake_after_waits = 0;
	pending = false;
	vm.vcpus[0].halted = true;
	return &vm.vcpus[0];
}

TEST(host_timer_takes_the_earlier)
{
	struct vcpu *v = setup(1);
	u64 slice_end = rdtsc() + 1000000000ULL;

	vcpu_timer_arm(v, slice_end); /* no deadline: the slice end */
	CHECK_EQ(armed_at_tsc, slice_end);
	deadline = vcpu_tsc(v) + 5000000; /* before it: the deadline, in host TSC */
	vcpu_timer_arm(v, slice_end);
	CHECK_EQ(armed_at_tsc, deadline - v->tsc_offset);
	deadline = vcpu_tsc(v) + 5000000000ULL; /* after it */
	vcpu_timer_arm(v, slice_end);
	CHECK_EQ(armed_at_tsc, slice_end);
	deadline = ~0ULL; /* as far as it goes, never "due early" by wrapping */
	vcpu_timer_arm(v, slice_end);
	CHECK_EQ(armed_at_tsc, slice_end);
	vm.lapic = false; /* without the virtual LAPIC there is no deadline */
	deadline = vcpu_tsc(v) + 5000000;
	vcpu_timer_arm(v, slice_end);
	CHECK_EQ(armed_at_tsc, slice_end);
}

TEST(expires_only_when_due)
{
	struct vcpu *v = setup(1);

	vcpu_timer_check(v); /* not armed */
	CHECK_EQ(expires, 0);
	deadline = vcpu_tsc(v) + 1000000000ULL;
	vcpu_timer_check(v);
	deadline = ~0ULL;
	vcpu_timer_check(v);
	CHECK_EQ(expires, 0);
	deadline = vcpu_tsc(v) - 1;
	vcpu_timer_check(v);
	CHECK_EQ(expires, 1);
	CHECK(expired_at >= deadline);
}

TEST(wakes_on_pending_interrupt)
{
	struct vcpu *v = setup(1);

	wake_after_waits = 3;
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), 0);
	CHECK_EQ(waits, 3);
	CHECK(!v->halted);
	pending = true; /* already pending: no halt at all */
	waits = 0;
	v->halted = true;
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), 0);
	CHECK_EQ(waits, 0);
}

TEST(slice_end_keeps_it_halted)
{
	struct vcpu *v = setup(1);

	CHECK_EQ(vcpu_wait(v, rdtsc() - 1), HV_EXIT_TIMESLICE);
	CHECK(v->halted);
	CHECK_EQ(waits, 0);
}

TEST(window_request_ends_the_wait)
{
	struct vcpu *v = setup(1);

	v->irq.window_exit = true;
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), HV_EXIT_IRQ_WINDOW);
	CHECK(v->halted && !v->irq.window_exit);
}

TEST(runnable_sibling_gets_the_cpu)
{
	struct vcpu *v = setup(3);

	vm.vcpus[1].halted = true;
	vm.vcpus[2].mp_state = VCPU_MP_WAIT_SIPI;
	wake_after_waits = 1; /* halted and waiting siblings: v halts */
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), 0);
	v = setup(2); /* a sibling that could run: v gives the slice back */
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), HV_EXIT_TIMESLICE);
	CHECK(v->halted);
	CHECK_EQ(waits, 0);
}

/* A sibling another CPU runs wakes v there (an IPI kicks this CPU):
 * v keeps waiting; one this CPU ran, or none yet, gets it back. */
TEST(sibling_on_another_cpu_does_not_end_the_wait)
{
	struct vcpu *v = setup(2);

	here = 1;
	v->home_cpu = 1;
	vm.vcpus[1].home_cpu = 0;
	wake_after_waits = 1;
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), 0);
	CHECK_EQ(waits, 1);
	v = setup(2);
	vm.vcpus[1].home_cpu = 1;
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), HV_EXIT_TIMESLICE);
	here = 0;
}

/* An INIT from another CPU ends the halt: the run ends waiting for a
 * SIPI; after a SIPI the vCPU runs on. */
TEST(start_signal_ends_the_wait)
{
	struct vcpu *v = setup(1);

	v->start_pending = VCPU_START_INIT;
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), HV_EXIT_WAIT_SIPI);
	CHECK(!v->halted);
	v = setup(1);
	v->start_pending = VCPU_START_SIPI;
	CHECK_EQ(vcpu_wait(v, rdtsc() + 1000000000000ULL), 0);
	CHECK_EQ(waits, 0);
}

TEST(which_hlt_waits)
{
	struct vcpu *v = setup(1);
	struct hv_exit out;

	v->regs.rflags = RFLAGS_IF;
	CHECK(!vcpu_hlt_waits(v)); /* VM 0's own run: no VMM */
	v->vmm_exit = &out;
	CHECK(vcpu_hlt_waits(v));
	v->regs.rflags = 0;
	CHECK(!vcpu_hlt_waits(v)); /* IF clear: to the VMM */
	v->regs.rflags = RFLAGS_IF;
	vm.lapic = false;
	CHECK(!vcpu_hlt_waits(v)); /* no virtual LAPIC: to the VMM */
}

RUN_TESTS("vcpu_wait", T(host_timer_takes_the_earlier), T(expires_only_when_due),
	  T(wakes_on_pending_interrupt), T(slice_end_keeps_it_halted),
	  T(window_request_ends_the_wait), T(runnable_sibling_gets_the_cpu),
	  T(sibling_on_another_cpu_does_not_end_the_wait), T(start_signal_ends_the_wait),
	  T(which_hlt_waits))
