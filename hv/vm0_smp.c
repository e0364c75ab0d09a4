/* VM 0's vCPUs on the secondary CPUs (hv/vm0_smp.h); VM 0 starts them
 * with HV_CALL_VCPU_START (hv/hc_vcpu_start.c). */
#include "hv/vm0_smp.h"
#include "hv/arch.h"
#include "hv/exit.h"
#include "hv/lock.h"
#include "hv/log.h"

void vm0_smp_create(struct vm *vm0)
{
	u32 want = MIN(arch_smp_vm_cpus(), (u32)VM_MAX_VCPUS);

	while (vm0->vcpu_count < want) {
		struct vcpu *v = vm_vcpu_create(vm0);

		if (!v) {
			log_err("vm0: out of memory for vCPU %u; VM 0 runs on %u CPUs",
				vm0->vcpu_count, vm0->vcpu_count);
			break;
		}
		v->mp_state = VCPU_MP_WAIT_SIPI; /* until HV_CALL_VCPU_START */
	}
	if (vm0->vcpu_count > 1)
		log_info("vm0: %u vCPUs, one per CPU; vCPU 0 starts, the others wait "
			 "for VM 0 to start them", vm0->vcpu_count);
}

void vm0_smp_cpu_main(void)
{
	u32 cpu = arch_cpu_id();
	struct vcpu *v = vm0_vcpu_wait_start(cpu);

	hv_lock_acquire();
	virt->set_sregs(v, vm0_vcpu_start_sregs(cpu)); /* the caller's mode: it runs */
	log_info("vm0: vCPU %u started on CPU %u at rip 0x%llx", v->id, cpu,
		 (unsigned long long)v->regs.rip);
	vcpu_run_until_stopped(v);
	hv_lock_release();
}
