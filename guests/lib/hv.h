/* libhv: the guest side of the hypercall ABI (abi/hv_abi.h). One wrapper
 * per call, the argsz retry and capability-chain walking, and what a VMM
 * needs to start a child in long mode. Guest memory is identity-mapped,
 * so a pointer is a guest-physical address. */
#ifndef GUESTS_LIB_HV_H
#define GUESTS_LIB_HV_H

#include "abi/hv_abi.h"
#include "guests/lib/guest.h"

static inline long hv_call(u32 nr, void *arg)
{
	return hypercall(nr, (u64)arg);
}

long hv_abi_version(void);
long hv_check_extension(u32 ext);
long hv_console_write(const char *text, u32 len);
long hv_vm_create(const char *name, u64 mem_size, u32 vcpus, u32 exit_reasons);
long hv_vm_destroy(u32 vm);
long hv_vm_add_memory(u32 vm, u64 gpa, u64 length);
long hv_vm_copy(u32 vm, u32 flags, u64 vm_gpa, void *buf, u64 length);
long hv_vcpu_create(u32 vm);
long hv_vcpu_get_regs(u32 vm, u32 vcpu, struct hv_vcpu_regs *r);
long hv_vcpu_set_regs(struct hv_vcpu_regs *r);
long hv_vcpu_run(u32 vm, u32 vcpu, struct hv_exit *exit, bool complete, u64 value);
/* A run with any HV_RUN_* flags the hypervisor knows (HV_RUN_COMPLETE in
 * v1; HV_RUN_MSR_GP, HV_RUN_IRQ_WINDOW with their extensions). */
long hv_vcpu_run_flags(u32 vm, u32 vcpu, struct hv_exit *exit, u32 flags, u64 value);
#if HV_ABI_HEADER_REVISION >= 2 /* extensions absent from the v1 headers (abi/v1) */
/* The run page (HV_EXT_RUN_PAGE): registers `page` (one page-aligned page
 * of VM 0's memory) for the vCPU, or clears it with NULL; then
 * hv_vcpu_run_paged runs the vCPU with its exit written there. With
 * `complete`, page->complete_value answers the last exit. */
long hv_vcpu_run_page_set(u32 vm, u32 vcpu, struct hv_run_page *page);
long hv_vcpu_run_paged(u32 vm, u32 vcpu, bool complete);
long hv_vcpu_run_paged_flags(u32 vm, u32 vcpu, u32 flags);
/* Runs with `deadline` (VM 0's TSC) as the struct's or the run page's
 * (HV_EXT_RUN_DEADLINE); `flags` should include HV_RUN_DEADLINE for it
 * to count (without, the deadline is ignored). */
long hv_vcpu_run_deadline(u32 vm, u32 vcpu, struct hv_exit *exit, u32 flags, u64 value,
			  u64 deadline);
long hv_vcpu_run_paged_deadline(u32 vm, u32 vcpu, struct hv_run_page *page, u32 flags,
				u64 deadline);
/* Windows (HV_EXT_MEM_WINDOW): the child's [vm_gpa, vm_gpa+length) at
 * VM 0's gpa, flags HV_WINDOW_READONLY; unmapped by its VM 0 address. */
long hv_vm_map_window(u32 vm, u64 vm_gpa, u64 length, u64 gpa, u32 flags);
long hv_vm_unmap_window(u32 vm, u64 gpa);
/* Interrupts (HV_EXT_IRQ): HV_CALL_VM_IRQ with these fields. */
long hv_vm_irq(u32 vm, u32 vcpu, u32 dest, u8 vector, u8 mode, u32 flags);
/* The hypervisor's log (HV_EXT_DMESG): up to len bytes from *seq on into
 * buf; *seq moves on past them, *lost is what the ring overwrote from the
 * old *seq. The bytes copied or -errno. */
long hv_dmesg(u64 *seq, void *buf, u32 len, u64 *lost);
/* A child vCPU's virtual LAPIC (HV_EXT_LAPIC_STATE) into *l. */
long hv_vcpu_get_lapic(u32 vm, u32 vcpu, struct hv_vcpu_lapic *l);
/* Starts VM 0's vCPU `vcpu` (HV_EXT_VM0_SMP) in the caller's mode at rip
 * with rsp and rdi. */
long hv_vcpu_start(u32 vcpu, u64 rip, u64 rsp, u64 rdi);
/* Ends the run of a child's vCPU now, on whichever CPU it runs; with vm
 * 0, wakes VM 0's vCPU from hv_vm0_idle (HV_EXT_VM0_IDLE). */
long hv_vcpu_kick(u32 vm, u32 vcpu);
/* Physical CPU `cpu`'s figures (HV_EXT_CPU_STATS) into *s. */
long hv_cpu_stats(u32 cpu, struct hv_cpu_stats *s);
/* The calling VM 0 vCPU sleeps until a kick (1) or until VM 0's TSC
 * reaches deadline, 0 for none (0) (HV_EXT_VM0_IDLE). */
long hv_vm0_idle(u64 deadline);
#endif
long hv_feature(u32 flags, u32 vm, u64 *value);
long hv_stats(u32 flags, u32 vm, struct hv_stats *s);

/* HV_CALL_INFO into a buffer of `cap` bytes, growing the request to what
 * the hypervisor says it needs (argsz retry). Returns 0 or -errno. */
long hv_info(void *buf, u32 cap);
/* The capability with this id in an hv_info answer, or NULL. */
const struct hv_cap_header *hv_info_find_cap(const void *info, u32 len, u16 id);

/* A flat segment (base 0, limit 4 GiB) for struct hv_vcpu_regs. */
static inline struct hv_segment hv_flat_segment(u16 selector, u16 attr)
{
	return (struct hv_segment){ .selector = selector, .attr = attr, .limit = 0xffffffff };
}

#define HV_CHILD_CODE 0x100000 /* where hv_child_boot_long_mode puts the code */

/* Loads `code` at child-physical HV_CHILD_CODE (1 MiB) and makes vCPU 0 enter it in
 * 64-bit mode (GDT, identity page tables for 1 GiB, stack at 512 KiB).
 * Returns 0 or -errno. */
long hv_child_boot_long_mode(u32 vm, u32 vcpu, const void *code, u64 len);
/* For such a child: its fourth GiB mapped through a page directory at
 * child-physical 0x5000 holding one 2 MiB page, uncached, at the local
 * APIC's default address. Returns 0 or -errno. */
long hv_child_map_apic_page(u32 vm);

#endif
