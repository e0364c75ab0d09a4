/* hv.efi's small runtime: console output through ConOut (formatted by
 * the hypervisor's own hv_vsnprintf), the failure path, bookkeeping of
 * the pages taken (so a failed start gives them back), and reading files
 * from the partition hv.efi came from. */
#include "boot/efi/loader.h"
#include "drivers/debugcon.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "lib/verdict.h"

EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;
EFI_HANDLE efi_image;
bool efi_boot_services_gone;

#define FAIL_WAIT_SECONDS 10
#define READ_CHUNK (1024 * 1024)
#define MAX_ALLOCS (BOOT_MODULES_MAX + 16)

static EFI_FILE_HANDLE fs_root;

struct alloc {
	u64 addr;
	u64 pages;
};

static struct alloc allocs[MAX_ALLOCS];
static u32 nallocs;

/* --- memory -------------------------------------------------------------- */

EFI_STATUS pages_alloc(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type, u64 pages,
		       u64 *addr)
{
	EFI_STATUS s = efi_bs->AllocatePages(how, type, pages, (EFI_PHYSICAL_ADDRESS *)addr);

	if (s == EFI_SUCCESS && nallocs < MAX_ALLOCS)
		allocs[nallocs++] = (struct alloc){ *addr, pages };
	return s;
}

EFI_STATUS pages_below_4g(u64 bytes, const char *what, u64 *addr)
{
	u64 pages = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
	EFI_STATUS s;

	*addr = 4 * GIB - 1;
	s = pages_alloc(AllocateMaxAddress, EfiLoaderData, pages, addr);
	if (s != EFI_SUCCESS)
		return fail(s, "out of memory", "no room below 4 GiB for %s (%llu KiB): %s",
			    what, (unsigned long long)(bytes / 1024), efi_status_name(s));
	memset((void *)(uintptr_t)*addr, 0, pages * PAGE_SIZE);
	return EFI_SUCCESS;
}

static void pages_free_all(void)
{
	for (; nallocs; nallocs--)
		efi_bs->FreePages(allocs[nallocs - 1].addr, allocs[nallocs - 1].pages);
}

/* --- console ------------------------------------------------------------ */

