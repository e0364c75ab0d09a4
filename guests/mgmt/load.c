/* Making a child: the VM and its vCPUs in the hypervisor, the image
 * copied in from a boot module, the boot information, the entry state.
 *
 * Kinds of images, in this order:
 *   bzImage (Linux)            64-bit long mode at the boot protocol's
 *                              64-bit entry, RSI = the zero page, with
 *                              its initrd; nothing below is written
 *   ELF64                      64-bit long mode, RDI = struct hv_boot_info,
 *                              RSI = the child's VM id
 *   multiboot (v1) header      32-bit protected mode, paging off,
 *                              EAX = 0x2BADB002, EBX = multiboot info
 *   ELF32 without that header  32-bit protected mode, paging off,
 *                              EAX = HV_BOOT_MAGIC, EBX = hv_boot_info
 * Child-physical layout: hvctl's stack, GDT, page tables and
 * hv_boot_info at the top of conventional memory (CHILD_AREA, mgmt.h);
 * the image anywhere else in the PC's RAM; multiboot's information where
 * QEMU puts it (multiboot.c); a bzImage's boot data and kernel where
 * linux_boot.h places them. */
#include "guests/mgmt/mgmt.h"
#include "guests/mgmt/pc.h"

static int write_hv_boot_info(struct child *c, const char *cmdline, char *err, size_t len)
{
	static struct hv_boot_info info;
	long r;

	memset(&info, 0, sizeof(info));
	info.magic = HV_BOOT_MAGIC;
	info.size = sizeof(info);
	info.memmap_count = c->mem > PC_LOW_RAM_END ? 2 : 1;
	info.memmap[0] = (struct hv_boot_mem_range){ 0, MIN(c->mem, PC_LOW_RAM_END),
						     HV_BOOT_MEM_RAM, 0 };
	if (info.memmap_count == 2) /* the rest from 4 GiB (create.c) */
		info.memmap[1] = (struct hv_boot_mem_range){ PC_HIGH_RAM, c->mem - PC_LOW_RAM_END,
							     HV_BOOT_MEM_RAM, 0 };
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

static int load_mb1(struct child *c, struct image *img, long hdr, const struct mb1_boot *b,
		    char *err, size_t len)
{
	if (mb1_load(c, img, hdr, err, len) || mb1_write_info(c, img, b, err, len))
		return -1;
	c->format = "multiboot, 32-bit";
	c->entry = img->entry;
	return set_entry(entry_protected_mode(c->id, img->entry, MB1_BOOT_MAGIC, CHILD_MB_INFO),
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

/* The kernel and the boot data linux_boot.c builds, copied where it
 * placed them. */
static long copy_linux(struct child *c, const struct linux_image *li,
		       const struct linux_layout *lay, const struct linux_entry *e,
		       const struct e820_map *map, const char *cmdline,
		       const struct hv_boot_module *initrd)
{
	static u8 zp[4096];
	static u64 pt[LINUX_PT_PAGES_MAX * 512];
	long r;

	linux_zero_page(zp, li, lay, map);
	linux_page_tables(pt, lay);
	if ((r = child_copy(c->id, lay->kernel, li->data + li->kernel_offset,
			    li->kernel_size)) ||
	    (r = child_copy(c->id, lay->zero_page, zp, sizeof(zp))) ||
	    (r = child_copy(c->id, lay->cmdline, cmdline, strlen(cmdline) + 1)) ||
	    (r = child_copy(c->id, lay->gdt, e->gdt, sizeof(e->gdt))))
		return r;
	if ((r = child_copy(c->id, lay->page_tables, pt, lay->pt_pages * PAGE_SIZE)) || !initrd)
		return r;
	return child_copy(c->id, lay->initrd, (const void *)initrd->gpa, initrd->size);
}

const struct e820_map *child_memory_map(const struct child *c)
{
	static struct e820_map map;

	if (c->pc)
		return &c->pc->e820;
	e820_build(&map, c->mem, 0, 0);
	return &map;
}

/* Linux takes the arguments alone, without the module name multiboot
 * kernels get first. */
static const char *linux_args(const char *cmdline)
{
	while (*cmdline && *cmdline != ' ')
		cmdline++;
	while (*cmdline == ' ')
		cmdline++;
	return cmdline;
}

static int load_linux(struct child *c, struct image *img,
		      const struct hv_boot_module *initrd, const char *cmdline,
		      char *err, size_t len)
{
	static struct linux_image li;
	static struct linux_layout lay;
	static struct linux_entry e;
	const struct e820_map *map = child_memory_map(c);
	long r;

	cmdline = linux_args(cmdline);
	if (linux_parse(&li, img->data, img->size, err, len) ||
	    linux_place(&lay, &li, map, strlen(cmdline), initrd ? initrd->size : 0, err, len))
		return -1;
	linux_entry_state(&e, &lay);
	if ((r = copy_linux(c, &li, &lay, &e, map, cmdline, initrd))) {
		hv_snprintf(err, len, "copying the kernel and its boot data: %s", err_name(r));
		return -1;
	}
	c->format = "linux, 64-bit";
	c->entry = e.rip;
	return set_entry(entry_linux(c->id, &e), "entry state", err, len);
}

int child_load(struct child *c, const struct hv_boot_module *m,
	       const struct hv_boot_module *initrd, const struct mb1_boot *b,
	       char *err, size_t len)
{
	const char *cmdline = b->cmdline;
	struct image img = { (const u8 *)m->gpa, m->size, 0, 0, 0 };
	char elf_err[96];
	u8 bits = 0;
	long hdr = mb1_find_header(&img), r;
	bool elf;

	if (b->nmods && hdr < 0) {
		hv_snprintf(err, len, "modules= is for a multiboot kernel");
		return -1;
	}
	if (linux_is_bzimage(img.data, img.size))
		return load_linux(c, &img, initrd, cmdline, err, len);
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
	if (hdr >= 0)
		return load_mb1(c, &img, hdr, b, err, len);
	if (elf)
		return load_elf32(c, &img, cmdline, err, len);
	hv_snprintf(err, len, "not an ELF, multiboot or Linux kernel (%s)", elf_err);
	return -1;
}
