/* What the firmware knows that the hypervisor needs: the ACPI RSDP from
 * the configuration table, the GOP framebuffer, a name for the log, and
 * the memory map, converted as boot/mb2.c converts multiboot2's copy of
 * it (boot/efi_memtype.h). */
#include "boot/efi/loader.h"
#include "boot/efi_memtype.h"
#include "lib/printf.h"
#include "lib/string.h"

#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u

static bool rsdp_checksum_ok(const u8 *p, u32 len)
{
	u8 sum = 0;

	for (u32 i = 0; i < len; i++)
		sum = (u8)(sum + p[i]);
	return sum == 0;
}

/* Copies the RSDP at p if it is one; `from_v2` says which GUID it was
 * listed under. Some firmware lists a revision-0 RSDP under the ACPI 2.0
 * GUID: it is taken as the 1.0 structure it is. */
static bool take_rsdp(struct boot_info *bi, const u8 *p, bool from_v2)
{
	u32 len = from_v2 && p[15] >= 2 ? RSDP_V2_LEN : RSDP_V1_LEN; /* revision */

	if (memcmp(p, "RSD PTR ", 8) || !rsdp_checksum_ok(p, RSDP_V1_LEN)) {
		con_printf("hv.efi: warning: the ACPI %s table entry is not a valid "
			   "RSDP, ignored\n", from_v2 ? "2.0" : "1.0");
		return false;
	}
	if (!rsdp_checksum_ok(p, len)) {
		con_printf("hv.efi: warning: the ACPI 2.0 RSDP's extended "
			   "checksum is wrong, ignored\n");
		return false;
	}
	memset(bi->rsdp, 0, sizeof(bi->rsdp));
	memcpy(bi->rsdp, p, len);
	bi->rsdp_length = len;
	bi->rsdp_revision = len == RSDP_V2_LEN ? 2 : 1;
	return true;
}

/* The ACPI 2.0+ table is preferred; the 1.0 one is the fallback. */
void fw_find_rsdp(struct boot_info *bi)
{
	EFI_GUID guids[] = { ACPI_20_TABLE_GUID, ACPI_TABLE_GUID };
	const EFI_CONFIGURATION_TABLE *t = efi_st->ConfigurationTable;

	for (u32 k = 0; k < ARRAY_SIZE(guids); k++) {
		const u8 *p = NULL;

		for (UINTN i = 0; !p && i < efi_st->NumberOfTableEntries; i++)
			if (!memcmp(&t[i].VendorGuid, &guids[k], sizeof(guids[k])))
				p = t[i].VendorTable;
		if (p && take_rsdp(bi, p, k == 0))
			return;
	}
	con_printf("hv.efi: warning: the firmware lists no ACPI RSDP\n");
}

/* The current GOP mode, if there is a linear framebuffer. */
void fw_find_framebuffer(struct boot_info *bi)
{
	EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *mi;
	const EFI_PIXEL_BITMASK *pm;
	u32 mask;
	u8 bpp;

	if (efi_bs->LocateProtocol(&gop_guid, NULL, (void **)&gop) != EFI_SUCCESS ||
	    !gop->Mode || !gop->Mode->Info)
		return;
	mi = gop->Mode->Info;
	pm = &mi->PixelInformation;
	mask = pm->RedMask | pm->GreenMask | pm->BlueMask | pm->ReservedMask;
	if (mi->PixelFormat == PixelBitMask) /* whole bytes up to the highest bit used */
		bpp = mask ? (u8)ALIGN_UP(32 - __builtin_clz(mask), 8) : 0;
	else /* RGB or BGR with 8 bits per colour; PixelBltOnly has no framebuffer */
		bpp = mi->PixelFormat < PixelBitMask ? 32 : 0;
	if (!bpp || !gop->Mode->FrameBufferBase)
		return;
	bi->fb.addr = gop->Mode->FrameBufferBase;
	bi->fb.width = mi->HorizontalResolution;
	bi->fb.height = mi->VerticalResolution;
	bi->fb.pitch = mi->PixelsPerScanLine * (bpp / 8);
	bi->fb.bpp = bpp;
	bi->fb.type = FB_RGB;
}

/* "hv.efi (UEFI 2.70, EDK II)": what the hypervisor logs as the loader. */
void fw_loader_name(struct boot_info *bi)
{
	char vendor[32];
	size_t n = 0;
	u32 rev = efi_st->Hdr.Revision;
	const CHAR16 *v = efi_st->FirmwareVendor;

	for (; v && *v && n + 1 < sizeof(vendor); v++)
		vendor[n++] = *v >= 0x20 && *v < 0x7f ? (char)*v : '?';
	vendor[n] = '\0';
	hv_snprintf(bi->loader_name, sizeof(bi->loader_name),
		    "hv.efi (UEFI %u.%u%s%s)", rev >> 16, rev & 0xffff,
		    n ? ", " : "", vendor);
}

void fw_convert_memmap(struct boot_info *bi, const u8 *map, u64 map_size,
		       u64 desc_size)
{
	bi->memmap_source = MEMMAP_EFI; /* the map is empty so far */
	for (u64 off = 0; desc_size <= map_size - off; off += desc_size) {
		const u8 *d = map + off;
		u32 type = efi_mem_type(*(const u32 *)(d + EFI_MEMDESC_TYPE_OFF));
		u64 base = *(const u64 *)(d + EFI_MEMDESC_PHYS_OFF);
		u64 len = efi_pages_to_bytes(*(const u64 *)(d + EFI_MEMDESC_PAGES_OFF));
		struct mem_range *last = bi->memmap_count ?
			&bi->memmap[bi->memmap_count - 1] : NULL;

		if (!len)
			continue;
		/* Firmware maps are long and fragmented by type; what the
		 * hypervisor cares about often merges. */
		if (last && last->type == type && last->base + last->length == base &&
		    len <= ~0ULL - last->length) {
			last->length += len;
			continue;
		}
		if (bi->memmap_count >= BOOT_MEMMAP_MAX) {
			bi->memmap_dropped++;
			continue;
		}
		bi->memmap[bi->memmap_count++] = (struct mem_range){
			.base = base, .length = len, .type = type,
		};
	}
}
