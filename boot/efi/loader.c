/* hv.efi: boots the hypervisor straight from UEFI firmware.
 *
 * Reads hv.cfg next to itself (boot/efi/config.h has the format), loads
 * the modules it names into pages below 4 GiB and the hypervisor image
 * it carries at the image's fixed addresses, collects what the
 * hypervisor wants to know into a struct boot_info (command line,
 * modules, ACPI RSDP, GOP framebuffer, the EFI memory map), exits boot
 * services and jumps to the image's 64-bit UEFI entry, which ends in
 * hv_main() like the multiboot2 path. Until ExitBootServices every
 * problem is reported on the firmware console, with what was expected,
 * and hv.efi returns to the firmware with an error status after giving
 * back every page it took. */
#include "boot/efi/handoff.h"
#include "boot/efi/loader.h"
#include "boot/efi_memtype.h"
#include "lib/printf.h"
#include "lib/string.h"

#define CR4_LA57 BIT(12)
#define EXIT_ATTEMPTS 8
#define MEMMAP_SLACK_DESCS 32 /* room for the map to grow before the exit */

typedef __noreturn void (*hv_entry_fn)(u64 magic, u64 info, u64 size);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* Everything big, in pages of its own rather than on the firmware's
 * stack or in hv.efi's file (gnu-efi has no .bss). */
struct loader {
	struct efi_cfg cfg;
	struct boot_info bi;
	char dir[EFI_CFG_PATH_MAX];	      /* hv.efi's directory */
	char cfg_path[EFI_CFG_PATH_MAX + 16];
	char path[EFI_CFG_PATH_MAX * 2];      /* a resolved module path */
	char err[200];
	u8 cfg_file[EFI_CFG_FILE_MAX];
};

