/* The hypervisor lock (hv/lock.h): a ticket spinlock, so CPUs take it in
 * the order they asked. */
#include "hv/lock.h"
#include "hv/arch.h"
#include "hv/vcpu_move.h"

struct ticket_lock hv_lock;

/* The CPU waited for may be waiting for this one's vCPU at once: this
 * one gives up what others ask of it while it waits. */
void hv_lock_wait_until(bool (*done)(const void *arg), const void *arg)
{
	hv_lock_release();
	while (!done(arg)) {
		vcpu_moves_serve();
		asm volatile("pause");
	}
	hv_lock_acquire();
}

void hv_lock_halt(void)
{
	vcpu_moves_serve();
	hv_lock_release();
	arch_timer_wait();
	hv_lock_acquire();
}
