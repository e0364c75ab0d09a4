/* The mailboxes of vCPU moves (hv/vcpu_move.h): a CPU posts what it
 * asks of a vCPU's home CPU, which serves its mailbox wherever it waits
 * or enters a guest. Apart from the claims (hv/vcpu_move.c), so that the
 * waits that serve it (hv/lock.c) and the claims that wait never reach
 * each other. */
#include "hv/vcpu_move.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/percpu.h"

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

/* The count goes up before the mailbox bit: a CPU that finds the count
 * at 0 has no request to miss; the caller kicks `home` after this. */
void vcpu_move_post(struct vcpu *v, u32 home, u32 here)
{
	v->moving = true;
	wanted_by[here] = v;
	__atomic_fetch_add(&vcpu_moves_asked, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_or(&asked_of[home], 1ULL << here, __ATOMIC_SEQ_CST);
}

bool vcpu_move_done(const void *here)
{
	u32 cpu = *(const u32 *)here;

	return !__atomic_load_n(&wanted_by[cpu], __ATOMIC_ACQUIRE);
}

