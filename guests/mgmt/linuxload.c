/* A Linux child: a bzImage loaded through the Linux boot protocol. The
 * protocol's arithmetic is linux_boot.c's (pure); this file copies its
 * pieces into the child: the protected-mode kernel, the initrd (straight
 * from the boot module hvctl sees in its own memory), the zero page with
 * the PC memory map of e820.c, the command line, the boot GDT and the
 * identity map, then sets vCPU 0 at the 64-bit entry. */
#include "guests/mgmt/mgmt.h"
#include "guests/mgmt/linux_boot.h"
#include "guests/mgmt/pc.h"

/* The child's e820 map in linux_boot.c's terms: a PC child's (with its
 * ACPI tables), else a PC's map without tables; the entry count. */
static u32 linux_map(const struct child *c, struct linux_e820 *out)
{
	static struct e820_map built;
	const struct e820_map *m = &built;

	if (c->pc)
		m = &c->pc->e820;
	else if (e820_build(&built, c->mem, 0, 0))
		return 0;
	for (u32 i = 0; i < m->n; i++)
		out[i] = (struct linux_e820){ m->e[i].addr, m->e[i].size, m->e[i].type };
	return m->n;
}

/* The boot data below 1 MiB: zero page, GDT, page tables, command line. */
static long copy_boot_data(const struct child *c, const struct linux_image *li,
			   const struct linux_layout *lay, const struct linux_e820 *map,
			   u32 n, const char *cmdline, const struct linux_entry *e)
{
	static u8 zp[PAGE_SIZE];
	static u64 pt[LINUX_PT_PAGES_MAX * 512];
	long r;

	linux_zero_page(zp, li, lay, map, n);
	linux_page_tables(pt, lay);
	if ((r = child_copy(c->id, lay->zero_page, zp, sizeof(zp))) ||
	    (r = child_copy(c->id, lay->page_tables, pt, lay->pt_pages * PAGE_SIZE)) ||
	    (r = child_copy(c->id, lay->gdt, e->gdt, sizeof(e->gdt))))
		return r;
	return child_copy(c->id, lay->cmdline, cmdline, strlen(cmdline) + 1);
}

static long copy_images(const struct child *c, const struct linux_image *li,
			const struct linux_layout *lay, const struct hv_boot_module *initrd)
{
	long r = child_copy(c->id, lay->kernel, li->data + li->kernel_offset, li->kernel_size);

	if (r || !initrd)
		return r;
	return child_copy(c->id, lay->initrd, (const void *)initrd->gpa, initrd->size);
}

int linux_load(struct child *c, const struct linux_image *li,
	       const struct hv_boot_module *initrd, const char *cmdline,
	       char *err, size_t len)
{
	static struct linux_e820 map[E820_MAX];
	static struct linux_layout lay;
	static struct linux_entry e;
	u32 n = linux_map(c, map);
	long r;

	if (!n) {
		hv_snprintf(err, len, "no PC memory map for %llu bytes", (unsigned long long)c->mem);
		return -1;
	}
	if (linux_place(&lay, li, map, n, strlen(cmdline), initrd ? initrd->size : 0, err, len))
		return -1;
	linux_entry_state(&e, &lay);
	if ((r = copy_images(c, li, &lay, initrd)) ||
	    (r = copy_boot_data(c, li, &lay, map, n, cmdline, &e))) {
		hv_snprintf(err, len, "copying the kernel and its boot data: %s", err_name(r));
		return -1;
	}
	c->format = "linux, 64-bit boot protocol";
	c->entry = e.rip;
	if ((r = entry_linux(c->id, &e))) {
		hv_snprintf(err, len, "entry state: %s", err_name(r));
		return -1;
	}
	return 0;
}
