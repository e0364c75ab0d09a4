/* What a person needs when the CPU refuses a VM entry: the
 * VM-instruction error in words, and the guest state it checked. */
#include "arch/x86/vmx/vmx.h"
#include "hv/log.h"

static const char *const insn_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

static const char *insn_error_name(u32 err)
{
	if (err < ARRAY_SIZE(insn_errors) && insn_errors[err])
		return insn_errors[err];
	return "unknown VM-instruction error";
}

/* A VMCS field as printf's %llx and %llu take it. */
static unsigned long long field(u32 encoding)
{
	return vmread(encoding);
}

static const char *const seg_names[] = { "es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr" };

static void dump_segments(void)
{
	for (u32 i = 0; i < ARRAY_SIZE(seg_names); i++)
		log_err("vmx:   %-4s sel 0x%04llx base 0x%llx limit 0x%llx ar 0x%llx",
			seg_names[i], field(VMCS_GUEST_ES_SEL + 2 * i),
			field(VMCS_GUEST_ES_BASE + 2 * i), field(VMCS_GUEST_ES_LIMIT + 2 * i),
			field(VMCS_GUEST_ES_AR + 2 * i));
}

static void dump_guest_state(void)
{
	log_err("vmx: guest cr0 0x%llx cr3 0x%llx cr4 0x%llx efer 0x%llx",
		field(VMCS_GUEST_CR0), field(VMCS_GUEST_CR3), field(VMCS_GUEST_CR4),
		field(VMCS_GUEST_EFER));
	log_err("vmx: guest rip 0x%llx rsp 0x%llx rflags 0x%llx dr7 0x%llx",
		field(VMCS_GUEST_RIP), field(VMCS_GUEST_RSP), field(VMCS_GUEST_RFLAGS),
		field(VMCS_GUEST_DR7));
	dump_segments();
	log_err("vmx:   gdtr base 0x%llx limit 0x%llx, idtr base 0x%llx limit 0x%llx",
		field(VMCS_GUEST_GDTR_BASE), field(VMCS_GUEST_GDTR_LIMIT),
		field(VMCS_GUEST_IDTR_BASE), field(VMCS_GUEST_IDTR_LIMIT));
	log_err("vmx: interruptibility 0x%llx activity %llu link 0x%llx",
		field(VMCS_GUEST_INTERRUPTIBILITY), field(VMCS_GUEST_ACTIVITY),
		field(VMCS_LINK_POINTER));
	log_err("vmx: controls pin 0x%llx proc 0x%llx proc2 0x%llx exit 0x%llx entry 0x%llx",
		field(VMCS_PIN_CTLS), field(VMCS_PROC_CTLS), field(VMCS_PROC_CTLS2),
		field(VMCS_EXIT_CTLS), field(VMCS_ENTRY_CTLS));
}

/* After a failed entry (VMfail) or an entry-failure exit (invalid guest
 * state): why, then the state the CPU looked at. */
void vmx_dump(struct vcpu *v)
{
	struct vmx_vcpu *x = v->arch;
	u32 reason = vmread(VMCS_EXIT_REASON), basic = reason & 0xffff;

	if (x->insn_error) {
		log_err("vmx: VM entry failed: VM-instruction error %u: %s", x->insn_error,
			insn_error_name(x->insn_error));
		x->insn_error = 0;
	} else if (reason & VMX_EXIT_ENTRY_FAILURE) {
		log_err("vmx: VM entry failed: exit reason %u (%s), qualification 0x%llx", basic,
			basic == VMX_EXIT_INVALID_GUEST_STATE ? "invalid guest state" :
			basic == VMX_EXIT_MSR_LOADING ? "MSR loading" : "machine check",
			field(VMCS_EXIT_QUALIFICATION));
	} else {
		log_err("vmx: exit reason %u qualification 0x%llx", basic,
			field(VMCS_EXIT_QUALIFICATION));
	}
	dump_guest_state();
}
