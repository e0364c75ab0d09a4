/* What the VMX and SVM backends program the same way: the guest's reset
 * values, the exceptions that always exit, the segment slot order, the
 * event-information word, exit-code tables and guest TLB tags. */
#ifndef ARCH_X86_VENDOR_COMMON_H
#define ARCH_X86_VENDOR_COMMON_H

#include "hv/virt.h"

/* The guest's PAT at reset: WB, WT, UC-, UC, twice. */
#define GUEST_DEFAULT_PAT 0x0007040600070406ULL

/* #UD: VMCALL on AMD and VMMCALL on Intel arrive as #UD. #DB and #AC: a
 * guest can make their delivery fault again forever inside the CPU
 * (XSA-156), so each goes through an exit and is reflected. */
#define GUEST_EXCEPTION_EXITS (BIT(1) | BIT(6) | BIT(17))

/* Segment slots ES, CS, SS, DS, FS, GS, LDTR, TR: the order of the
 * VMCS segment fields, which the SVM backend follows for the VMCB. */
enum { GUEST_SEG_SLOTS = 8 };

/* Offsets, not pointers: a constant table, nothing built per call (the
 * segments are read on every exit that decodes an instruction). */
static inline struct segment *guest_sregs_slot(struct guest_sregs *s, u32 slot)
{
	static const u16 offsets[GUEST_SEG_SLOTS] = {
		offsetof(struct guest_sregs, es), offsetof(struct guest_sregs, cs),
		offsetof(struct guest_sregs, ss), offsetof(struct guest_sregs, ds),
		offsetof(struct guest_sregs, fs), offsetof(struct guest_sregs, gs),
		offsetof(struct guest_sregs, ldtr), offsetof(struct guest_sregs, tr),
	};

	return (struct segment *)((u8 *)s + offsets[slot]);
}

/* The event-information word of VMX (entry/exit interruption and
 * IDT-vectoring information) and SVM (EVENTINJ, EXITINTINFO bits 31:0):
 * vector in 7:0, type (enum event_type) in 10:8, error code valid in 11,
 * valid in 31. */
#define EVENT_INFO_ERROR_VALID BIT(11)
#define EVENT_INFO_VALID BIT(31)
static inline u32 event_info_type(u32 info)
{
	return (info >> 8) & 7;
}
u32 event_info_encode(const struct event *e);
void event_info_decode(u32 info, struct event *e);

/* One hardware exit code and the reason the core sees for it. */
struct exit_code_map {
	u32 code;
	enum exit_reason reason;
};

/* EXIT_UNKNOWN for a code the map does not list. */
enum exit_reason exit_code_lookup(const struct exit_code_map *map, u32 n, u64 code);

/* Guest TLB tags (VPID, ASID) from a bitmap; tag 0 is the host's, so 0
 * means none left below `limit`. */
u32 tag_alloc(u8 *used, u32 limit);
void tag_free(u8 *used, u32 tag);

#endif
