/* Model-specific register numbers and the bits the hypervisor uses
 * (Intel SDM vol. 4, AMD APM vol. 2). */
#ifndef ARCH_X86_MSR_H
#define ARCH_X86_MSR_H

#define MSR_IA32_FEATURE_CONTROL 0x3a
#define FEATURE_CONTROL_LOCK (1ULL << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ULL << 2)

#define MSR_IA32_VMX_BASIC 0x480
#define VMX_BASIC_TRUE_CTLS (1ULL << 55)
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48c
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e

#define MSR_EFER 0xc0000080
#define EFER_SCE (1ULL << 0)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)
#define EFER_SVME (1ULL << 12)

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

#define MSR_VM_CR 0xc0010114
#define VM_CR_LOCK (1ULL << 3)
#define VM_CR_SVMDIS (1ULL << 4)

#endif
