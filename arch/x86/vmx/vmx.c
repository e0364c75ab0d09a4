/* Intel VMX: firmware lock, capability checks, control computation and
 * VMXON for this CPU; vmx_cpu keeps what the backend's other files read. */
#include "arch/x86/cpu.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/msr.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_ctls.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "hv/cr.h"
#include "hv/log.h"

struct vmx_cpu vmx_cpu;

/* Sets and locks IA32_FEATURE_CONTROL when firmware left it unlocked.
 * Locked with VMX off never gets here: the backend is not chosen then
 * (vmx_missing() in arch/x86/cpu_caps.c). */
static void feature_control_enable(void)
{
	u64 fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (!(fc & FEATURE_CONTROL_LOCK)) {
		fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
		log_info("vmx: IA32_FEATURE_CONTROL was unlocked; enabled VMX and locked it");
	}
}

/* One control word from its capability MSR; logs and fails when a
 * required bit is unavailable. */
static int adjust(const char *what, u32 cap_msr, u32 required, u32 optional, u32 *out)
{
	u32 missing = vmx_adjust_controls(rdmsr(cap_msr), required | optional, out);

	if (missing & required) {
		log_err("vmx: %s controls 0x%x not supported by this CPU", what,
			missing & required);
		return -ENODEV;
	}
	return 0;
}

static int compute_controls(u64 basic)
{
	u32 t = (basic & VMX_BASIC_TRUE_CTLS) ? MSR_VMX_TRUE_OFFSET : 0;
	int err = 0;

	err |= adjust("pin-based", MSR_VMX_PINBASED + t,
		      PIN_EXT_INTR_EXITING | PIN_NMI_EXITING, PIN_VIRTUAL_NMIS | PIN_PREEMPTION_TIMER,
		      &vmx_cpu.pin);
	err |= adjust("processor-based", MSR_VMX_PROCBASED + t,
		      PROC_HLT_EXITING | PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS |
		      PROC_SECONDARY | PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING |
		      PROC_MWAIT_EXITING | PROC_MONITOR_EXITING | PROC_USE_TSC_OFFSETTING, 0,
		      &vmx_cpu.proc);
	err |= adjust("secondary", MSR_VMX_PROCBASED2, PROC2_EPT,
		      PROC2_VPID | PROC2_UNRESTRICTED, &vmx_cpu.proc2);
	err |= adjust("VM-exit", MSR_VMX_EXIT + t,
		      EXIT_HOST_64BIT | EXIT_ACK_INTERRUPT | EXIT_SAVE_EFER |
		      EXIT_LOAD_EFER | EXIT_SAVE_DEBUG, EXIT_SAVE_PAT | EXIT_LOAD_PAT,
		      &vmx_cpu.exit);
	err |= adjust("VM-entry", MSR_VMX_ENTRY + t,
		      ENTRY_LOAD_EFER | ENTRY_LOAD_DEBUG, ENTRY_LOAD_PAT, &vmx_cpu.entry);
	vmx_adjust_controls(rdmsr(MSR_VMX_PROCBASED + t), PROC_INTR_WINDOW | PROC_NMI_WINDOW,
			    &vmx_cpu.proc_windows);
	vmx_cpu.proc_windows &= PROC_INTR_WINDOW |
				((vmx_cpu.pin & PIN_VIRTUAL_NMIS) ? PROC_NMI_WINDOW : 0);
	vmx_cpu.timer_rate = rdmsr(MSR_VMX_MISC) & VMX_MISC_TIMER_RATE;
	vmx_cpu.vpid = vmx_cpu.proc2 & PROC2_VPID;
	vmx_cpu.unrestricted = vmx_cpu.proc2 & PROC2_UNRESTRICTED;
	return err ? -ENODEV : 0;
}

/* EPT needs a 4-level walk and INVEPT (write-back tables: checked before
 * the backend was chosen, vmx_missing() in arch/x86/cpu_caps.c). */
static int check_ept_vpid_caps(void)
{
	u64 cap = rdmsr(MSR_VMX_EPT_VPID_CAP);

	if (!(cap & EPT_CAP_WALK4) || !(cap & EPT_CAP_INVEPT) ||
	    !(cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL))) {
		log_err("vmx: EPT lacks %s", !(cap & EPT_CAP_WALK4) ? "4-level walks" : "INVEPT");
		return -ENODEV;
	}
	vmx_cpu.invept_type = (cap & EPT_CAP_INVEPT_SINGLE) ? INV_SINGLE_CONTEXT : INV_ALL_CONTEXTS;
	vmx_cpu.invvpid_type = !(cap & VPID_CAP_INVVPID) ? 0 :
			       (cap & VPID_CAP_INVVPID_SINGLE) ? INV_SINGLE_CONTEXT :
			       (cap & VPID_CAP_INVVPID_ALL) ? INV_ALL_CONTEXTS : 0;
	/* VPIDs we could never flush: do without */
	vmx_cpu.vpid = vmx_cpu.vpid && vmx_cpu.invvpid_type;
	return 0;
}

