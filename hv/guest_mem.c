#include "hv/guest_mem.h"
#include "arch/x86/guest_walk.h"
#include "hv/errno.h"

static bool read_gpa(void *ctx, u64 gpa, void *buf, size_t len)
{
	return vm_read(ctx, gpa, buf, len);
}

static void paging_state(struct vcpu *v, struct guest_paging *p, bool *user)
{
	struct guest_sregs s;

	virt->get_sregs(v, &s);
	p->cr0 = s.cr0;
	p->cr3 = s.cr3;
	p->cr4 = s.cr4;
	p->efer = s.efer;
	*user = ((s.ss.attr >> 5) & 3) == 3;
}

/* Translates one page's worth; *gpa is the guest-physical address. */
static enum guest_access_result translate(struct vcpu *v, u64 gva,
					  enum walk_access access, u64 *gpa,
					  struct guest_fault *fault)
{
	struct guest_paging p;
	struct walk_result res;
	bool user;
	int rc;

	paging_state(v, &p, &user);
	rc = guest_walk(&p, gva, access, user, read_gpa, v->vm, &res);
	if (rc == -EIO) {
		fault->address = res.fault_gpa;
		return GUEST_NOT_RAM;
	}
	if (rc) {
		fault->address = gva;
		fault->error = res.pf_error;
		return GUEST_PAGE_FAULT;
	}
	*gpa = res.gpa;
	return GUEST_OK;
}

static enum guest_access_result copy_linear(struct vcpu *v, u64 gva, u8 *buf,
					    u64 len, enum walk_access access,
					    struct guest_fault *fault)
{
	while (len) {
		u64 chunk = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
		enum guest_access_result r;
		bool ok;
		u64 gpa;

		r = translate(v, gva, access, &gpa, fault);
		if (r != GUEST_OK)
			return r;
		ok = access == WALK_WRITE ? vm_write(v->vm, gpa, buf, chunk) :
					    vm_read(v->vm, gpa, buf, chunk);
		if (!ok) {
			fault->address = gpa;
			return GUEST_NOT_RAM;
		}
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return GUEST_OK;
}

enum guest_access_result guest_read_linear(struct vcpu *v, u64 gva, void *dst,
					   u64 len, bool fetch,
					   struct guest_fault *fault)
{
	return copy_linear(v, gva, dst, len, fetch ? WALK_FETCH : WALK_READ, fault);
}

enum guest_access_result guest_write_linear(struct vcpu *v, u64 gva,
					    const void *src, u64 len,
					    struct guest_fault *fault)
{
	return copy_linear(v, gva, (u8 *)src, len, WALK_WRITE, fault);
}
