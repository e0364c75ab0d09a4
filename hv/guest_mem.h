/* Reaching a guest's memory the way its vCPU sees it: linear addresses
 * translated through the guest's own page tables, then guest-physical
 * addresses through the VM's stage-2 mappings. */
#ifndef HV_GUEST_MEM_H
#define HV_GUEST_MEM_H

#include "hv/vm.h"

enum guest_access_result {
	GUEST_OK = 0,
	GUEST_PAGE_FAULT,  /* the guest's own tables forbid it: inject #PF */
	GUEST_NOT_RAM,     /* a guest-physical address outside the VM's RAM */
	GUEST_NOT_CANONICAL, /* long mode, not canonical: the CPU raises #GP
			      * (#SS for the stack), never #PF */
};

struct guest_fault {
	u64 address; /* faulting linear (PAGE_FAULT) or guest-physical address */
	u32 error;   /* #PF error code for PAGE_FAULT */
};

/* Copies len bytes from/to the guest linear address gva; `s` is the
 * vCPU's current state (its paging registers and CPL). A write is
 * all or nothing: every page is translated before the first byte is
 * stored, so a fault leaves guest memory as it was. */
enum guest_access_result guest_read_linear_state(struct vcpu *v,
						 const struct guest_sregs *s,
						 u64 gva, void *dst, u64 len,
						 bool fetch, struct guest_fault *fault);

enum guest_access_result guest_write_linear_state(struct vcpu *v,
						  const struct guest_sregs *s,
						  u64 gva, const void *src, u64 len,
						  struct guest_fault *fault);

/* Where the hypervisor reads the len bytes an instruction fetch at gva
 * reads, when they lie in one page of RAM: through the vCPU's cached
 * walk while that still holds (the same paging registers and CPL, and
 * every table entry it read unchanged), else after a fresh walk. NULL
 * when they cross a page or cannot be fetched. */
const u8 *guest_fetch_ptr(struct vcpu *v, const struct guest_sregs *s, u64 gva, u32 len);

#endif
