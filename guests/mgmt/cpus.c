/* VM 0's CPUs (HV_EXT_VM0_SMP): hvctl runs on each of them, as a KVM
 * VMM runs a thread per vCPU. vCPU 0 runs the shell and the children's
 * vCPUs placed on CPU 0; each other vCPU k, started the first time a
 * child's vCPU is placed on CPU k, runs a worker: a VMM loop over the
 * children's vCPUs placed on CPU k (sched.c's rounds), sleeping in the
 * hypervisor (HV_CALL_VM0_IDLE, when offered) while it has none to run.
 *
 * Placement: a child's vCPU i goes to the i-th CPU of its CPU set (`vm
 * create ... cpus=LIST`, or `cpus =` in its definition), counted modulo
 * the set's size; without a set, vCPU i goes to CPU i modulo VM 0's
 * vCPU count. So a child with one vCPU runs on the shell's CPU, as on a
 * machine with one CPU, and a child with four spreads over four CPUs.
 *
 * One lock (vm0_lock) guards all of hvctl's state: the child table, the
 * children's devices, the console. A vCPU holds it whenever it runs
 * hvctl code and releases it only inside a child's run call and while
 * it waits (for a key, for a worker, or idle). Device models thus see
 * one exit at a time, while the children's vCPUs run in parallel. */
#include "guests/mgmt/mgmt.h"
#include "guests/lib/timing.h"
#include "lib/ticket_lock.h"

#define WORKER_STACK (32 * 1024)
/* How long an idle vCPU sleeps before it looks again without a wake-up:
 * a vCPU waiting for a SIPI is asked again after it. */
#define IDLE_TICKS 2000000ULL

static struct ticket_lock lock;
static u32 cpu_count = 1;

void vm0_lock(void)
{
	ticket_lock_acquire(&lock);
}

void vm0_unlock(void)
{
	ticket_lock_release(&lock);
}

u32 vm0_cpu_count(void)
{
	return cpu_count;
}

#if HV_ABI_HEADER_REVISION >= 2 /* VM 0's other vCPUs came after v1 */
static bool worker_started[VM0_CPUS_MAX];
static u8 worker_stack[VM0_CPUS_MAX][WORKER_STACK] __attribute__((aligned(16)));

/* VM 0 is never given an interrupt, but a CPU that runs it with
 * interrupts off takes no host interrupt on Bochs 2.7: a
 * kick or a request from another CPU would wait for it forever. */
static void interrupts_on(void)
{
	asm volatile("sti" ::: "memory");
}

static bool can_idle(void)
{
	return disc.ext[HV_EXT_VM0_IDLE] > 0;
}

void vm0_cpus_init(void)
{
	long n = disc.ext[HV_EXT_VM0_SMP];

	cpu_count = n > 1 ? (u32)MIN(n, (long)VM0_CPUS_MAX) : 1;
	if (cpu_count > 1)
		interrupts_on();
	vm0_lock(); /* the shell's from now on */
}

/* Sleeps in the hypervisor, without the lock, until woken or (ticks not
 * 0) that many TSC ticks passed; spins briefly where the hypervisor
 * cannot put VM 0 to sleep. */
static void sleep_unlocked(u64 ticks)
{
	vm0_unlock();
	if (can_idle())
		hv_vm0_idle(ticks ? rdtsc_ordered() + ticks : 0);
	else
		for (u32 i = 0; i < 64; i++)
			cpu_relax();
	vm0_lock();
}

void vm0_wait_a_while(void)
{
	sleep_unlocked(IDLE_TICKS);
}

/* A worker with nothing to run sleeps until the shell wakes it (a run,
 * vm start, resume, restart), or, while one of its vCPUs waits for a
 * SIPI, for IDLE_TICKS at most, to ask it again: no worker wakes for
 * nothing, so none competes for the lock with the CPUs that work. */
