/* Intel VMX: the ops table the core uses, the top of the backend: it
 * names every file's entry points, and none of them comes back here. */
#include "arch/x86/vmx/vmx.h"

const struct virt_ops vmx_ops = {
	.features = vmx_features,
	.name = "vmx",
	.cpu_enable = vmx_cpu_enable,
	.vm_init = vmx_vm_init,
	.vm_destroy = vmx_vm_destroy,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_run = vmx_vcpu_run,
	.get_sregs = vmx_get_sregs,
	.set_sregs = vmx_set_sregs,
	.guest_cpl = vmx_guest_cpl,
	.guest_cr0 = vmx_guest_cr0,
	.guest_cr4 = vmx_guest_cr4,
	.inject_event = vmx_inject_event,
	.dump = vmx_dump,
};
