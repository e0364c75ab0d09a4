/* Virtual machines and their vCPUs: the vendor-neutral objects. A VM owns
 * its guest-physical memory (frames from the allocator, mapped through
 * stage-2 tables) and returns every frame when it is destroyed. */
#ifndef HV_VM_H
#define HV_VM_H

#include "abi/hv_abi.h"
#include "hv/cpuid.h"
#include "hv/irq.h"
#include "hv/msr.h"
#include "hv/virt.h"
#include "hv/vlapic.h"
#include "arch/x86/insn_emul.h"

#define VM_MAX 16
#define VM_MAX_VCPUS 4
#define VM_NAME_MAX 32
#define VM_MAX_REGIONS 1024 /* 2 GiB per VM in 2 MiB chunks */
#define VM_CHUNK (2 * MIB) /* guest memory is allocated in 2 MiB chunks */
#define VM_ID_MAX 0x7fffffffu /* child ids run 1..VM_ID_MAX, then wrap */
#define VM_MAX_WINDOWS 16 /* windows VM 0 may have at once */

/* One VM_CHUNK of RAM: guest-physical gpa is host-physical hpa. */
struct vm_region {
	u64 gpa;
	u64 hpa;
	bool readonly; /* the VM may read and execute it, not write it */
};

/* A range of a child's RAM mapped into VM 0's guest-physical space at
 * [gpa, gpa+len) (len 0: the slot is free). The frames stay the child's. */
struct vm_window {
	u64 gpa;
	u64 len;
	u32 child; /* the child's VM id */
};

/* Guarded by hv_lock (hv/lock.h), as is all of struct vm and struct vcpu
 * but the fields marked volatile. */
struct vm_stats {
	u64 exits;
	u64 exits_by_reason[EXIT_UNKNOWN + 1];
	u64 io_unclaimed_reads;
	u64 io_ignored_writes;
	u64 hypercalls;
	u64 vmm_exits; /* exits handed to the VMM */
	u64 guest_tsc; /* TSC ticks its vCPUs ran in guest mode (children) */
};

enum vm_state {
	VM_CREATED,
	VM_RUNNING,
	VM_STOPPED, /* ended; stop_reason says why */
};

/* The last guest page walk and the page-table entries it depended on:
 * while the control registers and every one of those entries are
 * unchanged, the walk's result is too (an exact check, not a TLB). */
#define WALK_CACHE_ENTRIES 5

struct walk_cache {
	bool valid;
	u8 access, user, n;
	u64 cr0, cr3, cr4, efer;
	u64 page;     /* linear page */
	u64 gpa_page; /* its translation */
	const u8 *host_page; /* where the hypervisor reaches it; NULL when
			      * not RAM (VM memory is never taken away) */
	const volatile u64 *entry[WALK_CACHE_ENTRIES]; /* the 8 bytes holding each entry */
	u64 value[WALK_CACHE_ENTRIES];
};

/* What a child vCPU's last exit left for its VMM to answer. */
enum vmm_pending {
	VMM_PENDING_NONE,
	VMM_PENDING_IN,        /* an IN: RAX gets the VMM's value */
	VMM_PENDING_HYPERCALL, /* RAX gets the VMM's return value */
	VMM_PENDING_MMIO,      /* an MMIO read: see hv/mmio.c */
	VMM_PENDING_RDMSR,     /* EDX:EAX get the VMM's value, or #GP */
	VMM_PENDING_WRMSR,     /* done, or #GP */
};

/* A VCPU_RUN call of VM 0. Its hypercall only records it (hv/hc_vcpu.c);
 * VM 0's run loop runs the child once the hypercall has returned, then
 * completes the call (hypercall_complete_run). */
struct vmm_run_call {
	struct vcpu *child;       /* NULL: no call pending */
	struct hv_vcpu_run args;  /* the call's struct as read */
	u32 args_len;             /* bytes of it the caller passed (tracer) */
	u32 exit_len;             /* bytes of the record VM 0 gets at args.exit */
	struct hv_exit exit;      /* the run describes its end here */
	/* the run page (HV_CALL_VCPU_RUN_PAGED) */
	u32 nr;                   /* the call: HV_CALL_VCPU_RUN or _RUN_PAGED */
	struct hv_exit *out;      /* where the run writes: &exit, or the page's */
	u64 deadline;             /* host TSC, with HV_RUN_DEADLINE in args.flags */
};

/* A start state waiting to be loaded (hv/vcpu_mp.h). */
enum vcpu_start {
	VCPU_START_NONE,
	VCPU_START_INIT, /* the state after INIT */
	VCPU_START_SIPI, /* real mode at start_vector's page */
};

