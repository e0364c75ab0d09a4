/* Moving a vCPU's backend state between CPUs (hv/vcpu_move.h). */
#include "hv/vcpu_move.h"
#include "hv/lock.h"
#include "lib/errno.h"

/* Posts the request, kicks the home CPU and waits until it is served. */
static void ask_home(struct vcpu *v, u32 here)
{
	u32 home = v->home_cpu;

	vcpu_move_post(v, home, here);
	arch_kick_cpu(home);
	hv_lock_wait_until(vcpu_move_done, &here);
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
