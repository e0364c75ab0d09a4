/* AMD SVM: turning it on for this CPU, and the ops table the core uses. */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/svm/svm.h"
#include "lib/errno.h"
#include "hv/log.h"

#define MSR_VM_HSAVE_PA 0xc0010117
#define CPUID_SVM_NRIPS BIT(3)

struct svm_cpu svm_cpu;

static int svm_cpu_enable(void)
{
	struct cpuid_regs leaf = cpuid(0x8000000a, 0);
	u64 vm_cr;

	if (rdmsr_safe(MSR_VM_CR, &vm_cr) && (vm_cr & VM_CR_SVMDIS)) {
		log_err("svm: disabled by firmware (VM_CR.SVMDIS)");
		return -ENODEV;
	}
	svm_cpu.nrips = leaf.edx & CPUID_SVM_NRIPS;
	svm_cpu.nasids = leaf.ebx;
	svm_cpu.host_save_area = pages_alloc(1);
	svm_cpu.host_vmcb = pages_alloc(1);
	if (!svm_cpu.host_save_area || !svm_cpu.host_vmcb)
		return -ENOMEM;
	/* VMRUN/#VMEXIT switch DR6, DR7 and (with VMLOAD/VMSAVE) the
	 * SYSCALL MSRs; the rest is switched lazily. */
	guest_state_cpu_init(&(struct guest_state_policy){ .dr6 = false,
							    .syscall_msrs = false });
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (u64)svm_cpu.host_save_area);
	log_info("svm: enabled, %u ASIDs, next-RIP save %s", svm_cpu.nasids,
		 svm_cpu.nrips ? "yes" : "no (instruction lengths decoded)");
	return 0;
}

static u32 svm_features(void)
{
	return HV_BACKEND_NPT_OR_EPT | HV_BACKEND_UNRESTRICTED |
	       (svm_cpu.nrips ? HV_BACKEND_NEXT_RIP : 0);
}

const struct virt_ops svm_ops = {
	.features = svm_features,
	.name = "svm",
	.cpu_enable = svm_cpu_enable,
	.vm_init = svm_vm_init,
	.vm_destroy = svm_vm_destroy,
	.vcpu_create = svm_vcpu_create,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_run = svm_vcpu_run,
	.get_sregs = svm_get_sregs,
	.set_sregs = svm_set_sregs,
	.guest_cpl = svm_guest_cpl,
	.guest_cr0 = svm_guest_cr0,
	.guest_cr4 = svm_guest_cr4,
	.inject_event = svm_inject_event,
	.dump = svm_dump,
};
