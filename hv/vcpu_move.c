/* Moving a vCPU's backend state between CPUs (hv/vcpu_move.h). */
#include "hv/vcpu_move.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/percpu.h"
#include "hv/lock.h"
#include "lib/errno.h"

_Static_assert(PERCPU_MAX <= 64, "a mailbox has a bit per CPU");

/* CPU i's mailbox: a bit for each CPU that asks it for a vCPU. */
static volatile u64 asked_of[PERCPU_MAX];
/* The vCPU CPU i asked for, until its home CPU gave it up (then NULL):
 * each CPU waits for one at a time. */
static struct vcpu *volatile wanted_by[PERCPU_MAX];
volatile u32 vcpu_moves_asked;

/* On v's home CPU: nothing of v stays here (VMX's VMCLEAR, the lazily
 * switched registers saved into v), and v has no home until its new CPU
 * takes it. */
static void give_up(struct vcpu *v)
{
	guest_state_unload(v);
	if (virt->vcpu_release)
		virt->vcpu_release(v);
	v->home_cpu = VCPU_NO_CPU;
}

void vcpu_moves_serve_here(void)
{
	u64 from = __atomic_exchange_n(&asked_of[arch_cpu_id()], 0, __ATOMIC_ACQUIRE);

	while (from) {
		u32 cpu = (u32)__builtin_ctzll(from);

		from &= from - 1;
		give_up(wanted_by[cpu]);
		__atomic_fetch_sub(&vcpu_moves_asked, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&wanted_by[cpu], NULL, __ATOMIC_RELEASE);
	}
}

static bool given_up(const void *slot)
{
	return !__atomic_load_n((struct vcpu *const volatile *)slot, __ATOMIC_ACQUIRE);
}

/* The count goes up before the mailbox bit: a CPU that finds the count
 * at 0 has no request to miss, and the kick comes after the bit. */
static void ask_home(struct vcpu *v, u32 here)
{
	u32 home = v->home_cpu;

	v->moving = true;
	wanted_by[here] = v;
	__atomic_fetch_add(&vcpu_moves_asked, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_or(&asked_of[home], 1ULL << here, __ATOMIC_SEQ_CST);
	arch_kick_cpu(home);
	hv_lock_wait_until(given_up, (const void *)&wanted_by[here]);
	v->moving = false;
}

static bool not_moving(const void *v)
{
	return !((const struct vcpu *)v)->moving;
}

/* A vCPU another CPU is taking over is asked of that one next; a VM
 * whose destruction began while this CPU waited (its destroyer waited
 * for the move) is gone. */
int vcpu_claim_from(struct vcpu *v, u32 here)
{
	bool waited = v->moving;

	while (v->moving)
		hv_lock_wait_until(not_moving, v);
	if (waited && v->vm->dying)
		return -ENOENT;
	if (v->running_on != VCPU_NO_CPU && v->running_on != here)
		return -EBUSY;
	if (v->home_cpu != VCPU_NO_CPU && v->home_cpu != here) {
		ask_home(v, here);
		if (v->vm->dying)
			return -ENOENT;
	}
	v->home_cpu = here;
	return 0;
}
