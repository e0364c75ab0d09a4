#include "hv/symbols.h"
#include "lib/printf.h"

extern const struct ksym ksyms_table[];
extern const u64 ksyms_count;
extern const u8 _text_end[];

const char *symbol_lookup_in(const struct ksym *tab, u64 n, u64 end, u64 addr,
			     u64 *offset)
{
	u64 lo = 0, hi = n;

	if (!n || addr < tab[0].addr || addr >= end)
		return NULL;
	/* find the last entry with tab[i].addr <= addr */
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (tab[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - tab[lo].addr;
	return tab[lo].name;
}

void symbol_format(u64 addr, char *buf, size_t len)
{
	u64 off;
	const char *name = symbol_lookup_in(ksyms_table, ksyms_count,
					    (u64)_text_end, addr, &off);

	if (name)
		hv_snprintf(buf, len, "%s+0x%llx", name, (unsigned long long)off);
	else
		hv_snprintf(buf, len, "?");
}
