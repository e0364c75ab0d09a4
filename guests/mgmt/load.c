/* Making a child: the VM and its vCPUs in the hypervisor, the image
 * copied in from a boot module, the boot information, the entry state.
 *
 * Kinds of images, in this order:
 *   Linux bzImage              the 64-bit boot protocol (linuxload.c),
 *                              with its initrd; nothing below is written
 *   ELF64                      64-bit long mode, RDI = struct hv_boot_info
 *   multiboot (v1) header      32-bit protected mode, paging off,
 *                              EAX = 0x2BADB002, EBX = multiboot info
 *   ELF32 without that header  32-bit protected mode, paging off,
 *                              EAX = HV_BOOT_MAGIC, EBX = hv_boot_info
 * Child-physical layout: GDT 0x1000, page tables 0x2000-0x7fff, boot
 * information 0x8000, stack below 0x80000, the image from 1 MiB. */
#include "guests/mgmt/mgmt.h"
#include "guests/mgmt/linux_boot.h"

static int write_hv_boot_info(struct child *c, const char *cmdline, char *err, size_t len)
{
	static struct hv_boot_info info;
	long r;

	memset(&info, 0, sizeof(info));
	info.magic = HV_BOOT_MAGIC;
	info.size = sizeof(info);
	info.memmap_count = 1;
	info.memmap[0] = (struct hv_boot_mem_range){ 0, c->mem, HV_BOOT_MEM_RAM, 0 };
	hv_strlcpy(info.cmdline, cmdline, sizeof(info.cmdline));
	r = child_copy(c->id, CHILD_INFO, &info, sizeof(info));
	if (r)
		hv_snprintf(err, len, "copying the boot information: %s", err_name(r));
	return r ? -1 : 0;
}

static int set_entry(long r, const char *what, char *err, size_t len)
{
	if (!r)
		return 0;
	hv_snprintf(err, len, "%s: %s%s", what, err_name(r),
		    r == -HV_EINVAL && !(disc.backend.features & HV_BACKEND_UNRESTRICTED)
			    ? " (paging-off guests need unrestricted guest support)" : "");
	return -1;
}

static int load_elf64(struct child *c, struct image *img, const char *cmdline,
		      char *err, size_t len)
{
	if (elf_copy(c, img, err, len) || write_hv_boot_info(c, cmdline, err, len))
		return -1;
	c->format = "elf64, long mode";
	c->entry = img->entry;
	return set_entry(entry_long_mode(c->id, img->entry, CHILD_INFO), "entry state", err, len);
}

static int load_mb1(struct child *c, struct image *img, long hdr, const char *cmdline,
		    char *err, size_t len)
{
	if (mb1_load(c, img, hdr, err, len) || mb1_write_info(c, cmdline, err, len))
		return -1;
	c->format = "multiboot, 32-bit";
	c->entry = img->entry;
	return set_entry(entry_protected_mode(c->id, img->entry, MB1_BOOT_MAGIC, CHILD_INFO),
			 "entry state", err, len);
}

static int load_elf32(struct child *c, struct image *img, const char *cmdline,
		      char *err, size_t len)
{
	if (elf_copy(c, img, err, len) || write_hv_boot_info(c, cmdline, err, len))
		return -1;
	c->format = "elf32, 32-bit";
	c->entry = img->entry;
	return set_entry(entry_protected_mode(c->id, img->entry, HV_BOOT_MAGIC, CHILD_INFO),
			 "entry state", err, len);
}

/* A kernel's command line is its arguments alone: the module name that
 * leads hvctl's command line (multiboot's kernel path) is dropped. */
static const char *linux_cmdline(const char *cmdline)
{
	while (*cmdline && *cmdline != ' ')
		cmdline++;
	return *cmdline ? cmdline + 1 : cmdline;
}

/* The Linux boot protocol when the image has a setup header; 1 when it
 * has none (not Linux: the other loaders try). */
static int try_linux(struct child *c, const struct hv_boot_module *m,
		     const struct hv_boot_module *initrd, const char *cmdline,
		     char *err, size_t len)
{
	static struct linux_image li;
	char why[96];

	if (m->size < LINUX_HEADER + 4 || memcmp((const u8 *)m->gpa + LINUX_HEADER, "HdrS", 4))
		return 1;
	if (linux_parse(&li, (const void *)m->gpa, m->size, why, sizeof(why))) {
		hv_snprintf(err, len, "a bzImage this loader cannot boot: %s", why);
		return -1;
	}
	return linux_load(c, &li, initrd, linux_cmdline(cmdline), err, len);
}

int child_load(struct child *c, const struct hv_boot_module *m,
	       const struct hv_boot_module *initrd, const char *cmdline,
	       char *err, size_t len)
{
	struct image img = { (const u8 *)m->gpa, m->size, 0, 0 };
	char elf_err[96];
	u8 bits = 0;
	long hdr, r;
	bool elf;
	int lx = try_linux(c, m, initrd, cmdline, err, len);

	if (lx <= 0)
		return lx;
	if (initrd) {
		hv_snprintf(err, len, "initrd= is for a Linux kernel (a bzImage)");
		return -1;
	}
	if ((r = entry_tables(c->id))) {
		hv_snprintf(err, len, "copying the GDT and page tables: %s", err_name(r));
		return -1;
	}
	elf = !elf_probe(&img, &bits, elf_err, sizeof(elf_err));
	if (elf && bits == 64)
		return load_elf64(c, &img, cmdline, err, len);
	if ((hdr = mb1_find_header(&img)) >= 0)
		return load_mb1(c, &img, hdr, cmdline, err, len);
	if (elf)
		return load_elf32(c, &img, cmdline, err, len);
	hv_snprintf(err, len, "not an ELF or multiboot kernel (%s)", elf_err);
	return -1;
}