static u64 read_cr4(void)
{
	u64 v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* The directory of hv.efi's own file from its loaded-image device path
 * (its file-path nodes, concatenated). False if there is none or it is
 * not plain ASCII. */
static bool image_dir(const EFI_LOADED_IMAGE *li, char *dir, size_t len)
{
	char path[EFI_CFG_PATH_MAX * 2];
	size_t n = 0;
	EFI_DEVICE_PATH *dp = li->FilePath;

	while (dp && !IsDevicePathEnd(dp)) {
		size_t nodelen = DevicePathNodeLength(dp);
		const CHAR16 *name;

		if (nodelen < 4)
			return false;
		if (DevicePathType(dp) == MEDIA_DEVICE_PATH &&
		    DevicePathSubType(dp) == MEDIA_FILEPATH_DP) {
			name = ((const FILEPATH_DEVICE_PATH *)dp)->PathName;
			if (n && path[n - 1] != '\\' && name[0] != '\\' && n + 1 < sizeof(path))
				path[n++] = '\\';
			for (size_t i = 0; i < (nodelen - 4) / 2 && name[i]; i++) {
				if (name[i] < 0x20 || name[i] >= 0x7f || n + 1 >= sizeof(path))
					return false;
				path[n++] = name[i] == '/' ? '\\' : (char)name[i];
			}
		}
		dp = NextDevicePathNode(dp);
	}
	path[n] = '\0';
	return n && efi_cfg_dirname(path, dir, len);
}

static EFI_STATUS read_config(struct loader *L)
{
	struct efi_cfg *cfg = &L->cfg;
	EFI_FILE_HANDLE f;
	enum efi_cfg_status st;
	EFI_STATUS s;
	bool is_dir;
	u64 size;

	hv_snprintf(L->cfg_path, sizeof(L->cfg_path), "%s\\%s", L->dir, EFI_CFG_FILE_NAME);
	s = file_open(L->cfg_path, &f, &size, &is_dir);
	if (s != EFI_SUCCESS)
		return fail(s, s == EFI_NOT_FOUND ? "no configuration file" :
			    "cannot read the configuration file",
			    "cannot open %s: %s. hv.efi reads it from its own "
			    "directory; expected ASCII lines like\n"
			    "  cmdline=loglevel=info\n"
			    "  module=\\EFI\\hv\\vm0.elf VM 0's command line\n"
			    "(the first module is VM 0's kernel)", L->cfg_path,
			    efi_status_name(s));
	if (is_dir || size > EFI_CFG_FILE_MAX) {
		f->Close(f);
		return fail(EFI_BAD_BUFFER_SIZE, "bad configuration file",
			    "%s is %s; a configuration file of at most %u bytes was "
			    "expected", L->cfg_path, is_dir ? "a directory" : "too large",
			    EFI_CFG_FILE_MAX);
	}
	s = file_read(f, L->cfg_file, size);
	if (s != EFI_SUCCESS)
		return fail(s, "cannot read the configuration file", "cannot read %s: %s",
			    L->cfg_path, efi_status_name(s));
	st = efi_cfg_parse(L->cfg_file, size, cfg, L->err, sizeof(L->err));
	if (st != EFI_CFG_OK)
		return fail(EFI_LOAD_ERROR, "bad configuration file", "%s: %s",
			    L->cfg_path, L->err);
	con_printf("hv.efi: %s%s: %u module(s)\n", L->cfg_path,
		   cfg->encoding == EFI_CFG_UTF16LE ? " (UTF-16LE)" : "",
		   cfg->module_count);
	if (!cfg->module_count)
		con_printf("hv.efi: warning: no module= line: the hypervisor will "
			   "have no VM 0 to run\n");
	return EFI_SUCCESS;
}

/* Module i: the file into zeroed pages below 4 GiB (the hypervisor
 * reaches them through its boot identity map). */
static EFI_STATUS load_module(struct loader *L, u32 i)
{
	const struct efi_cfg_module *m = &L->cfg.modules[i];
	struct boot_module *bm = &L->bi.modules[i];
	EFI_FILE_HANDLE f;
	EFI_STATUS s;
	bool is_dir;
	u64 size, addr;

	if (!efi_cfg_resolve(L->dir, m->path, L->path, EFI_CFG_PATH_MAX))
		return fail(EFI_BAD_BUFFER_SIZE, "bad configuration file",
			    "%s line %u: module path %s is too long under %s",
			    L->cfg_path, m->line, m->path, L->dir);
	s = file_open(L->path, &f, &size, &is_dir);
	if (s != EFI_SUCCESS)
		return fail(s, s == EFI_NOT_FOUND ? "module not found" : "cannot read a module",
			    "%s line %u: cannot open module %u, %s: %s. Expected a "
			    "file on this partition (a path starting with '\\' is "
			    "from its root, others from %s)", L->cfg_path, m->line,
			    i, L->path, efi_status_name(s), L->dir[0] ? L->dir : "\\");
	if (is_dir || !size || size >= 2 * GIB) {
		f->Close(f);
		return fail(EFI_LOAD_ERROR, "bad module",
			    "%s line %u: module %u, %s, is %s; expected a kernel "
			    "or data file", L->cfg_path, m->line, i, L->path,
			    is_dir ? "a directory" : !size ? "empty" : "2 GiB or larger");
	}
	s = pages_below_4g(size, L->path, &addr);
	if (s != EFI_SUCCESS) {
		f->Close(f);
		return s;
	}
	s = file_read(f, (void *)(uintptr_t)addr, size);
	if (s != EFI_SUCCESS)
		return fail(s, "cannot read a module", "cannot read module %u, %s: %s",
			    i, L->path, efi_status_name(s));
	bm->start = addr;
	bm->end = addr + size;
	memcpy(bm->string, m->string, sizeof(bm->string));
	con_printf("hv.efi: module %u %s: %llu bytes at 0x%llx '%s'\n", i, L->path,
		   (unsigned long long)size, (unsigned long long)addr, bm->string);
	return EFI_SUCCESS;
}

/* The memory map, ExitBootServices (again with a fresh map while the key
 * goes stale), then the jump. From the first ExitBootServices call on,
 * only GetMemoryMap and ExitBootServices may be used, so the map's buffer
 * is sized with slack before. */
static EFI_STATUS exit_and_enter(struct loader *L, u64 entry)
{
	UINTN size = 0, key, dsize = 0;
	UINT32 dver;
	u64 buf_size, addr;
	EFI_STATUS s;
	u8 *map;

	s = efi_bs->GetMemoryMap(&size, NULL, &key, &dsize, &dver);
	if (s != EFI_BUFFER_TOO_SMALL || dsize < EFI_MEMDESC_MIN_SIZE)
		return fail(s == EFI_BUFFER_TOO_SMALL ? EFI_UNSUPPORTED : s,
			    "no memory map", "GetMemoryMap: %s, descriptor size %llu "
			    "(at least %u expected)", efi_status_name(s),
			    (unsigned long long)dsize, EFI_MEMDESC_MIN_SIZE);
	buf_size = ALIGN_UP(size + MEMMAP_SLACK_DESCS * dsize, PAGE_SIZE);
	s = pages_below_4g(buf_size, "the memory map", &addr);
	if (s != EFI_SUCCESS)
		return s;
	map = (u8 *)(uintptr_t)addr;
	con_printf("hv.efi: exiting boot services, entering the hypervisor at 0x%llx\n",
		   (unsigned long long)entry);
	for (u32 attempt = 1; attempt <= EXIT_ATTEMPTS; attempt++) {
		size = buf_size;
		s = efi_bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)map, &key,
					 &dsize, &dver);
		if (s == EFI_SUCCESS)
			s = efi_bs->ExitBootServices(efi_image, key);
		if (s == EFI_SUCCESS) {
			asm volatile("cli" ::: "memory");
			fw_convert_memmap(&L->bi, map, size, dsize);
			((hv_entry_fn)(uintptr_t)entry)(EFI_HANDOFF_BOOT_MAGIC,
							(u64)(uintptr_t)&L->bi,
							sizeof(L->bi));
		}
		if (s != EFI_INVALID_PARAMETER) /* not a stale map key */
			break;
	}
	efi_boot_services_gone = true;
	return fail(s, "ExitBootServices failed", "ExitBootServices failed: %s",
		    efi_status_name(s));
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li;
	u64 entry;
	struct loader *L;
	u64 state;
	EFI_STATUS s;

	efi_st = systab;
	efi_bs = systab->BootServices;
	efi_image = image;
	con_printf("hv.efi: microhypervisor UEFI loader\n");
	if (read_cr4() & CR4_LA57)
		return fail(EFI_UNSUPPORTED, "5-level paging is active",
			    "the firmware runs with 5-level paging (CR4.LA57); "
			    "the hypervisor needs 4-level paging");
	/* Below 4 GiB: the boot_info in it is read by the hypervisor's entry
	 * through its boot identity map, which covers only that much. */
	s = pages_below_4g(sizeof(*L), "the loader's state", &state);
	if (s != EFI_SUCCESS)
		return s;
	L = (struct loader *)(uintptr_t)state;
	s = fs_init(&li);
	if (s != EFI_SUCCESS)
		return fail(s, "cannot read the boot partition",
			    "cannot open the file system hv.efi was loaded from: %s",
			    efi_status_name(s));
	if (!image_dir(li, L->dir, sizeof(L->dir))) {
		hv_strlcpy(L->dir, "\\EFI\\BOOT", sizeof(L->dir));
		con_printf("hv.efi: warning: cannot tell which directory hv.efi "
			   "is in; looking in %s\n", L->dir);
	}

	if ((s = read_config(L)) != EFI_SUCCESS)
		return s;
	if ((s = hv_image_load(&entry)) != EFI_SUCCESS)
		return s;
	for (u32 i = 0; i < L->cfg.module_count; i++)
		if ((s = load_module(L, i)) != EFI_SUCCESS)
			return s;

	L->bi.module_count = L->cfg.module_count;
	memcpy(L->bi.cmdline, L->cfg.cmdline, sizeof(L->bi.cmdline));
	fw_loader_name(&L->bi);
	fw_find_rsdp(&L->bi);
	fw_find_framebuffer(&L->bi);
	L->bi.efi_system_table = (u64)(uintptr_t)systab;
	L->bi.efi_image_handle = (u64)(uintptr_t)image;
	con_printf("hv.efi: command line '%s'\n", L->bi.cmdline);
	return exit_and_enter(L, entry);
}
