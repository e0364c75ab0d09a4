/* AMD SVM: turning it on for this CPU, and what this CPU's SVM offers
 * (svm_cpu, read by the backend's other files). */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/percpu.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/svm/svm.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "hv/log.h"

#define MSR_VM_HSAVE_PA 0xc0010117
#define CPUID_SVM_NRIPS BIT(3)
#define CPUID_SVM_DECODE_ASSISTS BIT(7)
#define CPUID_HYPERVISOR_LEAF 0x40000000

struct svm_cpu svm_cpu;

/* QEMU 7.2's TCG (newer QEMU has the same code) delivers an
 * interrupt that VMRUN injects (EVENTINJ, type INTR) inside VMRUN but
 * leaves its vector as the CPU's pending exception. Until the next
 * exception or exit replaces it, any stop of QEMU's main loop (another
 * CPU's round-robin turn, an -icount budget spent) delivers the vector
 * again, wherever the guest is, IF clear or not: a Linux guest took its
 * timer interrupt a second time inside its entry code, before SWAPGS,
 * and faulted on its per-CPU data until its stack overflowed. An exit
 * right after the injection replaces the stale vector: the backend
 * sends its CPU a self-IPI before such an entry (svm_vcpu.c), which
 * stays pending while GIF is clear and ends the guest's run (INTR
 * intercept) as soon as VMRUN has delivered the event. QEMU's TCG names
 * itself in the hypervisor CPUID leaf. */
static bool qemu_tcg(void)
{
	struct cpuid_regs l = cpuid(CPUID_HYPERVISOR_LEAF, 0);
	char sig[12];

	memcpy(sig + 0, &l.ebx, 4);
	memcpy(sig + 4, &l.ecx, 4);
	memcpy(sig + 8, &l.edx, 4);
	return !memcmp(sig, "TCGTCGTCGTCG", sizeof(sig));
}

/* What SVM offers on this CPU; every CPU must offer what the boot CPU
 * does, which svm_cpu keeps. */
static int read_svm_caps(bool boot_cpu)
{
	struct cpuid_regs leaf = cpuid(0x8000000a, 0);
	bool nrips = leaf.edx & CPUID_SVM_NRIPS;
	bool decode_assists = leaf.edx & CPUID_SVM_DECODE_ASSISTS;

	if (boot_cpu) {
		svm_cpu.nrips = nrips;
		svm_cpu.decode_assists = decode_assists;
		svm_cpu.nasids = leaf.ebx;
		svm_cpu.interrupt_entry_exits = qemu_tcg();
		if (svm_cpu.interrupt_entry_exits)
			log_info("svm: QEMU TCG: an entry that injects an interrupt exits "
				 "right after it (self-IPI), or QEMU would deliver it again");
	} else if (nrips != svm_cpu.nrips || decode_assists != svm_cpu.decode_assists ||
		   leaf.ebx != svm_cpu.nasids) {
		log_err("svm: CPU %u's SVM features differ from the boot CPU's",
			this_cpu()->cpu_id);
		return -ENODEV;
	}
	return 0;
}

/* VM_CR.SVMDIS set never gets here: the backend is not chosen then
 * (svm_missing() in arch/x86/cpu_caps.c, checked on each CPU). The host
 * save area and host VMCB are this CPU's (struct percpu); svm_cpu keeps
 * the boot CPU's, which the vCPUs run on. */
int svm_cpu_enable(void)
{
	struct percpu *pc = this_cpu();
	int err = read_svm_caps(pc->cpu_id == 0);

	if (err)
		return err;
	pc->virt_region = pages_alloc(1);
	pc->host_vmcb = pages_alloc(1);
	if (!pc->virt_region || !pc->host_vmcb)
		return -ENOMEM;
	if (pc->cpu_id == 0) {
		svm_cpu.host_save_area = pc->virt_region;
		svm_cpu.host_vmcb = pc->host_vmcb;
	}
	/* VMRUN/#VMEXIT switch DR6, DR7 and (with VMLOAD/VMSAVE) the
	 * SYSCALL MSRs; the rest is switched lazily. */
	guest_state_cpu_init(&(struct guest_state_policy){ .dr6 = false,
							    .syscall_msrs = false });
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (u64)pc->virt_region);
	/* The host's FS, GS, TR, LDTR and SYSCALL MSRs are set up before
	 * this and never change: saved once here, loaded after every exit. */
	asm volatile("vmsave %%rax" : : "a"((u64)pc->host_vmcb) : "memory");
	hv_log(pc->cpu_id ? LOG_DEBUG : LOG_INFO, "svm: enabled, %u ASIDs, next-RIP "
	       "save %s, decode assists %s", svm_cpu.nasids,
	       svm_cpu.nrips ? "yes" : "no (instruction lengths decoded)",
	       svm_cpu.decode_assists ? "yes" : "no");
	return 0;
}

u32 svm_features(void)
{
	return HV_BACKEND_NPT_OR_EPT | HV_BACKEND_UNRESTRICTED |
	       (svm_cpu.nrips ? HV_BACKEND_NEXT_RIP : 0);
}
