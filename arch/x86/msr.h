/* Model-specific register numbers and the bits the hypervisor uses
 * (Intel SDM vol. 4, AMD APM vol. 2). */
#ifndef ARCH_X86_MSR_H
#define ARCH_X86_MSR_H

#define MSR_IA32_FEATURE_CONTROL 0x3a
#define FEATURE_CONTROL_LOCK (1ULL << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ULL << 2)

/* IA32_VMX_BASIC (the numbers of the VMX capability MSRs are in
 * arch/x86/vmx/vmcs.h) */
#define VMX_BASIC_TRUE_CTLS (1ULL << 55)

#define MSR_PAT 0x277

#define MSR_EFER 0xc0000080
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)
#define EFER_SVME (1ULL << 12)

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101

#define MSR_VM_CR 0xc0010114
#define VM_CR_LOCK (1ULL << 3)
#define VM_CR_SVMDIS (1ULL << 4)

#endif
