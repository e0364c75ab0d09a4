/* AMD SVM backend: private state shared by its files. */
#ifndef ARCH_X86_SVM_SVM_H
#define ARCH_X86_SVM_SVM_H

#include "arch/x86/stage2.h"
#include "arch/x86/svm/vmcb.h"
#include "hv/vm.h"

#define SVM_IOPM_PAGES 3
#define SVM_MSRPM_PAGES 2

struct svm_vm {
	struct stage2 s2; /* first: see arch/x86/stage2.h */
	u8 *msrpm; /* two bits per MSR; 1 = intercept */
	u64 tlb_gen; /* bumped whenever stage-2 permissions shrink */
};

struct svm_vcpu {
	struct vmcb *vmcb;
	/* Its ASID is one of asid_cpu's, of that CPU's generation asid_gen;
	 * a new one is taken when it is out of date (svm_vcpu.c); the VMCB
	 * holds it. */
	u32 asid_cpu;
	u64 asid_gen;
	u64 tlb_gen_seen; /* a new ASID on entry when behind svm_vm */
	/* SVM keeps the guest's NMI blocking hidden: blocked from an NMI's
	 * injection until its handler's IRET (intercepted while an NMI
	 * waits) has run, i.e. RIP moved on from it. */
	bool nmi_blocked, iret_seen;
	u64 iret_rip;
	bool irq_window, nmi_window; /* what the core armed */
};

struct svm_cpu {
	bool nrips;
	bool decode_assists; /* NPF exits carry the instruction's bytes,
			      * MOV CR exits name the register */
	u32 nasids;
	/* An entry that injects an interrupt must exit right after it
	 * (svm.c, QEMU's TCG). */
	bool interrupt_entry_exits;
	void *host_save_area;
	struct vmcb *host_vmcb; /* VMSAVE/VMLOAD area for host FS/GS/TR/... */
};

extern struct svm_cpu svm_cpu;

static inline struct svm_vm *svm_vm(struct vm *vm)
{
	return vm->arch;
}

static inline struct svm_vcpu *svm_vcpu(struct vcpu *v)
{
	return v->arch;
}

void svm_enter_guest(u64 guest_vmcb, u64 host_vmcb, struct guest_regs *regs);

/* svm.c */
int svm_cpu_enable(void);
u32 svm_features(void);

/* svm_vm.c */
int svm_vm_init(struct vm *vm);
void svm_vm_destroy(struct vm *vm);

/* svm_vcpu.c: the backend's ops table */
extern const struct virt_ops svm_ops;

/* svm_irq.c: the interrupt and NMI windows, and what injections and
 * exits tell about NMI blocking */
bool svm_interrupt_allowed(struct vcpu *v);
bool svm_nmi_allowed(struct vcpu *v);
void svm_set_irq_window(struct vcpu *v, bool on);
void svm_set_nmi_window(struct vcpu *v, bool on);
void svm_irq_injected(struct vcpu *v, const struct event *e);
void svm_iret_exit(struct vcpu *v);

/* svm_exit.c */
void svm_decode_exit(struct vcpu *v, struct vm_exit *exit);

#endif
