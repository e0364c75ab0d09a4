/* Windows: VM 0 maps a range of a child's RAM into its own guest-physical
 * space (HV_EXT_MEM_WINDOW) and unmaps it again. The frames stay the
 * child's; its destruction closes every window onto it (hv/vm.c). */
#include "hv/hc.h"

int hc_vm_map_window_decode(struct hc_ctx *c)
{
	const struct hv_vm_window *a = &c->in.hv_vm_window;
	int err;

	if (!flags_known(a->flags, HV_WINDOW_READONLY) || a->reserved ||
	    a->reserved1 || a->vm_gpa % PAGE_SIZE)
		return -EINVAL;
	if ((err = vm_check_window(c->vm, a->gpa, a->length)))
		return err;
	if ((err = hc_child_vm(a->vm, &c->target)))
		return err;
	if (!vm_is_ram(c->target, a->vm_gpa, a->length))
		return -EFAULT; /* not all of it is the child's RAM */
	return vm_window_free(c->vm) ? 0 : -ENOSPC;
}

s64 hc_vm_map_window_invoke(struct hc_ctx *c)
{
	const struct hv_vm_window *a = &c->in.hv_vm_window;
	struct vm_window *w = vm_window_free(c->vm); /* found by decode */

	w->gpa = a->gpa;
	w->len = a->length;
	return vm_window_map(c->vm, w, c->target, a->vm_gpa,
			     a->flags & HV_WINDOW_READONLY); /* 0 or -ENOMEM */
}

int hc_vm_unmap_window_decode(struct hc_ctx *c)
{
	const struct hv_vm_window *a = &c->in.hv_vm_window;
	struct vm_window *w;
	int err;

	if (a->flags || a->reserved || a->reserved1 || a->vm_gpa || a->length)
		return -EINVAL;
	if ((err = hc_child_vm(a->vm, &c->target)))
		return err;
	w = vm_window_at(c->vm, a->gpa);
	return w && w->child == a->vm ? 0 : -ENOENT;
}

s64 hc_vm_unmap_window_invoke(struct hc_ctx *c)
{
	vm_window_unmap(c->vm, vm_window_at(c->vm, c->in.hv_vm_window.gpa));
	return 0;
}
