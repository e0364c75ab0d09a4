/* Pieces the VMX and SVM backends share (see vendor_common.h). */
#include "arch/x86/vendor_common.h"

u32 event_info_encode(const struct event *e)
{
	return e->vector | ((u32)e->type << 8) | EVENT_INFO_VALID |
	       (e->has_error ? EVENT_INFO_ERROR_VALID : 0);
}

void event_info_decode(u32 info, struct event *e)
{
	e->vector = info & 0xff;
	e->type = event_info_type(info);
	e->has_error = info & EVENT_INFO_ERROR_VALID;
	e->error = 0;
	e->insn_len = 0;
}

enum exit_reason exit_code_lookup(const struct exit_code_map *map, u32 n, u64 code)
{
	for (u32 i = 0; i < n; i++) {
		if (map[i].code == code)
			return map[i].reason;
	}
	return EXIT_UNKNOWN;
}

u32 tag_alloc(u8 *used, u32 limit)
{
	for (u32 t = 1; t < limit; t++) {
		if (!(used[t / 8] & (1u << (t % 8)))) {
			used[t / 8] |= 1u << (t % 8);
			return t;
		}
	}
	return 0;
}

void tag_free(u8 *used, u32 tag)
{
	used[tag / 8] &= ~(1u << (tag % 8));
}
