#include "hv/insn.h"
#include "arch/x86/seg_addr.h"
#include "lib/errno.h"
#include "hv/guest_mem.h"
#include "hv/uaccess.h"

/* The linear address of CS:RIP. */
static u64 code_linear(const struct vcpu *v, const struct guest_sregs *s)
{
	if (seg_code_mode(s) == CPU_MODE_64)
		return v->regs.rip;
	return (u32)(s->cs.base + v->regs.rip);
}

/* Reads as many of the INSN_MAX_LEN bytes as are readable, page by page. */
int insn_fetch_state(struct vcpu *v, const struct guest_sregs *s, u8 bytes[INSN_MAX_LEN],
		     int *len)
{
	u64 linear = code_linear(v, s);
	struct guest_fault fault;
	int got, chunk;

	for (got = 0; got < INSN_MAX_LEN; got += chunk) {
		chunk = page_chunk(linear + got, INSN_MAX_LEN - got);
		if (guest_read_linear_state(v, s, linear + got, bytes + got, chunk, true,
					    &fault) != GUEST_OK)
			break;
	}
	*len = got ? insn_length(bytes, got, seg_code_mode(s)) : -EFAULT;
	return got;
}

/* The unprefixed encodings of the instructions whose exits carry no
 * length without NRIPS, by exit reason: a length byte, then the bytes.
 * A hypercall is VMMCALL (0F 01 D9) or VMCALL (0F 01 C1). A prefixed
 * form or another instruction at RIP needs the decoder. */
#define INSN_FIXED_MAX 3
static const u8 fixed_insns[][1 + INSN_FIXED_MAX] = {
	[EXIT_CPUID] = { 2, 0x0f, 0xa2 },
	[EXIT_HLT] = { 1, 0xf4 },
	[EXIT_HYPERCALL] = { 3, 0x0f, 0x01, 0xd9 },
	[EXIT_XSETBV] = { 3, 0x0f, 0x01, 0xd1 },
};

static bool is_hypercall(const u8 *b)
{
	return b[0] == 0x0f && b[1] == 0x01 && (b[2] == 0xc1 || b[2] == 0xd9);
}

/* The INSN_FIXED_MAX bytes at CS:RIP in place, or NULL when they
 * cross a page (the decoder's fetch reads across) or cannot be read. */
static const u8 *fixed_bytes(struct vcpu *v)
{
	struct guest_sregs s;

	virt->get_fetch_sregs(v, &s);
	return guest_fetch_ptr(v, &s, code_linear(v, &s), INSN_FIXED_MAX);
}

/* The decoder's length of the instruction at RIP, its bytes in `bytes`. */
static __attribute__((noinline)) int decoded_length(struct vcpu *v, u8 bytes[INSN_MAX_LEN])
{
	struct guest_sregs s;
	int len;

	virt->get_sregs(v, &s);
	insn_fetch_state(v, &s, bytes, &len);
	return len;
}

bool insn_at_rip_is_hypercall(struct vcpu *v)
{
	const u8 *at = fixed_bytes(v);
	u8 bytes[INSN_MAX_LEN];

	if (at)
		return is_hypercall(at);
	/* across a page */
	return decoded_length(v, bytes) == INSN_HYPERCALL_LEN && is_hypercall(bytes);
}

/* The length of the instruction at RIP when it is the unprefixed form
 * `reason` implies, else 0. */
static int fixed_length(struct vcpu *v, enum exit_reason reason)
{
	const u8 *bytes;
	int len;

	if ((u32)reason >= ARRAY_SIZE(fixed_insns) || !(len = fixed_insns[reason][0]) ||
	    !(bytes = fixed_bytes(v)))
		return 0;
	if (reason == EXIT_HYPERCALL)
		return is_hypercall(bytes) ? len : 0;
	for (int i = 0; i < len; i++) {
		if (bytes[i] != fixed_insns[reason][1 + i])
			return 0;
	}
	return len;
}

bool insn_next_rip_decoded(struct vcpu *v, const struct vm_exit *exit, u64 *next)
{
	int len = fixed_length(v, exit->reason);
	u8 bytes[INSN_MAX_LEN];

	if (!len)
		len = decoded_length(v, bytes);
	if (len <= 0) {
		vm_stop(v->vm, HV_EXIT_FAILED, "cannot decode the instruction at rip 0x%llx",
			(unsigned long long)v->regs.rip);
		return false;
	}
	*next = v->regs.rip + len;
	return true;
}

