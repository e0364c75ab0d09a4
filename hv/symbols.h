/* The hypervisor's own function symbols, embedded at build time
 * (tools/gensyms.sh) so backtraces print names. */
#ifndef HV_SYMBOLS_H
#define HV_SYMBOLS_H

#include "lib/types.h"

struct ksym {
	u64 addr;
	const char *name;
};

/* Name of the function containing addr and the offset into it, or NULL
 * when addr is outside every known function of the sorted table tab[0..n)
 * (end is where the last one ends). */
const char *symbol_lookup_in(const struct ksym *tab, u64 n, u64 end, u64 addr,
			     u64 *offset);

/* Formats "name+0xoff" (or "?") into buf. */
void symbol_format(u64 addr, char *buf, size_t len);

#endif
