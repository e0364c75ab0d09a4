/* The binary trace buffer (HV_EXT_TRACE_BUFFER, docs/abi.md): one ring of
 * struct hv_trace_record per CPU, filled by the hooks below while VM 0
 * has events switched on, drained by HV_CALL_TRACE_READ (hv/hc_trace.c).
 * Off, each hook is one load and one branch that is not taken. */
#ifndef HV_TRACEBUF_H
#define HV_TRACEBUF_H

#include "hv/vm.h"

struct gmem;

/* The events recorded, bits 1 << HV_TRACE_EV_*; 0 when tracing is off. */
extern u32 tracebuf_events;

static inline bool tracebuf_wants(u32 type)
{
	return __builtin_expect(tracebuf_events & (1u << type), 0);
}

/* Records one event of vCPU v (HV_TRACE_EV_*, code, arg, value as
 * abi/hv_abi.h lists them) at the TSC now, unless the VM filter leaves
 * v's VM out. Callers test tracebuf_wants first. */
void tracebuf_put(u32 type, const struct vcpu *v, u32 code, u32 arg, u64 value);

/* Runs handle(v, exit) and records the exit with the ticks it took; its
 * result is handle's. */
bool tracebuf_exit(struct vcpu *v, const struct vm_exit *exit,
		   bool (*handle)(struct vcpu *v, const struct vm_exit *exit));

/* ---- for HV_CALL_TRACE_READ ---- */

/* CPUs with a ring: ids 0 .. tracebuf_cpus() - 1. */
u32 tracebuf_cpus(void);

/* Records `events` from now on, of VM `vm` only unless it is
 * HV_TRACE_ALL_VMS. */
void tracebuf_set(u32 events, u32 vm);

/* The VM traced now (HV_TRACE_ALL_VMS: every VM). */
u32 tracebuf_vm(void);

/* Moves up to max of the oldest records of CPU cpu's ring (one that
 * exists) to guest-physical dst in m, checked writable; returns how many,
 * and in *lost the records the ring dropped since its last read. */
u32 tracebuf_read(u32 cpu, const struct gmem *m, u64 dst, u32 max, u64 *lost);

#endif
