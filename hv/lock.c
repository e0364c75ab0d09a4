/* The hypervisor lock (hv/lock.h): a ticket spinlock, so CPUs take it in
 * the order they asked. */
#include "hv/lock.h"

struct ticket_lock hv_lock;

void hv_lock_wait_until(bool (*done)(const void *arg), const void *arg)
{
	hv_lock_release();
	while (!done(arg))
		asm volatile("pause");
	hv_lock_acquire();
}