static __attribute__((noreturn)) void worker_main(u32 cpu)
{
	interrupts_on();
	vm0_lock();
	for (;;)
		if (!sched_cpu_round(cpu))
			sleep_unlocked(sched_cpu_waits_sipi(cpu) ? IDLE_TICKS : 0);
}

/* Worker k: VCPU_START at worker_main(k) on its own stack, aligned as
 * after a call. */
static bool worker_start(u32 cpu)
{
	u64 top = (u64)&worker_stack[cpu][WORKER_STACK] - 8;
	long r = hv_vcpu_start(cpu, (u64)worker_main, top, cpu);

	if (r < 0) {
		gprintf("error: VM 0's vCPU %u: vcpu_start: %s; its children's vCPUs run on CPU 0\n",
			cpu, err_name(r));
		return false;
	}
	worker_started[cpu] = true;
	return true;
}

/* CPU k's worker runs, started now if it was not. */
static bool worker_ready(u32 cpu)
{
	return worker_started[cpu] || worker_start(cpu);
}

static void vm0_cpu_wake(u32 cpu)
{
	if (cpu && worker_started[cpu] && can_idle())
		hv_vcpu_kick(0, cpu);
}

void vm0_cpus_wake_all(void)
{
	for (u32 k = 1; k < cpu_count; k++)
		vm0_cpu_wake(k);
}

/* Asks the hypervisor to end the run of each of c's vCPUs in a run call
 * now, and waits (the lock released) until none is in one. */
void child_stop_runs(struct child *c)
{
	bool any;

	for (u32 i = 0; i < c->vcpus; i++)
		if (c->vcpu[i].in_run && c->id != CHILD_NO_VM)
			hv_vcpu_kick(c->id, i);
	do {
		any = false;
		for (u32 i = 0; i < c->vcpus; i++)
			any |= c->vcpu[i].in_run;
		if (any) {
			vm0_unlock();
			cpu_relax();
			vm0_lock();
		}
	} while (any);
}
#else
void vm0_cpus_init(void)
{
	vm0_lock();
}

void vm0_wait_a_while(void)
{
	cpu_relax();
}

void vm0_cpus_wake_all(void)
{
}

void child_stop_runs(struct child *c)
{
	(void)c;
}

static bool worker_ready(u32 cpu)
{
	(void)cpu;
	return false;
}
#endif

bool child_take_down(struct child *c)
{
	if (c->going) {
		gprintf("error: vm %s is being destroyed or restarted already\n", c->name);
		return false;
	}
	c->going = true;
	child_stop_runs(c);
	return true;
}

/* The n-th CPU (from 0, modulo their count) of set; set's CPUs are
 * VM 0's. */
static u32 nth_cpu(u64 set, u32 n)
{
	u32 count = 0;

	for (u64 s = set; s; s &= s - 1)
		count++;
	n %= count;
	for (u32 k = 0;; k++)
		if ((set >> k) & 1 && !n--)
			return k;
}

u64 vm0_cpu_set(void)
{
	return cpu_count >= 64 ? ~0ULL : (1ULL << cpu_count) - 1;
}

bool placement_check(u64 cpus)
{
	if (!cpus || (cpus & vm0_cpu_set()))
		return true;
	gprintf("error: cpus=: none of these CPUs runs VM 0 (VM 0 has CPU%s 0-%u)\n",
		cpu_count > 1 ? "s" : "", cpu_count - 1);
	return false;
}

/* Each vCPU's CPU, its worker started; one whose worker cannot start
 * goes to CPU 0. */
void placement_apply(struct child *c)
{
	u64 set = c->cpus & vm0_cpu_set();

	if (!set)
		set = vm0_cpu_set();
	for (u32 i = 0; i < c->vcpus; i++) {
		u32 cpu = nth_cpu(set, i);

		if (cpu && !worker_ready(cpu))
			cpu = 0;
		c->vcpu[i].cpu = cpu;
	}
}
