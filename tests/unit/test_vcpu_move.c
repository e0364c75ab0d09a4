/* Moving a vCPU between CPUs (hv/vcpu_move.c): a use from another CPU
 * has the vCPU's home CPU give it up (its lazily switched registers
 * saved, the backend's release) and then owns it; a vCPU running or
 * being moved elsewhere is -EBUSY; two CPUs that ask each other at once
 * both get theirs. The CPUs are simulated in turn: a wait serves every
 * CPU's mailbox, as each does in its own waits and before its entries. */
#include "check.h"
#include "../../hv/vcpu_move.c"
#include "../../hv/vcpu_move_serve.c"

#define NCPUS 3

static u32 cur_cpu;         /* the CPU the code under test runs on */
static u32 kicks[NCPUS];
static u32 unloaded_on[NCPUS], released_on[NCPUS];
static struct vcpu *nested;  /* claimed by CPU nested_cpu during a wait */
static u32 nested_cpu;
static int nested_result;
static bool dies_meanwhile;
static struct vcpu *taken_by_2; /* CPU 2 ends its move of it during a wait */
static struct vm vm;

u32 arch_cpu_id(void)
{
	return cur_cpu;
}

void arch_kick_cpu(u32 cpu)
{
	kicks[cpu]++;
}

void guest_state_unload(struct vcpu *v)
{
	(void)v;
	unloaded_on[cur_cpu]++;
}

static void fake_release(struct vcpu *v)
{
	(void)v;
	released_on[cur_cpu]++;
}

static const struct virt_ops fake_ops = { .vcpu_release = fake_release };
const struct virt_ops *virt = &fake_ops;

/* Every CPU serves what it was asked, in turn. */
static void all_cpus_serve(void)
{
	u32 me = cur_cpu;

	for (cur_cpu = 0; cur_cpu < NCPUS; cur_cpu++)
		vcpu_moves_serve();
	cur_cpu = me;
}

/* The waiting CPU serves its own mailbox (hv/lock.c); meanwhile another
 * CPU may ask for a vCPU itself (nested), or destroy the VM. */
void hv_lock_wait_until(bool (*done)(const void *arg), const void *arg)
{
	u32 me = cur_cpu;

	if (nested) {
		struct vcpu *x = nested;

		nested = NULL;
		cur_cpu = nested_cpu;
		nested_result = vcpu_claim(x);
		cur_cpu = me;
	}
	if (dies_meanwhile)
		vm.dying = true;
	if (taken_by_2) {
		taken_by_2->moving = false;
		taken_by_2->home_cpu = 2;
		taken_by_2 = NULL;
	}
	for (int round = 0; round < 3 && !done(arg); round++)
		all_cpus_serve();
	CHECK(done(arg));
}

static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	vm.vcpu_count = 2;
	for (u32 i = 0; i < 2; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		vm.vcpus[i].running_on = vm.vcpus[i].home_cpu = VCPU_NO_CPU;
	}
	memset(kicks, 0, sizeof(kicks));
	memset(unloaded_on, 0, sizeof(unloaded_on));
	memset(released_on, 0, sizeof(released_on));
	nested = NULL;
	taken_by_2 = NULL;
	dies_meanwhile = false;
	cur_cpu = 0;
}

TEST(first_use_takes_it_and_its_home_keeps_it)
{
	struct vcpu *v;

	setup();
	v = &vm.vcpus[0];
	cur_cpu = 1;
	CHECK_EQ(vcpu_claim(v), 0);
	CHECK_EQ(v->home_cpu, 1);
	CHECK_EQ(vcpu_claim(v), 0);
	CHECK_EQ(kicks[0] + kicks[1] + kicks[2], 0);
	CHECK_EQ(released_on[1], 0);
}

TEST(another_cpu_takes_it_over)
{
	struct vcpu *v;

	setup();
	v = &vm.vcpus[0];
	v->home_cpu = 2;
	CHECK_EQ(vcpu_claim(v), 0);
	CHECK_EQ(v->home_cpu, 0);
	CHECK_EQ(kicks[2], 1);
	CHECK_EQ(unloaded_on[2], 1);
	CHECK_EQ(released_on[2], 1);
	CHECK_EQ(released_on[0] + released_on[1], 0);
	CHECK(!v->moving);
	CHECK_EQ(vcpu_moves_asked, 0);
	cur_cpu = 2; /* and back */
	CHECK_EQ(vcpu_claim(v), 0);
	CHECK_EQ(v->home_cpu, 2);
	CHECK_EQ(released_on[0], 1);
}

TEST(running_elsewhere_is_busy)
{
	struct vcpu *v;

	setup();
	v = &vm.vcpus[0];
	v->home_cpu = v->running_on = 1;
	CHECK_EQ(vcpu_claim(v), -EBUSY);
	CHECK_EQ(kicks[1], 0);
	CHECK_EQ(released_on[1], 0);
	CHECK_EQ(v->home_cpu, 1);
}

/* CPU 2 takes it from CPU 1 while CPU 1 (its home) wants it: CPU 1
 * waits for that move and then asks CPU 2. */
TEST(a_vcpu_being_moved_is_asked_of_its_new_cpu)
{
	struct vcpu *v;

	setup();
	v = &vm.vcpus[0];
	v->home_cpu = 1;
	v->moving = true;
	taken_by_2 = v;
	cur_cpu = 1;
	CHECK_EQ(vcpu_claim(v), 0);
	CHECK_EQ(v->home_cpu, 1);
	CHECK_EQ(kicks[2], 1);
	CHECK_EQ(released_on[2], 1);
	CHECK(!v->moving);
}

/* CPU 0 takes vCPU 0 from CPU 1 while CPU 1 takes vCPU 1 from CPU 0. */
TEST(two_cpus_asking_each_other_both_go_on)
{
	setup();
	vm.vcpus[0].home_cpu = 1;
	vm.vcpus[1].home_cpu = 0;
	nested = &vm.vcpus[1];
	nested_cpu = 1;
	CHECK_EQ(vcpu_claim(&vm.vcpus[0]), 0);
	CHECK_EQ(nested_result, 0);
	CHECK_EQ(vm.vcpus[0].home_cpu, 0);
	CHECK_EQ(vm.vcpus[1].home_cpu, 1);
	CHECK_EQ(released_on[0], 1);
	CHECK_EQ(released_on[1], 1);
	CHECK_EQ(vcpu_moves_asked, 0);
}

/* A CPU waiting for a vCPU of a VM whose destruction began meanwhile:
 * -ENOENT, the vCPU given up by its old home and on no CPU. */
TEST(a_vm_dying_during_the_wait)
{
	struct vcpu *v;

	setup();
	v = &vm.vcpus[0];
	v->home_cpu = 1;
	dies_meanwhile = true;
	CHECK_EQ(vcpu_claim(v), -ENOENT);
	CHECK_EQ(v->home_cpu, VCPU_NO_CPU);
	CHECK(!v->moving);
	CHECK_EQ(released_on[1], 1);
}

RUN_TESTS("vcpu_move", T(first_use_takes_it_and_its_home_keeps_it), T(another_cpu_takes_it_over),
	  T(running_elsewhere_is_busy), T(a_vcpu_being_moved_is_asked_of_its_new_cpu),
	  T(two_cpus_asking_each_other_both_go_on),
	  T(a_vm_dying_during_the_wait))
