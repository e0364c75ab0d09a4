/* Reads the CPUID leaves and MSRs that describe VMX and SVM. Every MSR is
 * read fault-tolerantly: emulators and old CPUs lack some of them. */
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_caps.h"
#include "arch/x86/msr.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/vmx/vmx.h"
#include "hv/arch.h"
#include "lib/string.h"

static void read_vendor(struct cpu_raw *r)
{
	struct cpuid_regs l0 = cpuid(0, 0);

	r->max_leaf = l0.eax;
	memcpy(r->vendor + 0, &l0.ebx, 4);
	memcpy(r->vendor + 4, &l0.edx, 4);
	memcpy(r->vendor + 8, &l0.ecx, 4);
}

static void read_vmx_msrs(struct cpu_raw *r)
{
	u32 procbased;

	r->feature_control_ok = rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &r->feature_control);
	r->vmx_basic_ok = rdmsr_safe(MSR_VMX_BASIC, &r->vmx_basic);
	procbased = (r->vmx_basic_ok && (r->vmx_basic & VMX_BASIC_TRUE_CTLS)) ?
			    MSR_VMX_TRUE_PROCBASED :
			    MSR_VMX_PROCBASED;
	r->vmx_procbased_ok = rdmsr_safe(procbased, &r->vmx_procbased);
	r->vmx_procbased2_ok = rdmsr_safe(MSR_VMX_PROCBASED2, &r->vmx_procbased2);
	r->vmx_ept_vpid_ok = rdmsr_safe(MSR_VMX_EPT_VPID_CAP, &r->vmx_ept_vpid);
}

static void read_svm_leaves(struct cpu_raw *r)
{
	if (r->max_ext_leaf >= 0x8000000a) {
		struct cpuid_regs s = cpuid(0x8000000a, 0);

		r->svm_ebx = s.ebx;
		r->svm_edx = s.edx;
	}
	r->vm_cr_ok = rdmsr_safe(MSR_VM_CR, &r->vm_cr);
}

static void read_cpu_raw(struct cpu_raw *r)
{
	memset(r, 0, sizeof(*r));
	read_vendor(r);
	if (r->max_leaf >= 1)
		r->leaf1_ecx = cpuid(1, 0).ecx;
	r->max_ext_leaf = cpuid(0x80000000, 0).eax;
	if (r->max_ext_leaf >= 0x80000001)
		r->ext1_ecx = cpuid(0x80000001, 0).ecx;
	if (r->leaf1_ecx & BIT(5))
		read_vmx_msrs(r);
	if (r->ext1_ecx & BIT(2))
		read_svm_leaves(r);
}

void arch_virt_detect(struct virt_report *rep)
{
	struct cpu_raw raw;
	struct virt_caps caps;

	read_cpu_raw(&raw);
	cpu_caps_evaluate(&raw, &caps);
	cpu_caps_format(&caps, rep->summary, sizeof(rep->summary));
	rep->ops = caps.backend == BACKEND_SVM ? &svm_ops :
		   caps.backend == BACKEND_VMX ? &vmx_ops : NULL;
	hv_strlcpy(rep->missing, caps.missing, sizeof(rep->missing));
}
