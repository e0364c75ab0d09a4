/* The virtualization decision from recorded CPUID/MSR values: which
 * backend is chosen, and the exact refusal for CPUs we cannot use. */
#include "check.h"
#include "../../arch/x86/cpu_caps.c"

#include "../../lib/printf.c"

#define ALLOWED1(bits) ((u64)(bits) << 32)

/* An Intel CPU with VMX, EPT (WB, 2M), VPID and unrestricted guest,
 * firmware-locked on, like Bochs' corei7_skylake_x. */
static struct cpu_raw intel_full(void)
{
	struct cpu_raw r = { .vendor = "GenuineIntel", .max_leaf = 0x16,
			     .max_ext_leaf = 0x80000008, .leaf1_ecx = BIT(5) };

	r.feature_control_ok = true;
	r.feature_control = FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
	r.vmx_basic_ok = true;
	r.vmx_basic = VMX_BASIC_TRUE_CTLS | 0x2b;
	r.vmx_procbased_ok = true;
	r.vmx_procbased = ALLOWED1(PROCBASED_SECONDARY);
	r.vmx_procbased2_ok = true;
	r.vmx_procbased2 = ALLOWED1(PROCBASED2_EPT | PROCBASED2_VPID |
				    PROCBASED2_UNRESTRICTED);
	r.vmx_ept_vpid_ok = true;
	r.vmx_ept_vpid = EPT_CAP_WB | EPT_CAP_2M;
	return r;
}

/* An AMD CPU with SVM, NPT and 16 ASIDs and no NRIPS, like QEMU's EPYC. */
static struct cpu_raw amd_full(void)
{
	struct cpu_raw r = { .vendor = "AuthenticAMD", .max_leaf = 0xd,
			     .max_ext_leaf = 0x8000001f, .ext1_ecx = BIT(2) };

	r.svm_ebx = 16;
	r.svm_edx = SVM_EDX_NP;
	r.vm_cr_ok = true;
	return r;
}

TEST(intel_with_ept_uses_vmx)
{
	struct cpu_raw r = intel_full();
	struct virt_caps c;

	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.backend, BACKEND_VMX);
	CHECK(c.ept && c.ept_wb && c.ept_2m && c.vpid && c.unrestricted);
	CHECK(c.vmx_true_ctls);
	CHECK_EQ(c.vmx_fw, FW_ENABLED);
	CHECK_STR(c.missing, "");
}

TEST(vmx_without_secondary_controls_has_no_ept)
{
	struct cpu_raw r = intel_full();
	struct virt_caps c;

	r.vmx_procbased = 0; /* like core2_penryn: no secondary controls */
	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.backend, BACKEND_NONE);
	CHECK(!c.ept && !c.vpid && !c.unrestricted);
	CHECK(strstr(c.missing, "VMX without EPT") == c.missing);
}

TEST(vmx_locked_off_by_firmware_refused)
{
	struct cpu_raw r = intel_full();
	struct virt_caps c;

	r.feature_control = FEATURE_CONTROL_LOCK;
	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.backend, BACKEND_NONE);
	CHECK_EQ(c.vmx_fw, FW_DISABLED);
	CHECK(strstr(c.missing, "disabled by firmware") != NULL);
}

TEST(vmx_unlocked_feature_control_is_usable)
{
	struct cpu_raw r = intel_full();
	struct virt_caps c;

	r.feature_control = 0;
	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.vmx_fw, FW_UNLOCKED);
	CHECK_EQ(c.backend, BACKEND_VMX);
}

TEST(ept_without_write_back_refused)
{
	struct cpu_raw r = intel_full();
	struct virt_caps c;

	r.vmx_ept_vpid = EPT_CAP_2M;
	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.backend, BACKEND_NONE);
	CHECK(strstr(c.missing, "write-back") != NULL);
}

TEST(amd_with_npt_uses_svm)
{
	struct cpu_raw r = amd_full();
	struct virt_caps c;

	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.backend, BACKEND_SVM);
	CHECK(c.npt && !c.nrips);
	CHECK_EQ(c.nasids, 16);
	CHECK_EQ(c.svm_fw, FW_UNLOCKED);
}

TEST(svm_without_npt_refused)
{
	struct cpu_raw r = amd_full();
	struct virt_caps c;

	r.svm_edx = 0;
	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.backend, BACKEND_NONE);
	CHECK(strstr(c.missing, "SVM without NPT") == c.missing);
}

TEST(svmdis_refused)
{
	struct cpu_raw r = amd_full();
	struct virt_caps c;

	r.vm_cr = VM_CR_SVMDIS | VM_CR_LOCK;
	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.backend, BACKEND_NONE);
	CHECK_EQ(c.svm_fw, FW_DISABLED);
	CHECK(strstr(c.missing, "VM_CR.SVMDIS") != NULL);
}

TEST(unreadable_vm_cr_is_not_a_refusal)
{
	struct cpu_raw r = amd_full();
	struct virt_caps c;

	r.vm_cr_ok = false; /* Bochs has no VM_CR */
	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.svm_fw, FW_UNKNOWN);
	CHECK_EQ(c.backend, BACKEND_SVM);
}

TEST(svm_leaf_missing_means_no_npt)
{
	struct cpu_raw r = amd_full();
	struct virt_caps c;

	r.max_ext_leaf = 0x80000008;
	cpu_caps_evaluate(&r, &c);
	CHECK(!c.npt);
	CHECK_EQ(c.backend, BACKEND_NONE);
}

TEST(no_virtualization_at_all)
{
	struct cpu_raw r = amd_full();
	struct virt_caps c;
	char line[256];

	r.ext1_ecx = 0;
	cpu_caps_evaluate(&r, &c);
	CHECK_EQ(c.backend, BACKEND_NONE);
	CHECK(strstr(c.missing, "neither VMX nor SVM") != NULL);
	cpu_caps_format(&c, line, sizeof(line));
	CHECK_STR(line, "cpu: vendor=AuthenticAMD vmx=no svm=no backend=none");
}

TEST(summary_line_names_every_capability)
{
	struct cpu_raw r = intel_full();
	struct virt_caps c;
	char line[256];

	cpu_caps_evaluate(&r, &c);
	cpu_caps_format(&c, line, sizeof(line));
	CHECK_STR(line, "cpu: vendor=GenuineIntel vmx=yes ept=yes ept-wb=yes "
			"ept-2m=yes unrestricted=yes vpid=yes true-ctls=yes "
			"vmx-firmware=enabled svm=no backend=vmx");
}

TEST(summary_line_truncates_safely)
{
	struct cpu_raw r = intel_full();
	struct virt_caps c;
	char line[24];

	cpu_caps_evaluate(&r, &c);
	cpu_caps_format(&c, line, sizeof(line));
	CHECK_EQ(strlen(line), sizeof(line) - 1);
}

RUN_TESTS("cpu_caps", T(intel_with_ept_uses_vmx),
	  T(vmx_without_secondary_controls_has_no_ept),
	  T(vmx_locked_off_by_firmware_refused),
	  T(vmx_unlocked_feature_control_is_usable),
	  T(ept_without_write_back_refused), T(amd_with_npt_uses_svm),
	  T(svm_without_npt_refused), T(svmdis_refused),
	  T(unreadable_vm_cr_is_not_a_refusal), T(svm_leaf_missing_means_no_npt),
	  T(no_virtualization_at_all), T(summary_line_names_every_capability),
	  T(summary_line_truncates_safely))
