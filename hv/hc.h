/* The hypercall handlers' shared context and helpers (hv/hc_*.c). */
#ifndef HV_HC_H
#define HV_HC_H

#include "abi/hv_abi.h"
#include "lib/errno.h"
#include "hv/uaccess.h"
#include "hv/vm.h"

#define HC_TRACE_MAX 512

struct hc_ctx {
	struct vcpu *vcpu;
	struct vm *vm;      /* the caller's VM */
	u64 arg;            /* RDI: the struct's guest-physical address */
	struct gmem mem;    /* the caller's memory */
	u8 trace_bytes[HC_TRACE_MAX]; /* the struct as copied in or out */
	u32 trace_len;
};

typedef s64 (*hc_fn)(struct hc_ctx *c);

void hc_ctx_init_mem(struct hc_ctx *c);

/* copy_struct_in / copy_struct_out at RDI, remembering the bytes for the
 * tracer. */
int hc_copy_in(struct hc_ctx *c, void *dst, u32 known, u32 first);
int hc_copy_out(struct hc_ctx *c, void *src, u32 full, u32 min);

/* Copies in a struct that begins {size, flags, vm, reserved} (no flags
 * defined) and finds the child VM it names. */
int hc_decode_vm_target(struct hc_ctx *c, void *a, u32 known, u32 first, struct vm **vm);

/* Whether [gpa, gpa+len) is all RAM of vm (page by page), for checks a
 * decoder makes before anything happens. */
bool hc_range_is_ram(struct vm *vm, u64 gpa, u64 len, bool write);

/* The child VM (never VM 0) or vCPU a management call names. */
int hc_child_vm(u32 id, struct vm **out);
int hc_child_vcpu(u32 vm_id, u32 vcpu_id, struct vcpu **out);

s64 hc_abi_version(struct hc_ctx *c);
s64 hc_info(struct hc_ctx *c);
s64 hc_check_extension(struct hc_ctx *c);
s64 hc_feature(struct hc_ctx *c);
s64 hc_console_write(struct hc_ctx *c);
s64 hc_vm_create(struct hc_ctx *c);
s64 hc_vm_destroy(struct hc_ctx *c);
s64 hc_vm_add_memory(struct hc_ctx *c);
s64 hc_vm_copy(struct hc_ctx *c);
s64 hc_vcpu_create(struct hc_ctx *c);
s64 hc_vcpu_get_regs(struct hc_ctx *c);
s64 hc_vcpu_set_regs(struct hc_ctx *c);
s64 hc_vcpu_run(struct hc_ctx *c);
s64 hc_stats(struct hc_ctx *c);

#endif
