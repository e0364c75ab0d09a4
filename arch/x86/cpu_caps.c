#include "arch/x86/cpu_caps.h"
#include "arch/x86/msr.h"
#include "lib/printf.h"
#include "lib/string.h"

#define CPUID1_ECX_VMX BIT(5)
#define CPUIDX1_ECX_SVM BIT(2)
#define SVM_EDX_NP BIT(0)
#define SVM_EDX_NRIPS BIT(3)
#define PROCBASED_SECONDARY BIT(31)
#define PROCBASED2_EPT BIT(1)
#define PROCBASED2_VPID BIT(5)
#define PROCBASED2_UNRESTRICTED BIT(7)
#define EPT_CAP_WB BIT(14)
#define EPT_CAP_2M BIT(16)

/* The controls a VMX control MSR allows to be 1 (its high half); none
 * when the MSR could not be read. */
static u32 vmx_allowed1(bool ok, u64 msr)
{
	return ok ? (u32)(msr >> 32) : 0;
}

static enum fw_state vmx_firmware_state(const struct cpu_raw *r)
{
	if (!r->feature_control_ok)
		return FW_UNKNOWN;
	if (!(r->feature_control & FEATURE_CONTROL_LOCK))
		return FW_UNLOCKED;
	return (r->feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX) ?
		       FW_ENABLED : FW_DISABLED;
}

static enum fw_state svm_firmware_state(const struct cpu_raw *r)
{
	if (!r->vm_cr_ok)
		return FW_UNKNOWN; /* e.g. Bochs has no VM_CR: nothing disables SVM */
	if (r->vm_cr & VM_CR_SVMDIS)
		return FW_DISABLED;
	return (r->vm_cr & VM_CR_LOCK) ? FW_ENABLED : FW_UNLOCKED;
}

static void evaluate_vmx(const struct cpu_raw *r, struct virt_caps *c)
{
	u32 proc2;

	c->vmx = r->max_leaf >= 1 && (r->leaf1_ecx & CPUID1_ECX_VMX);
	if (!c->vmx)
		return;
	c->vmx_fw = vmx_firmware_state(r);
	c->vmx_true_ctls = r->vmx_basic_ok && (r->vmx_basic & VMX_BASIC_TRUE_CTLS);
	if (!(vmx_allowed1(r->vmx_procbased_ok, r->vmx_procbased) & PROCBASED_SECONDARY))
		return;
	proc2 = vmx_allowed1(r->vmx_procbased2_ok, r->vmx_procbased2);
	c->ept = proc2 & PROCBASED2_EPT;
	c->vpid = proc2 & PROCBASED2_VPID;
	c->unrestricted = proc2 & PROCBASED2_UNRESTRICTED;
	if (c->ept && r->vmx_ept_vpid_ok) {
		c->ept_wb = r->vmx_ept_vpid & EPT_CAP_WB;
		c->ept_2m = r->vmx_ept_vpid & EPT_CAP_2M;
	}
}

static void evaluate_svm(const struct cpu_raw *r, struct virt_caps *c)
{
	c->svm = r->max_ext_leaf >= 0x80000001 && (r->ext1_ecx & CPUIDX1_ECX_SVM);
	if (!c->svm)
		return;
	c->svm_fw = svm_firmware_state(r);
	if (r->max_ext_leaf < 0x8000000a)
		return;
	c->npt = r->svm_edx & SVM_EDX_NP;
	c->nrips = r->svm_edx & SVM_EDX_NRIPS;
	c->nasids = r->svm_ebx;
}

/* Why VMX cannot be used, or NULL when it can. */
static const char *vmx_missing(const struct virt_caps *c)
{
	if (c->vmx_fw == FW_DISABLED)
		return "VMX is disabled by firmware (IA32_FEATURE_CONTROL locked with VMX off)";
	if (!c->ept)
		return "VMX without EPT: extended page tables are required";
	if (!c->ept_wb)
		return "EPT without write-back memory type";
	return NULL;
}

static const char *svm_missing(const struct virt_caps *c)
{
	if (c->svm_fw == FW_DISABLED)
		return "SVM is disabled by firmware (VM_CR.SVMDIS set)";
	if (!c->npt)
		return "SVM without NPT: nested paging is required";
	if (c->nasids < 2)
		return "SVM with fewer than 2 ASIDs";
	return NULL;
}

static void choose_backend(struct virt_caps *c)
{
	const char *why = NULL;

	if (c->vmx && !(why = vmx_missing(c)))
		c->backend = BACKEND_VMX;
	else if (c->svm && !(why = svm_missing(c)))
		c->backend = BACKEND_SVM;
	else if (!c->vmx && !c->svm)
		why = "no hardware virtualization: the CPU has neither VMX nor SVM";
	if (c->backend == BACKEND_NONE)
		hv_snprintf(c->missing, sizeof(c->missing), "%s", why);
}

void cpu_caps_evaluate(const struct cpu_raw *raw, struct virt_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	memcpy(caps->vendor, raw->vendor, sizeof(caps->vendor));
	caps->vendor[sizeof(caps->vendor) - 1] = '\0';
	evaluate_vmx(raw, caps);
	evaluate_svm(raw, caps);
	choose_backend(caps);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static const char *fw_name(enum fw_state s)
{
	static const char *const names[] = { "unlocked", "enabled", "disabled",
					     "unknown" };
	return names[s];
}

static const char *backend_name(enum virt_backend b)
{
	return b == BACKEND_VMX ? "vmx" : b == BACKEND_SVM ? "svm" : "none";
}

/* Each part is formatted on its own, then the line in one go, so only
 * that last step has to respect len. */
void cpu_caps_format(const struct virt_caps *c, char *buf, size_t len)
{
	char vmx[128] = " vmx=no", svm[96] = " svm=no";

	if (c->vmx)
		hv_snprintf(vmx, sizeof(vmx),
			    " vmx=yes ept=%s ept-wb=%s ept-2m=%s unrestricted=%s"
			    " vpid=%s true-ctls=%s vmx-firmware=%s",
			    yes_no(c->ept), yes_no(c->ept_wb), yes_no(c->ept_2m),
			    yes_no(c->unrestricted), yes_no(c->vpid),
			    yes_no(c->vmx_true_ctls), fw_name(c->vmx_fw));
	if (c->svm)
		hv_snprintf(svm, sizeof(svm),
			    " svm=yes npt=%s nrips=%s asids=%u svm-firmware=%s",
			    yes_no(c->npt), yes_no(c->nrips), c->nasids,
			    fw_name(c->svm_fw));
	hv_snprintf(buf, len, "cpu: vendor=%s%s%s backend=%s", c->vendor, vmx, svm,
		    backend_name(c->backend));
}
