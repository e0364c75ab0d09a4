/* Hardware-virtualization capability detection, split in two: reading the
 * raw CPUID/MSR values (cpu_detect.c, needs the CPU) and deciding what
 * they mean (cpu_caps.c, pure and unit-tested with recorded values). */
#ifndef ARCH_X86_CPU_CAPS_H
#define ARCH_X86_CPU_CAPS_H

#include "lib/types.h"

/* Raw readings. An MSR whose *_ok flag is false could not be read. */
struct cpu_raw {
	char vendor[13];
	u32 max_leaf, max_ext_leaf;
	u32 leaf1_ecx;
	u32 ext1_ecx;
	u32 svm_ebx, svm_edx; /* CPUID 0x8000000A */
	bool feature_control_ok;
	u64 feature_control;
	bool vmx_basic_ok;
	u64 vmx_basic;
	bool vmx_procbased_ok; /* TRUE_PROCBASED when VMX_BASIC bit 55 */
	u64 vmx_procbased;
	bool vmx_procbased2_ok;
	u64 vmx_procbased2;
	bool vmx_ept_vpid_ok;
	u64 vmx_ept_vpid;
	bool vm_cr_ok;
	u64 vm_cr;
};

enum virt_backend {
	BACKEND_NONE,
	BACKEND_VMX,
	BACKEND_SVM,
};

enum fw_state {
	FW_UNLOCKED,   /* the hypervisor may enable and lock it */
	FW_ENABLED,    /* locked on */
	FW_DISABLED,   /* locked off: virtualization is unusable */
	FW_UNKNOWN,    /* the control MSR could not be read */
};

struct virt_caps {
	char vendor[13];
	bool vmx, vmx_true_ctls, ept, ept_wb, ept_2m, unrestricted, vpid;
	enum fw_state vmx_fw;
	bool svm, npt, nrips;
	u32 nasids;
	enum fw_state svm_fw;
	enum virt_backend backend; /* BACKEND_NONE when unusable */
	char missing[160];         /* why, when backend == BACKEND_NONE */
};

void cpu_caps_evaluate(const struct cpu_raw *raw, struct virt_caps *caps);

/* The one-line boot report, e.g.
 * "cpu: vendor=AuthenticAMD vmx=no svm=yes npt=yes nrips=no asids=16
 *  svm-firmware=enabled backend=svm" */
void cpu_caps_format(const struct virt_caps *caps, char *buf, size_t len);

#endif
