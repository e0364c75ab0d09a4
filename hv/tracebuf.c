/* The per-CPU rings of the binary trace buffer (hv/tracebuf.h). Each ring
 * has one writer, its CPU, and one reader, VM 0's TRACE_READ: the writer
 * fills a slot before it publishes the new head, the reader copies before
 * it publishes the new tail. A full ring drops new records and counts
 * them, as xentrace does. */
#include "hv/tracebuf.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"
#include "hv/uaccess.h"

#define RING_RECORDS 4096 /* 128 KiB a CPU */
/* The CPUs that run guests, each with a ring: the boot CPU alone until
 * the others run vCPUs. The rings are the image's own memory, so VM 0's
 * end finds every frame it had back whether tracing is on or not. */
#define GUEST_CPUS 1

#define SAME_EXIT(r) ((int)EXIT_##r == (int)HV_TRACE_EXIT_##r)
_Static_assert(SAME_EXIT(CPUID) && SAME_EXIT(IO) && SAME_EXIT(MSR_READ) &&
	       SAME_EXIT(MSR_WRITE) && SAME_EXIT(HLT) && SAME_EXIT(HYPERCALL) &&
	       SAME_EXIT(STAGE2_FAULT) && SAME_EXIT(SHUTDOWN) && SAME_EXIT(INTR) &&
	       SAME_EXIT(NMI) && SAME_EXIT(EXCEPTION) && SAME_EXIT(XSETBV) &&
	       SAME_EXIT(CR_ACCESS) && SAME_EXIT(INVALID_OPCODE) && SAME_EXIT(IRQ_WINDOW) &&
	       SAME_EXIT(NMI_WINDOW) && SAME_EXIT(ENTRY_FAILED) && SAME_EXIT(UNKNOWN),
	       "the trace's exit reasons are the core's");

struct trace_ring {
	struct hv_trace_record rec[RING_RECORDS];
	u64 head; /* records written, ever */
	u64 tail; /* records read, ever */
	u64 lost; /* dropped since the last read */
};

static struct trace_ring rings[GUEST_CPUS];
static u32 traced_vm = HV_TRACE_ALL_VMS;
u32 tracebuf_events;

static void put_at(u64 tsc, u32 type, const struct vcpu *v, u32 code, u32 arg, u64 value)
{
	u32 cpu = this_cpu()->cpu_id;
	struct trace_ring *r;
	u64 head;

	if (cpu >= GUEST_CPUS || (traced_vm != HV_TRACE_ALL_VMS && v->vm->id != traced_vm))
		return;
	r = &rings[cpu];
	head = r->head;
	if (head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) >= RING_RECORDS) {
		__atomic_add_fetch(&r->lost, 1, __ATOMIC_RELAXED);
		return;
	}
	r->rec[head % RING_RECORDS] = (struct hv_trace_record){
		.tsc = tsc, .vm = v->vm->id, .vcpu = (u16)v->id, .cpu = (u8)cpu,
		.type = (u8)type, .code = code, .arg = arg, .value = value };
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
}

void tracebuf_put(u32 type, const struct vcpu *v, u32 code, u32 arg, u64 value)
{
	put_at(rdtsc(), type, v, code, arg, value);
}

bool tracebuf_exit(struct vcpu *v, const struct vm_exit *exit,
		   bool (*handle)(struct vcpu *v, const struct vm_exit *exit))
{
	u64 start = rdtsc(), rip = v->regs.rip, ticks;
	bool go_on = handle(v, exit);

	ticks = rdtsc() - start;
	if (tracebuf_wants(HV_TRACE_EV_EXIT)) /* not switched off by the exit's hypercall */
		put_at(start, HV_TRACE_EV_EXIT, v, exit->reason, ticks > ~0u ? ~0u : (u32)ticks, rip);
	return go_on;
}

u32 tracebuf_cpus(void)
{
	return GUEST_CPUS;
}

u32 tracebuf_vm(void)
{
	return traced_vm;
}

void tracebuf_set(u32 events, u32 vm)
{
	tracebuf_events = 0; /* no record of the old VM under the new filter */
	traced_vm = vm;
	tracebuf_events = events;
}

u32 tracebuf_read(u32 cpu, const struct gmem *m, u64 dst, u32 max, u64 *lost)
{
	struct trace_ring *r = &rings[cpu];
	u64 tail = r->tail, head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	u32 n = (u32)MIN(head - tail, (u64)max);

	for (u32 done = 0, chunk; done < n; done += chunk) {
		u32 at = (u32)((tail + done) % RING_RECORDS);

		chunk = MIN(n - done, (u32)RING_RECORDS - at);
		gmem_write(m, dst + (u64)done * HV_TRACE_RECORD_SIZE, &r->rec[at],
			   (u64)chunk * HV_TRACE_RECORD_SIZE); /* checked by decode */
	}
	__atomic_store_n(&r->tail, tail + n, __ATOMIC_RELEASE);
	*lost = __atomic_exchange_n(&r->lost, 0, __ATOMIC_RELAXED);
	return n;
}
