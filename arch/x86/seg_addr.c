/* Segmented addressing of data operands (Intel SDM vol. 3, 3.4-3.5 and
 * 5.3-5.5; AMD APM vol. 2, 4.5-4.12 and vol. 1, 2.2 for 64-bit mode).
 *
 * 64-bit mode: the base of ES, CS, SS and DS is taken as 0, FS and GS use
 * theirs, nothing is checked against limits or types, and an address that
 * is not canonical (48 bits, or 57 with CR4.LA57) faults.
 * Other modes: base + offset, truncated to 32 bits; every byte must lie
 * within the limit (above it, for expand-down data segments); in protected
 * mode the segment must also be present (not null) and readable or
 * writable as the access needs. Real and virtual-8086 mode keep the limit
 * check only.
 *
 * Not modelled: alignment checks (#AC) and the CPL/DPL checks done when a
 * segment register is loaded. */
#include "arch/x86/seg_addr.h"
#include "arch/x86/guest_walk.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vendor_common.h"

#define RFLAGS_VM BIT(17)

#define ATTR_WRITABLE BIT(1)    /* data; readable for code */
#define ATTR_EXPAND_DOWN BIT(2) /* data */
#define ATTR_CODE BIT(3)
#define ATTR_S BIT(4)           /* code or data, not a system segment */
#define ATTR_P BIT(7)

static const struct segment *segment_of(const struct guest_sregs *s, enum seg_reg r)
{
	/* enum seg_reg numbers ES..GS in the order of the slots */
	return guest_sregs_slot((struct guest_sregs *)s, r <= SEG_GS ? r : SEG_DS);
}

static enum seg_fault fault_of(enum seg_reg r)
{
	return r == SEG_SS ? SEG_FAULT_SS : SEG_FAULT_GP;
}

static enum seg_fault linear_64(const struct guest_sregs *s,
				const struct seg_access *a, u64 *linear)
{
	bool has_base = a->seg == SEG_FS || a->seg == SEG_GS;
	u64 first = (has_base ? segment_of(s, a->seg)->base : 0) + a->offset;
	unsigned int bits = (s->cr4 & CR4_LA57) ? 57 : 48;

	if (!addr_is_canonical(first, bits) ||
	    !addr_is_canonical(first + a->size - 1, bits))
		return fault_of(a->seg);
	*linear = first;
	return SEG_FAULT_NONE;
}

static bool is_expand_down(const struct segment *sg)
{
	return (sg->attr & (ATTR_S | ATTR_CODE | ATTR_EXPAND_DOWN)) ==
	       (ATTR_S | ATTR_EXPAND_DOWN);
}

/* Every byte of [offset, offset + size) lies in the segment. */
static bool within_limit(const struct segment *sg, u64 offset, u8 size)
{
	u64 last = offset + size - 1;
	u64 top = (sg->attr & ATTR_DB) ? 0xffffffffULL : 0xffffULL;

	if (is_expand_down(sg))
		return offset > sg->limit && last <= top;
	return last <= sg->limit;
}

/* Data segments are readable, writable when W is set; code segments are
 * readable when R is set and never writable. */
static bool type_allows(const struct segment *sg, bool write)
{
	if (!(sg->attr & ATTR_P) || !(sg->attr & ATTR_S))
		return false; /* null (unusable) or a system segment */
	if (sg->attr & ATTR_CODE)
		return !write && (sg->attr & ATTR_WRITABLE);
	return !write || (sg->attr & ATTR_WRITABLE);
}

static bool is_protected_mode(const struct guest_sregs *s, u64 rflags)
{
	return (s->cr0 & CR0_PE) && !(rflags & RFLAGS_VM);
}

static enum seg_fault linear_segmented(const struct guest_sregs *s, u64 rflags,
				       const struct seg_access *a, u64 *linear)
{
	const struct segment *sg = segment_of(s, a->seg);

	if (is_protected_mode(s, rflags) && !type_allows(sg, a->write))
		return fault_of(a->seg);
	if (!within_limit(sg, a->offset, a->size))
		return fault_of(a->seg);
	*linear = (u32)(sg->base + a->offset);
	return SEG_FAULT_NONE;
}

enum seg_fault seg_linear(const struct guest_sregs *s, u64 rflags,
			  const struct seg_access *a, u64 *linear)
{
	if (seg_code_mode(s) == CPU_MODE_64)
		return linear_64(s, a, linear);
	return linear_segmented(s, rflags, a, linear);
}
