/* HV_CALL_VM_SET_CPUID: the CPUID table a child sees (hv/cpuid.h). */
#include "hv/hc.h"
#include "hv/log.h"
#include "lib/string.h"

/* The entries, read in once by decode and installed by invoke; guarded
 * by hv_lock (hv/lock.h), as every hypercall runs under it. */
static struct hv_cpuid_entry entries[HV_CPUID_MAX_ENTRIES];

/* Before the child's first run only: what it has seen stays true. The
 * log names the refused entry, never the host's bits. */
int hc_vm_set_cpuid_decode(struct hc_ctx *c)
{
	const struct hv_vm_set_cpuid *a = &c->in.hv_vm_set_cpuid;
	u32 refused;
	int err;

	if (a->flags || a->reserved || a->count > HV_CPUID_MAX_ENTRIES)
		return -EINVAL;
	if ((err = hc_child_vm(a->vm, &c->target)))
		return err;
	if (c->target->state != VM_CREATED)
		return -EBUSY;
	if (!gmem_read(&c->mem, a->entries, entries, a->count * sizeof(entries[0])))
		return -EFAULT;
	refused = cpuid_table_first_refused(entries, a->count);
	if (refused < a->count) {
		log_info("vm %s: cpuid entry %u (leaf 0x%x) refused", c->target->name, refused,
			 entries[refused].function);
		return -EINVAL;
	}
	return 0;
}

s64 hc_vm_set_cpuid_invoke(struct hc_ctx *c)
{
	struct cpuid_table *t = &c->target->cpuid;

	t->count = c->in.hv_vm_set_cpuid.count;
	memcpy(t->e, entries, t->count * sizeof(entries[0]));
	return 0;
}
