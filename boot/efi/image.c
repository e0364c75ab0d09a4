/* The hypervisor image hv.efi carries (build/hv.elf, debug information
 * stripped, in .data by hv_image.S): validated with the hypervisor's own
 * ELF parser, loaded at the fixed physical addresses it was linked for
 * (AllocateAddress), .bss zeroed, and its UEFI entry found through the
 * struct efi_handoff it carries (boot/efi/handoff.h). */
#include "boot/efi/handoff.h"
#include "boot/efi/loader.h"
#include "lib/elf.h"
#include "lib/string.h"

extern const u8 hv_elf_image[], hv_elf_image_end[];

#define BOOT_MAP_LIMIT (4 * GIB) /* what the entry's page tables cover */

static int copy_segment(void *ctx, u64 paddr, const u8 *src, u64 filesz,
			u64 memsz)
{
	(void)ctx;
	memcpy((void *)(uintptr_t)paddr, src, filesz);
	memset((void *)(uintptr_t)(paddr + filesz), 0, memsz - filesz);
	return 0;
}

/* The one struct efi_handoff in [lo, hi) that says it lives where it
 * was found. */
static const struct efi_handoff *find_handoff(u64 lo, u64 hi)
{
	for (u64 a = lo; a + sizeof(struct efi_handoff) <= hi; a += 16) {
		const struct efi_handoff *h = (const void *)(uintptr_t)a;

		if (!memcmp(h->magic, EFI_HANDOFF_MAGIC, EFI_HANDOFF_MAGIC_LEN) &&
		    h->self == a)
			return h;
	}
	return NULL;
}

static EFI_STATUS check_handoff(const struct efi_handoff *h, u64 lo, u64 hi,
				u64 *entry)
{
	if (!h)
		return fail(EFI_UNSUPPORTED, "hypervisor image has no UEFI entry",
			    "the embedded hypervisor image has no UEFI entry "
			    "(no struct efi_handoff): it was built without "
			    "boot/efi_entry.S and boot/efi_main.c");
	if (h->version != EFI_HANDOFF_VERSION ||
	    h->boot_info_size != sizeof(struct boot_info))
		return fail(EFI_INCOMPATIBLE_VERSION, "hypervisor image does not match hv.efi",
			    "the hypervisor image speaks handoff version %u with a "
			    "%u-byte boot_info; this hv.efi version %u with %zu bytes: "
			    "rebuild both together (make efi)",
			    h->version, h->boot_info_size, EFI_HANDOFF_VERSION,
			    sizeof(struct boot_info));
	if (h->entry < lo || h->entry >= hi)
		return fail(EFI_LOAD_ERROR, "hypervisor image is corrupt",
			    "the hypervisor's UEFI entry 0x%llx lies outside its "
			    "image 0x%llx-0x%llx", (unsigned long long)h->entry,
			    (unsigned long long)lo, (unsigned long long)hi);
	*entry = h->entry;
	return EFI_SUCCESS;
}

EFI_STATUS hv_image_load(u64 *entry)
{
	u64 size = (u64)(hv_elf_image_end - hv_elf_image), lo, hi, addr;
	struct elf_info info;
	char why[96];
	EFI_STATUS s;

	if (elf_load(hv_elf_image, size, NULL, NULL, &info, why, sizeof(why)))
		return fail(EFI_LOAD_ERROR, "hypervisor image is corrupt",
			    "the embedded hypervisor image (%llu bytes) is not "
			    "loadable: %s", (unsigned long long)size, why);
	lo = ALIGN_DOWN(info.lowest_paddr, PAGE_SIZE);
	hi = ALIGN_UP(info.highest_paddr, PAGE_SIZE);
	if (info.bits != 64 || hi > BOOT_MAP_LIMIT || hi <= lo)
		return fail(EFI_LOAD_ERROR, "hypervisor image is corrupt",
			    "the hypervisor image is a %u-bit ELF spanning "
			    "0x%llx-0x%llx; expected x86-64 below 4 GiB", info.bits,
			    (unsigned long long)lo, (unsigned long long)hi);
	/* Loader code, not data: firmware that maps loader data
	 * non-executable must still let the entry run. */
	addr = lo;
	s = pages_alloc(AllocateAddress, EfiLoaderCode, (hi - lo) / PAGE_SIZE, &addr);
	if (s != EFI_SUCCESS)
		return fail(s, "hypervisor's memory is not free",
			    "cannot take 0x%llx-0x%llx for the hypervisor image, "
			    "which is linked to run there (AllocatePages: %s); the "
			    "UEFI shell's memmap command shows what holds it",
			    (unsigned long long)lo, (unsigned long long)hi,
			    efi_status_name(s));
	memset((void *)(uintptr_t)lo, 0, hi - lo);
	elf_load(hv_elf_image, size, copy_segment, NULL, &info, why, sizeof(why));
	con_printf("hv.efi: hypervisor image at 0x%llx-0x%llx\n",
		   (unsigned long long)lo, (unsigned long long)hi);
	return check_handoff(find_handoff(lo, hi), lo, hi, entry);
}
