/* Intel VMX backend: private state shared by its files. */
#ifndef ARCH_X86_VMX_VMX_H
#define ARCH_X86_VMX_VMX_H

#include "arch/x86/stage2.h"
#include "arch/x86/vmx/vmcs.h"
#include "hv/vm.h"

struct vmx_cpu {
	u32 revision;        /* VMCS revision id from IA32_VMX_BASIC */
	bool insouts_info;   /* exit instruction info describes INS/OUTS */
	bool vpid, unrestricted;
	/* INVEPT and INVVPID types: single context when the CPU has it, else
	 * all contexts (0: no INVVPID) */
	u64 invept_type, invvpid_type;
	u32 pin, proc, proc2, exit, entry; /* computed control values */
	u32 timer_rate;      /* the preemption timer's TSC shift, when pin has it */
	u32 proc_windows;    /* PROC_INTR_WINDOW, and PROC_NMI_WINDOW with
			      * virtual NMIs: the window exits this CPU has */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	/* A guest's CR0 must-be-one bits (PE and PG free with unrestricted
	 * guest), and the CR0/CR4 bits the host owns: the guest reads them
	 * from the read shadows. */
	u64 guest_cr0_fixed0, cr0_owned, cr4_owned;
};

struct vmx_vm {
	struct stage2 s2; /* first: see arch/x86/stage2.h */
	u64 eptp;
	u64 ept_gen;    /* bumped at each INVEPT: other CPUs flush at entry */
	u8 *msr_bitmap; /* 1 = exit */
};

struct vmx_vcpu {
	void *vmcs;
	u16 vpid;
	bool launched;         /* VMRESUME next: reset by VMCLEAR */
	u64 exit_rip;          /* RIP at the last exit: moved means "skipped" */
	u64 cr2;               /* the guest's CR2: VMX does not switch it */
	u32 insn_error;        /* VM-instruction error of a failed entry */
	bool preempt;          /* a child's: the preemption timer is on */
	u32 host_cpu;          /* the CPU whose host state the VMCS holds,
				* VCPU_NO_CPU before its first entry */
	u64 ept_gen_seen;      /* behind vmx_vm's: INVEPT on this CPU at entry */
};

#define INV_SINGLE_CONTEXT 1
#define INV_ALL_CONTEXTS 2

extern struct vmx_cpu vmx_cpu;

/* VMX instructions on the current VMCS. */
static inline void vmwrite(u64 field, u64 value)
{
	asm volatile("vmwrite %1, %0" : : "r"(field), "rm"(value) : "cc", "memory");
}

static inline u64 vmread(u64 field)
{
	u64 value = 0;

	asm volatile("vmread %1, %0" : "=rm"(value) : "r"(field) : "cc");
	return value;
}

/* Returns 0 on a VM exit, 1 when VMLAUNCH/VMRESUME itself failed. */
int vmx_enter_guest(struct guest_regs *regs, int launched);

/* INVEPT of the VM's EPT context on this CPU. */
void vmx_invept_here(const struct vmx_vm *x);

/* vmx.c */
int vmx_cpu_enable(void);
u32 vmx_features(void);

/* vmx_vm.c */
int vmx_vm_init(struct vm *vm);
void vmx_vm_destroy(struct vm *vm);

/* vmx_vcpu.c: the backend's ops table */
extern const struct virt_ops vmx_ops;

/* vmx_exit.c */
void vmx_decode_exit(struct vcpu *v, struct vm_exit *exit);

/* vmx_diag.c */
void vmx_dump(struct vcpu *v);

#endif
