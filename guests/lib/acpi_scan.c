/* The RSDP scan and the RSDT walk (acpi_scan.h). */
#include "guests/lib/acpi_scan.h"
#include "lib/string.h"

#define BIOS_AREA 0xe0000u
#define BIOS_AREA_END 0x100000u
#define RSDP_V1_LEN 20
#define RSDP_RSDT 16
#define SDT_LEN 4
#define SDT_HEADER_LEN 36

u32 acpi_rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

bool acpi_sum_ok(const u8 *p, u32 len)
{
	u8 s = 0;

	for (u32 i = 0; i < len; i++)
		s += p[i];
	return s == 0;
}

const u8 *acpi_find_rsdp(void)
{
	for (u32 a = BIOS_AREA; a < BIOS_AREA_END; a += 16) {
		const u8 *p = (const u8 *)(u64)a;

		if (!memcmp(p, "RSD PTR ", 8) && acpi_sum_ok(p, RSDP_V1_LEN))
			return p;
	}
	return NULL;
}

const u8 *acpi_find_table(const u8 *rsdp, const char *sig)
{
	const u8 *rsdt = (const u8 *)(u64)acpi_rd32(rsdp + RSDP_RSDT);
	u32 len = acpi_rd32(rsdt + SDT_LEN);

	if (memcmp(rsdt, "RSDT", 4) || !acpi_sum_ok(rsdt, len))
		return NULL;
	for (u32 off = SDT_HEADER_LEN; off + 4 <= len; off += 4) {
		const u8 *t = (const u8 *)(u64)acpi_rd32(rsdt + off);

		if (!memcmp(t, sig, 4) && acpi_sum_ok(t, acpi_rd32(t + SDT_LEN)))
			return t;
	}
	return NULL;
}
