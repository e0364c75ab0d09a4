/* The PC memory map of a child (see e820.h). */
#include "guests/mgmt/e820.h"
#include "lib/errno.h"
#include "lib/string.h"

static void add(struct e820_map *m, u64 addr, u64 end, u32 type)
{
	if (end > addr)
		m->e[m->n++] = (struct e820_entry){ addr, end - addr, type };
}

/* Gives [base, base + size) the type within the one entry holding it,
 * splitting that entry into up to three. */
static int carve(struct e820_map *m, u64 base, u64 size, u32 type)
{
	for (u32 i = 0; i < m->n; i++) {
		struct e820_entry old = m->e[i];
		u64 end = old.addr + old.size;
		u32 tail = m->n - i - 1;
		u32 pieces;

		if (base < old.addr || base + size > end)
			continue;
		pieces = (base > old.addr) + 1 + (base + size < end);
		if (m->n + pieces - 1 > E820_MAX)
			return -EINVAL;
		memmove(&m->e[i + pieces], &m->e[i + 1], tail * sizeof(m->e[0]));
		m->n = i;
		add(m, old.addr, base, old.type);
		add(m, base, base + size, type);
		add(m, base + size, end, old.type);
		m->n += tail;
		return 0;
	}
	return -EINVAL;
}

int e820_build(struct e820_map *m, u64 ram_bytes, u64 acpi_base, u32 acpi_size)
{
	u64 low_end = MIN(ram_bytes, PC_LOW_RAM_END);

	if (!ram_bytes || ram_bytes > ~0ULL - PC_HIGH_RAM || acpi_base > ~0ULL - acpi_size)
		return -EINVAL;
	m->n = 0;
	add(m, 0, MIN(ram_bytes, PC_EBDA_BASE), E820_RAM);
	add(m, PC_EBDA_BASE, PC_EBDA_END, E820_RESERVED);
	add(m, PC_BIOS_AREA, PC_HIGH_MEMORY, E820_RESERVED);
	add(m, PC_HIGH_MEMORY, low_end, E820_RAM);
	if (ram_bytes > PC_LOW_RAM_END)
		add(m, PC_HIGH_RAM, PC_HIGH_RAM + ram_bytes - PC_LOW_RAM_END, E820_RAM);
	return acpi_size ? carve(m, acpi_base, acpi_size, E820_ACPI) : 0;
}

/* KiB of RAM from addr on, through adjacent RAM entries. */
static u32 ram_kb_from(const struct e820_map *m, u64 addr)
{
	u64 end = addr;

	for (u32 i = 0; i < m->n; i++)
		if (m->e[i].type == E820_RAM && m->e[i].addr == end)
			end += m->e[i].size;
	return (u32)MIN((end - addr) >> 10, 0xffffffffULL);
}

u32 e820_mem_lower_kb(const struct e820_map *m)
{
	return ram_kb_from(m, 0);
}

u32 e820_mem_upper_kb(const struct e820_map *m)
{
	return ram_kb_from(m, PC_HIGH_MEMORY);
}

u32 e820_to_boot_params(const struct e820_map *m, void *out, u32 max)
{
	u8 *p = out;
	u32 n = MIN(m->n, max);

	for (u32 i = 0; i < n; i++, p += E820_BOOT_ENTRY_LEN) {
		memcpy(p, &m->e[i].addr, 8);
		memcpy(p + 8, &m->e[i].size, 8);
		memcpy(p + 16, &m->e[i].type, 4);
	}
	return n;
}

u32 e820_to_multiboot(const struct e820_map *m, void *out, u32 cap)
{
	const u32 size = E820_MB1_ENTRY_LEN - 4;
	u8 *p = out;
	u32 n = MIN(m->n, cap / E820_MB1_ENTRY_LEN);

	for (u32 i = 0; i < n; i++, p += E820_MB1_ENTRY_LEN) {
		memcpy(p, &size, 4);
		memcpy(p + 4, &m->e[i].addr, 8);
		memcpy(p + 12, &m->e[i].size, 8);
		memcpy(p + 20, &m->e[i].type, 4);
	}
	return n * E820_MB1_ENTRY_LEN;
}
