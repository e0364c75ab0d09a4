/* Per-CPU data, reached through the GS base from the very first C code, so
 * that secondary CPUs later only need their own struct percpu. */
#ifndef ARCH_X86_PERCPU_H
#define ARCH_X86_PERCPU_H

#include "lib/types.h"
#include "lib/x86_desc.h"

#define IST_STACK_SIZE 8192
#define GDT_ENTRIES 5

enum ist_slot {
	IST_NMI = 1,
	IST_DOUBLE_FAULT = 2,
	IST_MACHINE_CHECK = 3,
	IST_COUNT = 3,
};

struct vcpu;

struct percpu {
	struct percpu *self; /* must stay first: this_cpu() reads %gs:0 */
	u32 cpu_id;  /* 0: the boot CPU; secondary CPUs count from 1 */
	u32 apic_id;
	struct vcpu *lazy_owner; /* whose guest_state the registers hold */
	u32 last_vm_id;          /* the VM that last ran here (~0: none) */
	u32 exception_depth;
	/* Exits from guest mode on this CPU, counted without the lock: a CPU
	 * that saw it move knows this one left the guest since (hv/lock.h). */
	volatile u64 guest_exits;
	volatile bool in_guest;  /* between releasing hv_lock to enter and the exit */
	void *current_vmcs;      /* VMX: the VMCS VMPTRLD made current here */
	u64 stack_bottom;
	u64 stack_top;
	/* Pages the virtualization backend keeps for this CPU: VMX's VMXON
	 * region, or SVM's host save area (VM_HSAVE_PA) and host VMCB. */
	void *virt_region;
	void *host_vmcb;
	/* SVM: the next ASID this CPU hands out, and how many times its ASIDs
	 * ran out (each time the whole TLB is flushed; svm_vcpu.c). */
	u32 asid_next;
	u64 asid_gen;
	u64 gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	struct tss64 tss __attribute__((aligned(16)));
	u8 ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
};

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	asm volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

#define PERCPU_MAX 64 /* CPUs the hypervisor keeps a struct percpu for */

/* CPU `cpu_id`'s struct percpu, NULL when it has none. */
struct percpu *percpu_of(u32 cpu_id);

/* Points GS base at the boot CPU's struct percpu; first thing in C. */
void percpu_init_boot_cpu(void);

/* A zeroed struct percpu with its own stack for secondary CPU `cpu_id`;
 * NULL when memory ran out. */
struct percpu *percpu_alloc(u32 cpu_id, u32 apic_id);

/* Gives back what percpu_alloc took, for a CPU that never used it. */
void percpu_free(struct percpu *pc);

/* Points GS base at pc: a secondary CPU's first step in C. */
void percpu_init_this_cpu(struct percpu *pc);

/* True when [addr, addr+len) lies inside one of this CPU's stacks. */
bool percpu_on_stack(u64 addr, u64 len);

#endif
