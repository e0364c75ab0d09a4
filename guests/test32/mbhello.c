/* A multiboot (v1) kernel run as a child: it checks what a multiboot
 * loader promises (magic, memory information, command line, memory map)
 * and reports it on COM1, then exits through port 0xf4. */
#include "guests/test32/io32.h"
#include <stdint.h>

#define MB1_LOADER_MAGIC 0x2badb002u
#define MB1_INFO_MEM (1u << 0)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MMAP (1u << 6)
#define EXIT_PORT 0xf4

struct mb1_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
};

struct mb1_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

static uint32_t ram_kib(const struct mb1_info *mb)
{
	uint32_t kib = 0;

	for (uint32_t off = 0; off < mb->mmap_length;) {
		const struct mb1_mmap *e = (const void *)(mb->mmap_addr + off);

		if (e->type == 1)
			kib += (uint32_t)(e->len >> 10);
		off += e->size + 4;
	}
	return kib;
}

void mb1_main(uint32_t magic, const struct mb1_info *mb);

void mb1_main(uint32_t magic, const struct mb1_info *mb)
{
	uint32_t want = MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MMAP;
	int ok = magic == MB1_LOADER_MAGIC && (mb->flags & want) == want;

	puts32("multiboot kernel: magic ");
	puthex(magic);
	puts32(ok ? " ok\n" : " WRONG\n");
	if (ok) {
		puts32("command line: '");
		puts32((const char *)mb->cmdline);
		puts32("'\nmemory: lower ");
		putdec(mb->mem_lower);
		puts32(" KiB, upper ");
		putdec(mb->mem_upper);
		puts32(" KiB, map ");
		putdec(ram_kib(mb));
		puts32(" KiB usable\n");
	}
	outl(EXIT_PORT, ok ? 0 : 2);
}