/* The formatted text as UCS-2 with CR LF line ends, in one OutputString. */
static void con_vprintf(const char *fmt, va_list ap)
{
	char line[768];
	CHAR16 wide[2 * sizeof(line)];
	size_t n = 0;

	if (!efi_st || !efi_st->ConOut)
		return;
	hv_vsnprintf(line, sizeof(line), fmt, ap);
	for (const char *s = line; *s; s++) {
		if (*s == '\n')
			wide[n++] = L'\r';
		wide[n++] = (CHAR16)(u8)*s;
	}
	wide[n] = 0;
	efi_st->ConOut->OutputString(efi_st->ConOut, wide);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

const char *efi_status_name(EFI_STATUS s)
{
	static const char *const names[] = {
		[1] = "Load Error", [2] = "Invalid Parameter",
		[3] = "Unsupported", [4] = "Bad Buffer Size",
		[5] = "Buffer Too Small", [6] = "Not Ready",
		[7] = "Device Error", [8] = "Write Protected",
		[9] = "Out of Resources", [10] = "Volume Corrupted",
		[11] = "Volume Full", [12] = "No Media",
		[13] = "Media Changed", [14] = "Not Found",
		[15] = "Access Denied", [16] = "No Response",
		[17] = "No Mapping", [18] = "Timeout",
		[19] = "Not Started", [20] = "Already Started",
		[21] = "Aborted", [22] = "ICMP Error", [23] = "TFTP Error",
		[24] = "Protocol Error", [25] = "Incompatible Version",
		[26] = "Security Violation", [27] = "CRC Error",
		[28] = "End of Media", [31] = "End of File",
		[32] = "Invalid Language", [33] = "Compromised Data",
	};
	u64 code = s & ~EFI_ERROR_MASK;

	if (!EFI_ERROR(s))
		return s == EFI_SUCCESS ? "Success" : "Warning";
	return code < ARRAY_SIZE(names) && names[code] ? names[code] : "Unknown Error";
}

/* Gives a human time to read an error before the firmware moves on (it
 * may clear the screen): a key press or FAIL_WAIT_SECONDS. */
static void wait_for_reader(void)
{
	EFI_INPUT_KEY key;

	con_printf("hv.efi: press a key to return to the firmware "
		   "(it continues by itself in %u seconds)\n", FAIL_WAIT_SECONDS);
	for (u32 tenths = 0; tenths < FAIL_WAIT_SECONDS * 10; tenths++) {
		if (efi_st->ConIn &&
		    efi_st->ConIn->ReadKeyStroke(efi_st->ConIn, &key) == EFI_SUCCESS)
			return;
		efi_bs->Stall(100 * 1000); /* a tenth of a second, in microseconds */
	}
}

EFI_STATUS fail(EFI_STATUS status, const char *what, const char *fmt, ...)
{
	va_list ap;

	con_printf("hv.efi: error: ");
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
	con_printf("\nHV-RESULT: FAIL hv.efi: %s\n", what);
	/* "HV-VERDICT: FAIL hv.efi: <what>" on port 0xE9, the channel test
	 * runners take the verdict from (lib/verdict.h). */
	debugcon_puts("\n" VERDICT_DEBUGCON_MARK "FAIL hv.efi: ");
	debugcon_puts(what);
	debugcon_putc('\n');
	if (!efi_boot_services_gone) {
		wait_for_reader();
		pages_free_all();
	}
	return EFI_ERROR(status) ? status : EFI_LOAD_ERROR;
}

/* --- files --------------------------------------------------------------- */

EFI_STATUS fs_init(EFI_LOADED_IMAGE **li)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
	EFI_STATUS s = efi_bs->HandleProtocol(efi_image, &li_guid, (void **)li);

	if (s == EFI_SUCCESS)
		s = efi_bs->HandleProtocol((*li)->DeviceHandle, &sfs_guid, (void **)&sfs);
	if (s == EFI_SUCCESS)
		s = sfs->OpenVolume(sfs, &fs_root);
	return s;
}

/* Opens the file and tells its size and whether it is a directory; on
 * failure nothing is left open. */
EFI_STATUS file_open(const char *path, EFI_FILE_HANDLE *f, u64 *size, bool *is_dir)
{
	EFI_GUID info_guid = EFI_FILE_INFO_ID;
	u64 buf[(SIZE_OF_EFI_FILE_INFO + 2 * 1024) / 8 + 1];
	EFI_FILE_INFO *info = (EFI_FILE_INFO *)buf;
	UINTN len = sizeof(buf);
	CHAR16 wpath[EFI_CFG_PATH_MAX * 2];
	size_t n = 0;
	EFI_STATUS s;

	for (; *path; path++) {
		if (n + 1 >= ARRAY_SIZE(wpath))
			return EFI_BAD_BUFFER_SIZE;
		wpath[n++] = (CHAR16)(u8)*path;
	}
	wpath[n] = 0;
	s = fs_root->Open(fs_root, f, wpath, EFI_FILE_MODE_READ, 0);
	if (s != EFI_SUCCESS)
		return s;
	s = (*f)->GetInfo(*f, &info_guid, &len, info);
	if (s != EFI_SUCCESS) {
		(*f)->Close(*f);
		return s;
	}
	*size = info->FileSize;
	*is_dir = info->Attribute & EFI_FILE_DIRECTORY;
	return EFI_SUCCESS;
}

/* In chunks: some firmware fails reads of many megabytes at once. */
EFI_STATUS file_read(EFI_FILE_HANDLE f, void *buf, u64 size)
{
	EFI_STATUS s = EFI_SUCCESS;
	u8 *p = buf;

	while (size && s == EFI_SUCCESS) {
		UINTN n = MIN(size, (u64)READ_CHUNK);

		s = f->Read(f, &n, p);
		if (s == EFI_SUCCESS && n == 0)
			s = EFI_END_OF_FILE; /* shorter than its size said */
		p += n;
		size -= n;
	}
	f->Close(f);
	return s;
}
