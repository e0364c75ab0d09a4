/* A ticket spinlock, for the hypervisor (hv_lock) and for guests on
 * several vCPUs (hvctl's lock): takers get it in the order they asked. */
#ifndef LIB_TICKET_LOCK_H
#define LIB_TICKET_LOCK_H

#include "lib/types.h"

struct ticket_lock {
	volatile u32 next;    /* the ticket the next taker draws */
	volatile u32 serving; /* the ticket that holds the lock */
};

static inline void ticket_lock_acquire(struct ticket_lock *l)
{
	u32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket)
		asm volatile("pause");
}

static inline void ticket_lock_release(struct ticket_lock *l)
{
	__atomic_store_n(&l->serving, l->serving + 1, __ATOMIC_RELEASE);
}

#endif
