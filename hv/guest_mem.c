#include "hv/guest_mem.h"
#include "arch/x86/guest_walk.h"
#include "hv/uaccess.h"
#include "lib/errno.h"
#include "lib/string.h"

struct paging_view {
	struct guest_paging p;
	bool user;
};

/* The walker's reads of the vCPU's tables (ctx), recorded in its walk
 * cache so the walk can be re-validated later. Each entry (4 or 8 bytes,
 * aligned) is read once, as part of the aligned 8 bytes that hold it:
 * the cache keeps exactly what the walker saw, and a later change to
 * either half only costs a fresh walk. */
static bool read_gpa(void *ctx, u64 gpa, void *buf, size_t len)
{
	struct vcpu *v = ctx;
	struct walk_cache *c = &v->walk;
	const volatile u64 *q = vm_gpa_ptr(v->vm, gpa & ~7ULL, sizeof(u64), false);
	u64 now;

	if (!q || (gpa & 7) + len > sizeof(u64))
		return false;
	now = *q;
	memcpy(buf, (const u8 *)&now + (gpa & 7), len);
	if (c->n < WALK_CACHE_ENTRIES) {
		c->entry[c->n] = q;
		c->value[c->n] = now;
	}
	c->n++;
	return true;
}

static bool walk_cache_hit(const struct walk_cache *c, const struct paging_view *pv,
			   u64 page, enum walk_access access)
{
	if (!c->valid || c->page != page || c->access != access || c->user != pv->user ||
	    c->cr0 != pv->p.cr0 || c->cr3 != pv->p.cr3 || c->cr4 != pv->p.cr4 ||
	    c->efer != pv->p.efer)
		return false;
	for (u32 i = 0; i < c->n; i++) {
		if (*c->entry[i] != c->value[i])
			return false;
	}
	return true;
}

static void walk_cache_fill(struct vcpu *v, const struct paging_view *pv,
			    u64 page, enum walk_access access, u64 gpa_page)
{
	struct walk_cache *c = &v->walk;

	c->valid = c->n <= WALK_CACHE_ENTRIES;
	c->page = page;
	c->access = access;
	c->user = pv->user;
	c->cr0 = pv->p.cr0;
	c->cr3 = pv->p.cr3;
	c->cr4 = pv->p.cr4;
	c->efer = pv->p.efer;
	c->gpa_page = gpa_page;
	c->host_page = vm_gpa_ptr(v->vm, gpa_page, PAGE_SIZE, false);
}

/* Translates one page's worth; *gpa is the guest-physical address. */
static enum guest_access_result translate(struct vcpu *v, const struct paging_view *pv,
					  u64 gva, enum walk_access access, u64 *gpa,
					  struct guest_fault *fault)
{
	struct walk_cache *c = &v->walk;
	u64 page = gva & ~(PAGE_SIZE - 1);
	struct walk_result res;
	int rc;

	if (walk_cache_hit(c, pv, page, access)) {
		*gpa = c->gpa_page | (gva & (PAGE_SIZE - 1));
		return GUEST_OK;
	}
	c->valid = false;
	c->n = 0;
	rc = guest_walk(&pv->p, gva, access, pv->user, read_gpa, v, &res);
	if (rc) { /* -EIO: a table entry outside RAM; pf_error is 0 unless a #PF */
		fault->address = rc == -EIO ? res.fault_gpa : gva;
		fault->error = res.pf_error;
		return rc == -EIO    ? GUEST_NOT_RAM :
		       rc == -ERANGE ? GUEST_NOT_CANONICAL : GUEST_PAGE_FAULT;
	}
	*gpa = res.gpa;
	walk_cache_fill(v, pv, page, access, res.gpa & ~(PAGE_SIZE - 1));
	return GUEST_OK;
}

/* Translates every page of [gva, gva + len) and checks it is RAM; with a
 * buf, also moves each page's bytes (from buf for a write, else into it). */
static enum guest_access_result each_page(struct vcpu *v, const struct paging_view *pv,
					  u64 gva, u8 *buf, u64 len, enum walk_access access,
					  struct guest_fault *fault)
{
	bool write = access == WALK_WRITE;

	while (len) {
		u32 chunk = page_chunk(gva, len);
		enum guest_access_result r;
		u64 gpa;
		u8 *p;

		r = translate(v, pv, gva, access, &gpa, fault);
		if (r != GUEST_OK)
			return r;
		p = vm_gpa_ptr(v->vm, gpa, chunk, write);
		if (!p) {
			fault->address = gpa;
			return GUEST_NOT_RAM;
		}
		if (buf) {
			memcpy(write ? p : buf, write ? buf : p, chunk);
			buf += chunk;
		}
		gva += chunk;
		len -= chunk;
	}
	return GUEST_OK;
}

static struct paging_view paging_view_of(const struct guest_sregs *s)
{
	return (struct paging_view){ .p = { s->cr0, s->cr3, s->cr4, s->efer },
				     .user = ((s->ss.attr >> 5) & 3) == 3 }; /* CPL 3 */
}

enum guest_access_result guest_read_linear_state(struct vcpu *v,
						 const struct guest_sregs *s,
						 u64 gva, void *dst, u64 len,
						 bool fetch, struct guest_fault *fault)
{
	struct paging_view pv = paging_view_of(s);

	return each_page(v, &pv, gva, dst, len, fetch ? WALK_FETCH : WALK_READ, fault);
}

/* Every page is checked before the first byte is stored. */
enum guest_access_result guest_write_linear_state(struct vcpu *v,
						  const struct guest_sregs *s,
						  u64 gva, const void *src, u64 len,
						  struct guest_fault *fault)
{
	struct paging_view pv = paging_view_of(s);
	enum guest_access_result r = each_page(v, &pv, gva, NULL, len, WALK_WRITE, fault);

	return r == GUEST_OK ? each_page(v, &pv, gva, (u8 *)src, len, WALK_WRITE, fault) : r;
}

/* guest_fetch_ptr's walk when its cache misses: apart, so that the
 * hit path keeps the paging view in registers. */
static __attribute__((noinline)) bool fetch_walk(struct vcpu *v, const struct guest_sregs *s,
						 u64 gva)
{
	struct paging_view pv = paging_view_of(s);
	struct guest_fault fault;
	u64 gpa;

	return translate(v, &pv, gva, WALK_FETCH, &gpa, &fault) == GUEST_OK;
}

const u8 *guest_fetch_ptr(struct vcpu *v, const struct guest_sregs *s, u64 gva, u32 len)
{
	struct paging_view pv = paging_view_of(s);
	u64 page = gva & ~(PAGE_SIZE - 1);

	if (page_chunk(gva, len) != len)
		return NULL;
	if (!walk_cache_hit(&v->walk, &pv, page, WALK_FETCH) && !fetch_walk(v, s, gva))
		return NULL;
	return v->walk.host_page ? v->walk.host_page + (gva - page) : NULL;
}
