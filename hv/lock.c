/* The hypervisor lock (hv/lock.h): a ticket spinlock, so CPUs take it in
 * the order they asked. */
#include "hv/lock.h"

struct ticket_lock hv_lock;

void hv_lock_acquire(void)
{
	u32 ticket = __atomic_fetch_add(&hv_lock.next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&hv_lock.serving, __ATOMIC_ACQUIRE) != ticket)
		asm volatile("pause");
}

void hv_lock_release(void)
{
	__atomic_store_n(&hv_lock.serving, hv_lock.serving + 1, __ATOMIC_RELEASE);
}

void hv_lock_wait_until(bool (*done)(const void *arg), const void *arg)
{
	hv_lock_release();
	while (!done(arg))
		asm volatile("pause");
	hv_lock_acquire();
}