/* Where a vCPU stands in the multiprocessor start (hv/vcpu_mp.h). */
enum vcpu_mp_state {
	VCPU_MP_NEW,       /* never run: vcpu_waits_for_sipi decides */
	VCPU_MP_RUNNABLE,
	VCPU_MP_WAIT_SIPI, /* after INIT (or as a new AP): a SIPI starts it */
};

struct vcpu {
	struct guest_regs regs; /* the typed register view, see virt.h */
	struct vm *vm;
	u32 id;
	void *arch; /* backend-private (VMCB, VMCS, ...) */
	struct hv_exit *vmm_exit; /* set while a VMM runs this vCPU */
	struct walk_cache walk;   /* see guest_mem.c */
	enum vmm_pending pending;
	struct vm_exit pending_exit; /* the exit `pending` belongs to */
	struct mem_op mmio_op;       /* VMM_PENDING_MMIO: the instruction */
	struct hv_exit_mmio mmio;    /* and the exit it gave */
	u64 xcr0;                /* the guest's XCR0 (XSETBV) */
	struct cpuid_memo cpuid_memo; /* its CPUID exits' answers (hv/cpuid.h) */
	u8 tpr;                  /* CR8 where the backend intercepts it */
	struct vcpu_msrs msrs;   /* the emulated MSRs, see hv/msr.c */
	bool event_queued;       /* the core injected an event for the next entry */
	bool reinject;           /* `interrupted` is delivered again on entry */
	struct event interrupted;
	struct vcpu_lazy lazy;   /* see arch/x86/guest_state.h */
	struct vmm_run_call run_call;
	struct hv_run_page *run_page; /* VM 0's page for this child vCPU, or NULL */
	u64 tsc_offset;          /* its TSC reads the host's plus this (hv/tsc.h) */
	struct vlapic apic;      /* its virtual LAPIC, when vm->lapic */
	bool halted;             /* waits in HLT for a wake-up (hv/vcpu_wait.h) */
	struct vcpu_irq irq;     /* interrupts waiting for it (hv/irq.h) */
	enum vcpu_mp_state mp_state;
	/* An INIT or SIPI another vCPU sent, whose start state is loaded on
	 * this vCPU's own CPU before its next use (hv/vcpu_mp.h). */
	enum vcpu_start start_pending;
	u8 start_vector;
	/* Several CPUs (hv/lock.h): the CPU whose run loop runs it now, read
	 * without the lock by CPUs waiting for it to stop; and the CPU its
	 * backend state is on (VMX's active VMCS, the lazily switched
	 * registers), which alone may touch it, until another CPU takes it
	 * over (hv/vcpu_move.h; `moving` meanwhile). VCPU_NO_CPU: none. */
	volatile u32 running_on;
	u32 home_cpu;
	volatile bool moving;
	bool kicked; /* HV_CALL_VCPU_KICK: its run ends before the next entry */
};

#define VCPU_NO_CPU 0xffffffffu

struct vm {
	u32 id; /* the ABI's VM id: 0 for VM 0, never reused for a child
		 * until the ids wrap (not the slot: see vm_slot) */
	char name[VM_NAME_MAX];
	bool privileged; /* VM 0: may call the management hypercalls */
	enum vm_state state;
	char stop_reason[160];
	u64 mem_size;
	u32 region_count;
	struct vm_region regions[VM_MAX_REGIONS];
	u32 vcpu_count;
	struct vcpu vcpus[VM_MAX_VCPUS];
	struct vm_stats stats;
	void *arch; /* backend-private (stage-2 root, ...) */
	u32 exit_code; /* what the guest wrote to the exit port */
	bool exit_code_set;
	u32 stop_kind;  /* HV_EXIT_SHUTDOWN, _STAGE2_FAULT or _FAILED */
	u32 vcpu_max;   /* vCPUs the VM may create */
	u32 exit_reasons; /* optional HV_EXIT_* its VMM enabled */
	struct vm_window windows[VM_MAX_WINDOWS]; /* VM 0's only */
	u64 modmap_gpa, modmap_len; /* VM 0's boot modules mapped above its
				     * RAM (hv/vm0_modules.c): no window there */
	u64 tsc_offset;   /* each new vCPU's: a child's TSC starts near 0 */
	struct cpuid_table cpuid; /* set by its VMM; count 0: the default */
	bool lapic;       /* HV_FEATURE_LAPIC: each vCPU has a virtual LAPIC */
	bool dying;       /* being destroyed: vm_get no longer finds it */
};

