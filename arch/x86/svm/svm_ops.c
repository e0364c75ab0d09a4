/* AMD SVM: the ops table the core uses, the top of the backend: it
 * names every file's entry points, and none of them comes back here. */
#include "arch/x86/svm/svm.h"

const struct virt_ops svm_ops = {
	.features = svm_features,
	.name = "svm",
	.cpu_enable = svm_cpu_enable,
	.vm_init = svm_vm_init,
	.vm_destroy = svm_vm_destroy,
	.vcpu_create = svm_vcpu_create,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_run = svm_vcpu_run,
	.get_sregs = svm_get_sregs,
	.get_fetch_sregs = svm_get_fetch_sregs,
	.set_sregs = svm_set_sregs,
	.guest_cpl = svm_guest_cpl,
	.guest_cr0 = svm_guest_cr0,
	.guest_cr4 = svm_guest_cr4,
	.inject_event = svm_inject_event,
	.dump = svm_dump,
};