/* CR0/CR4 as VMX operation requires (CR0.NE, CR4.VMXE, ...). */
static void apply_host_fixed_bits(void)
{
	vmx_cpu.cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	vmx_cpu.cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	vmx_cpu.cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	vmx_cpu.cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	asm volatile("mov %0, %%cr0" : : "r"(vmx_apply_fixed(read_cr0(), vmx_cpu.cr0_fixed0,
							     vmx_cpu.cr0_fixed1)));
	write_cr4(vmx_apply_fixed(read_cr4(), vmx_cpu.cr4_fixed0, vmx_cpu.cr4_fixed1));
	vmx_cpu.guest_cr0_fixed0 = vmx_cpu.cr0_fixed0;
	if (vmx_cpu.unrestricted)
		vmx_cpu.guest_cr0_fixed0 &= ~(u64)(CR0_PE | CR0_PG);
	vmx_cpu.cr0_owned = vmx_cpu.guest_cr0_fixed0 | ~vmx_cpu.cr0_fixed1;
	/* and the CR4 bits the CPU has but the guest's CPUID does not offer:
	 * writing one exits, and hv/cr.c answers #GP */
	vmx_cpu.cr4_owned = vmx_cpu.cr4_fixed0 | ~vmx_cpu.cr4_fixed1 | ~cr4_guest_allowed();
}

/* The VMXON region (this CPU's, in struct percpu) stays in use until
 * VMXOFF, which never comes. */
static int vmxon(void)
{
	u32 *region = pages_alloc(1);
	u64 pa = (u64)region;
	bool fail;

	if (!region)
		return -ENOMEM;
	this_cpu()->virt_region = region;
	*region = vmx_cpu.revision;
	asm volatile("vmxon %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	if (fail) {
		log_err("vmx: VMXON failed");
		return -EIO;
	}
	return 0;
}

/* A secondary CPU must come out of the computation with exactly the
 * boot CPU's vmx_cpu; otherwise the boot CPU's stays. */
static int same_as_boot_cpu(const struct vmx_cpu *boot)
{
	if (this_cpu()->cpu_id == 0 || !memcmp(boot, &vmx_cpu, sizeof(*boot)))
		return 0;
	memcpy(&vmx_cpu, boot, sizeof(vmx_cpu));
	log_err("vmx: CPU %u's VMX capabilities differ from the boot CPU's",
		this_cpu()->cpu_id);
	return -ENODEV;
}

int vmx_cpu_enable(void)
{
	struct vmx_cpu boot;
	u64 basic = rdmsr(MSR_VMX_BASIC);
	int err;

	memcpy(&boot, &vmx_cpu, sizeof(boot)); /* padding included, for memcmp */
	vmx_cpu.revision = basic & 0x7fffffff;
	vmx_cpu.insouts_info = basic & VMX_BASIC_INSOUTS_INFO;
	feature_control_enable();
	if ((err = compute_controls(basic)) || (err = check_ept_vpid_caps()))
		return err;
	/* VM entry and exit switch DR7 and the SYSENTER MSRs only. */
	guest_state_cpu_init(&(struct guest_state_policy){ .dr6 = true,
							    .syscall_msrs = true });
	apply_host_fixed_bits();
	if ((err = same_as_boot_cpu(&boot)) || (err = vmxon()))
		return err;
	hv_log(this_cpu()->cpu_id ? LOG_DEBUG : LOG_INFO, "vmx: enabled, VMCS revision "
	       "0x%x, VPID %s, unrestricted guest %s, TRUE controls %s", vmx_cpu.revision,
	       vmx_cpu.vpid ? "yes" : "no", vmx_cpu.unrestricted ? "yes" : "no",
	       (basic & VMX_BASIC_TRUE_CTLS) ? "yes" : "no");
	return 0;
}

u32 vmx_features(void)
{
	return HV_BACKEND_NPT_OR_EPT | HV_BACKEND_NEXT_RIP |
	       (vmx_cpu.unrestricted ? HV_BACKEND_UNRESTRICTED : 0);
}
