/* The hypervisor lock: one ticket spinlock for the whole core.
 *
 * The rule: a CPU holds hv_lock whenever it runs hypervisor code outside
 * guest mode. It takes it right after the world switch returns from a
 * guest and releases it right before entering one (the backends' entry
 * paths), and releases it while it waits: HLT in vcpu_wait, and any wait
 * for another CPU (hv_lock_wait_until). Before each of those releases it
 * serves what other CPUs asked of it (hv/vcpu_move.h), so no CPU waits
 * for one that waits for it. Every shared structure (the VM
 * table, the frame allocator, a VM's stage-2 tables, the VM ids, the
 * console, the statistics) is guarded by hv_lock; their declarations say
 * so. There is no other lock, so there is no locking order.
 *
 * What is truly per CPU (struct percpu: the lazily switched guest
 * registers, the current VMCS, the host timer) needs no lock. What other
 * CPUs read without the lock is marked volatile where it is declared
 * (a vCPU's running CPU, a CPU's exit counter). Interrupt handlers never
 * take it. A single CPU takes it once, before VM 0 first runs, and
 * behaves as before. */
#ifndef HV_LOCK_H
#define HV_LOCK_H

#include "lib/ticket_lock.h"

extern struct ticket_lock hv_lock;

/* Inline: every exit takes and releases it once (make bench). */
static inline void hv_lock_acquire(void)
{
	ticket_lock_acquire(&hv_lock);
}

static inline void hv_lock_release(void)
{
	ticket_lock_release(&hv_lock);
}

/* Releases hv_lock, spins until done(arg) holds, then takes it again;
 * done is read without the lock. Meanwhile it serves the requests other
 * CPUs make of this one (hv/vcpu_move.h), as every wait does. */
void hv_lock_wait_until(bool (*done)(const void *arg), const void *arg);

/* One halt of a wait that lasts until an interrupt: serves what other
 * CPUs asked of this one, then halts with hv_lock released (interrupts
 * enabled in the same step) and takes it again. */
void hv_lock_halt(void);

#endif
