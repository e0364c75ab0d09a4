/* The MADT (ACPI 6.5, 5.2.12): the RSDP's checksums, the XSDT or RSDT
 * walked for the table signed "APIC", its checksum, then its processor
 * entries: local APIC (type 0) and local x2APIC (type 9), each with the
 * Enabled and Online Capable flags, and the 64-bit local APIC address
 * override (type 5). */
#include "drivers/acpi_madt.h"
#include "lib/string.h"
#include "lib/unaligned.h"

#define RSDP_V1_SIZE 20
#define RSDP_V2_SIZE 36
#define RSDP_REVISION 15
#define RSDP_RSDT 16
#define RSDP_XSDT 24
#define SDT_HEADER_SIZE 36
#define SDT_LENGTH 4
#define SDT_MAX_SIZE (1u << 20)
#define MADT_LAPIC_ADDR 36
#define MADT_ENTRIES 44

#define MADT_TYPE_LAPIC 0
#define MADT_TYPE_LAPIC_OVERRIDE 5
#define MADT_TYPE_X2APIC 9
#define MADT_ENABLED BIT(0)
#define MADT_ONLINE_CAPABLE BIT(1)
#define XAPIC_ID_NONE 0xff

static bool sums_to_zero(const u8 *p, u32 len)
{
	u8 sum = 0;

	for (u32 i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* The root table's address and entry size, or why the RSDP is unusable. */
static const char *rsdp_root(const u8 *rsdp, u32 len, u64 *root, u32 *entry_size)
{
	if (len < RSDP_V1_SIZE || memcmp(rsdp, "RSD PTR ", 8))
		return "no RSDP";
	if (!sums_to_zero(rsdp, RSDP_V1_SIZE))
		return "the RSDP's checksum is wrong";
	if (rsdp[RSDP_REVISION] >= 2 && len >= RSDP_V2_SIZE && get64(rsdp + RSDP_XSDT)) {
		if (!sums_to_zero(rsdp, RSDP_V2_SIZE))
			return "the RSDP's extended checksum is wrong";
		*root = get64(rsdp + RSDP_XSDT);
		*entry_size = 8;
		return NULL;
	}
	*root = get32(rsdp + RSDP_RSDT);
	*entry_size = 4;
	return *root ? NULL : "the RSDP names no RSDT";
}

/* A whole system description table at pa with a good checksum, or NULL
 * with *why set. */
static const u8 *map_table(u64 pa, acpi_map_fn map, void *ctx, u32 *len,
			   const char **why)
{
	const u8 *h = map(pa, SDT_HEADER_SIZE, ctx);

	*why = "a table lies outside mapped memory";
	if (!h)
		return NULL;
	*len = get32(h + SDT_LENGTH);
	if (*len < SDT_HEADER_SIZE || *len > SDT_MAX_SIZE) {
		*why = "a table's length is out of range";
		return NULL;
	}
	if (!(h = map(pa, *len, ctx)))
		return NULL;
	if (!sums_to_zero(h, *len)) {
		*why = "a table's checksum is wrong";
		return NULL;
	}
	return h;
}

/* The MADT among the root table's entries, or NULL with *why set. */
static const u8 *find_madt(const u8 *root, u32 root_len, u32 entry_size,
			   acpi_map_fn map, void *ctx, u32 *len, const char **why)
{
	for (u32 off = SDT_HEADER_SIZE; off + entry_size <= root_len; off += entry_size) {
		u64 pa = entry_size == 8 ? get64(root + off) : get32(root + off);
		const u8 *h = pa ? map(pa, SDT_HEADER_SIZE, ctx) : NULL;

		if (h && !memcmp(h, "APIC", 4))
			return map_table(pa, map, ctx, len, why);
	}
	*why = "no MADT in the root table";
	return NULL;
}

const char *madt_read(const u8 *rsdp, u32 rsdp_len, acpi_map_fn map, void *ctx,
		      struct madt_info *out)
{
	const u8 *root, *madt;
	const char *why;
	u64 root_pa;
	u32 entry_size, root_len, len;

	if ((why = rsdp_root(rsdp, rsdp_len, &root_pa, &entry_size)))
		return why;
	if (!(root = map_table(root_pa, map, ctx, &root_len, &why)))
		return why;
	if (memcmp(root, entry_size == 8 ? "XSDT" : "RSDT", 4))
		return "the root table's signature is wrong";
	if (!(madt = find_madt(root, root_len, entry_size, map, ctx, &len, &why)))
		return why;
	return madt_parse(madt, len, out);
}

/* Counts one processor entry's APIC id by its flags. */
static void add_cpu(struct madt_info *out, u32 apic_id, u32 flags)
{
	if (!(flags & MADT_ENABLED)) {
		if (flags & MADT_ONLINE_CAPABLE)
			out->online_capable++;
		else
			out->disabled++;
		return;
	}
	for (u32 i = 0; i < out->count; i++)
		if (out->apic_ids[i] == apic_id)
			return; /* listed as both xAPIC and x2APIC */
	if (out->count == MADT_CPUS_MAX)
		out->dropped++;
	else
		out->apic_ids[out->count++] = apic_id;
}

/* One entry of `len` bytes (at least 2); NULL or what is wrong with it. */
static const char *parse_entry(const u8 *e, u32 len, struct madt_info *out)
{
	switch (e[0]) {
	case MADT_TYPE_LAPIC:
		if (len < 8)
			return "a local APIC entry is too short";
		if (e[3] != XAPIC_ID_NONE)
			add_cpu(out, e[3], get32(e + 4));
		break;
	case MADT_TYPE_X2APIC:
		if (len < 16)
			return "a local x2APIC entry is too short";
		add_cpu(out, get32(e + 4), get32(e + 8));
		break;
	case MADT_TYPE_LAPIC_OVERRIDE:
		if (len < 12)
			return "a local APIC address override is too short";
		out->lapic_base = get64(e + 4);
		break;
	}
	return NULL;
}

const char *madt_parse(const u8 *madt, u32 len, struct madt_info *out)
{
	const char *why;
	u32 off;

	memset(out, 0, sizeof(*out));
	if (len < MADT_ENTRIES)
		return "the MADT is shorter than its header";
	out->lapic_base = get32(madt + MADT_LAPIC_ADDR);
	for (off = MADT_ENTRIES; off + 2 <= len; off += madt[off + 1]) {
		if (madt[off + 1] < 2 || madt[off + 1] > len - off)
			return "a MADT entry runs past the table's end";
		if ((why = parse_entry(madt + off, madt[off + 1], out)))
			return why;
	}
	if (off != len)
		return "a MADT entry runs past the table's end";
	return out->count ? NULL : "the MADT lists no enabled processor";
}