/* Whether a VM may be created with mem_size bytes: a non-zero multiple
 * of VM_CHUNK that the region table can hold. */
bool vm_mem_size_valid(u64 mem_size);
/* Creates a VM with mem_size bytes (a multiple of 2 MiB) of zeroed RAM
 * at guest-physical 0. Returns NULL and logs why on failure, with nothing
 * left allocated. */
struct vm *vm_create(const char *name, u64 mem_size, bool privileged);
void vm_destroy(struct vm *vm);
struct vcpu *vm_vcpu_create(struct vm *vm);

/* Makes every CPU that runs one of vm's vCPUs in guest mode leave it
 * (an IPI), so that it looks at what changed. */
void vm_kick(struct vm *vm);
/* Kicks vm's vCPUs on other CPUs and waits, hv_lock released, until
 * none runs on another CPU or is being moved by one. */
void vm_wait_stopped_elsewhere(struct vm *vm);
/* After a stage-2 mapping of vm was removed or restricted: returns once
 * every other CPU running one of its vCPUs has left guest mode since
 * (kicked), so none uses the old mapping any more. */
void vm_tlb_shootdown(struct vm *vm);

/* The live VM with this id, or NULL. */
struct vm *vm_get(u32 id);
/* VMs live in VM_MAX slots: vm_slot is a VM's index there (for per-VM
 * arrays), vm_at_slot the live VM in a slot or NULL (to visit them all). */
u32 vm_slot(const struct vm *vm);
struct vm *vm_at_slot(u32 slot);

/* Whether RAM can go at [gpa, gpa+len): 0, -EINVAL (not 2 MiB aligned,
 * empty or wrapping) or -EEXIST (overlaps RAM the VM has). */
int vm_check_memory(const struct vm *vm, u64 gpa, u64 len);
/* Adds zeroed RAM at [gpa, gpa+len), a range vm_check_memory accepted
 * (the caller checks; vm_create's range is its checked size at 0 of an
 * empty VM), read-only for the VM itself when asked. Returns 0 or a
 * negative errno with nothing added. */
int vm_add_memory(struct vm *vm, u64 gpa, u64 len, bool readonly);

/* Whether the VM's RAM covers all of [gpa, gpa+len) (len > 0), read-only
 * RAM included. */
bool vm_is_ram(const struct vm *vm, u64 gpa, u64 len);

/* Whether a window can go at host's [gpa, gpa+len): 0, -EINVAL (not
 * 4 KiB aligned, empty, wrapping or beyond what stage-2 maps) or -EEXIST
 * (overlaps host's RAM, one of its windows or its mapped modules). */
int vm_check_window(const struct vm *host, u64 gpa, u64 len);
/* host's window that starts at gpa, or NULL. */
struct vm_window *vm_window_at(struct vm *host, u64 gpa);
/* A free window slot of host, or NULL. */
struct vm_window *vm_window_free(struct vm *host);
/* Fills the free slot w, whose gpa and len the caller set (a range
 * vm_check_window accepted), with child RAM from child_gpa (vm_is_ram
 * checked) and maps it in host's stage-2: 0, or -ENOMEM with nothing
 * mapped and the slot free again. */
int vm_window_map(struct vm *host, struct vm_window *w, struct vm *child,
		  u64 child_gpa, bool readonly);
/* Unmaps a window (the stage-2 TLB flushed) and frees its slot. Nothing
 * else caches it: vm_gpa_ptr and the walk cache reach RAM only. */
void vm_window_unmap(struct vm *host, struct vm_window *w);

/* Ends the VM: state STOPPED with a kind (HV_EXIT_SHUTDOWN,
 * HV_EXIT_STAGE2_FAULT, HV_EXIT_FAILED) and a reason (printf-style),
 * logged with the VM's name. The VM's memory stays until vm_destroy. */
void vm_stop(struct vm *vm, u32 kind, const char *fmt, ...) __printf(3, 4);

/* Host pointer to guest-physical [gpa, gpa+len) when the whole range is
 * RAM of this VM in one region with the access allowed (a write: not
 * read-only RAM); NULL otherwise. Windows are never RAM here: what the
 * hypervisor reads or writes for a VM is its own RAM. */
void *vm_gpa_ptr(struct vm *vm, u64 gpa, u64 len, bool write);

/* Copies host memory to guest-physical memory, page by page, for the
 * hypervisor or the VM's VMM (read-only RAM included); false when any
 * part is not this VM's RAM. */
bool vm_write(struct vm *vm, u64 gpa, const void *src, u64 len);

#endif
