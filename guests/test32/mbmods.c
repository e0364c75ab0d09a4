/* A multiboot (v1) kernel that prints what its loader handed it: the
 * information flags, the memory sizes and map, the command line, the
 * loader's name and each module (where it sits, its size, a checksum of
 * its bytes, its string). Lines starting "mb: " must be the same under
 * hvctl (`vm create ... modules=`) and under plain QEMU (-kernel,
 * -initrd): they leave out what differs by design (the kernel's and the
 * modules' paths, the loader's name, the RAM size); "mbx: " lines show
 * those. Under QEMU (loader "qemu") it also gives the boot test its
 * verdict: HV-VERDICT on port 0xE9, HV-RESULT on COM1, exit 0x10 on
 * isa-debug-exit (QEMU's status 33); as a child it exits with 0 through
 * port 0xf4, or 2 when a check failed. */
#include "guests/test32/io32.h"
#include <stdint.h>

#define MB1_LOADER_MAGIC 0x2badb002u
#define EXIT_PORT 0xf4
#define DEBUGCON 0xe9
#define QEMU_PASS 0x10
#define PAGE 4096u

struct mb1_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
};

struct mb1_module {
	uint32_t start, end, string, reserved;
};

struct mb1_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

static int failed;

static void check(int ok, const char *what)
{
	if (!ok) {
		puts32("mb: FAILED: ");
		puts32(what);
		puts32("\n");
		failed = 1;
	}
}

/* The string after its first word: what a path leads. */
static const char *after_first_word(const char *s)
{
	while (*s && *s != ' ')
		s++;
	return *s ? s + 1 : s;
}

static void put_first_word(const char *s)
{
	while (*s && *s != ' ')
		putc32(*s++);
}

static uint32_t checksum(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void print_module(uint32_t i, const struct mb1_module *m)
{
	const char *s = (const char *)m->string;

	puts32("mb: module ");
	putdec(i);
	puts32(": ");
	puthex(m->start);
	puts32("-");
	puthex(m->end);
	puts32(m->start % PAGE ? ", not page-aligned" : ", page-aligned");
	puts32(", checksum ");
	puthex(checksum((const uint8_t *)m->start, m->end - m->start));
	puts32(", args '");
	puts32(after_first_word(s));
	puts32("'\nmbx: module ");
	putdec(i);
	puts32(" is '");
	put_first_word(s);
	puts32("'\n");
	check(m->end >= m->start, "a module ends before it starts");
}

static void puthex64(uint64_t v)
{
	puts32("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc32("0123456789abcdef"[(v >> i) & 0xf]);
}

static void print_entry(const struct mb1_mmap *e)
{
	puts32("mbx: map ");
	puthex64(e->addr);
	puts32(" +");
	puthex64(e->len);
	puts32(" type ");
	putdec(e->type);
	puts32("\n");
}

/* The map in address order without overlaps; RAM at 0 of mem_lower KiB
 * and at 1 MiB of mem_upper KiB, as the map says. */
static void check_map(const struct mb1_info *mb)
{
	uint64_t last_end = 0, low = 0, high = 0;
	uint32_t n = 0;

	for (uint32_t off = 0; off < mb->mmap_length; n++) {
		const struct mb1_mmap *e = (const void *)(mb->mmap_addr + off);

		print_entry(e);
		check(e->addr >= last_end, "map entries out of order or overlapping");
		if (e->type == 1 && e->addr == 0)
			low = e->len;
		if (e->type == 1 && e->addr == 0x100000)
			high = e->len;
		last_end = e->addr + e->len;
		off += e->size + 4;
	}
	check(low >> 10 == mb->mem_lower, "mem_lower is not the map's RAM at 0");
	check(high >> 10 == mb->mem_upper, "mem_upper is not the map's RAM at 1 MiB");
	puts32("mb: map: ");
	puts32(n >= 3 ? "3 or more entries" : "fewer than 3 entries");
	puts32(", ordered, RAM at 0 and at 1 MiB as mem_lower and mem_upper say\n");
}

static void print_info(const struct mb1_info *mb)
{
	puts32("mb: flags ");
	puthex(mb->flags);
	puts32(", boot device ");
	puthex(mb->boot_device);
	puts32("\nmb: mem_lower ");
	putdec(mb->mem_lower);
	puts32(" KiB\nmbx: mem_upper ");
	putdec(mb->mem_upper);
	puts32(" KiB\nmb: command line args '");
	puts32(after_first_word((const char *)mb->cmdline));
	puts32("'\nmbx: command line '");
	puts32((const char *)mb->cmdline);
	puts32("'\nmbx: loader '");
	puts32((const char *)mb->boot_loader_name);
	puts32("'\nmb: ");
	putdec(mb->mods_count);
	puts32(" modules, list at ");
	puthex(mb->mods_addr);
	puts32("\n");
}

static int is_qemu(const struct mb1_info *mb)
{
	const char *s = (const char *)mb->boot_loader_name;

	return s[0] == 'q' && s[1] == 'e' && s[2] == 'm' && s[3] == 'u' && !s[4];
}

static void debugcon(const char *s)
{
	while (*s)
		outb(DEBUGCON, (uint8_t)*s++);
}

void mb1_main(uint32_t magic, const struct mb1_info *mb);

void mb1_main(uint32_t magic, const struct mb1_info *mb)
{
	puts32("mb: magic ");
	puthex(magic);
	puts32(", information at ");
	puthex((uint32_t)mb);
	puts32("\n");
	check(magic == MB1_LOADER_MAGIC, "magic");
	check((mb->flags & 0x24f) == 0x24f, "flags");
	print_info(mb);
	for (uint32_t i = 0; i < mb->mods_count; i++)
		print_module(i, (const struct mb1_module *)mb->mods_addr + i);
	check_map(mb);
	puts32(failed ? "mb: done, FAILED\n" : "mb: done, all checks passed\n");
	if (is_qemu(mb)) {
		debugcon(failed ? "HV-VERDICT: FAIL\n" : "HV-VERDICT: PASS\n");
		puts32(failed ? "HV-RESULT: FAIL mbmods\n" : "HV-RESULT: PASS mbmods\n");
		outl(EXIT_PORT, failed ? 0x11 : QEMU_PASS);
	}
	outl(EXIT_PORT, failed ? 2 : 0);
}
