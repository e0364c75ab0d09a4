/* libFuzzer target for the hypercall decode layer: the fuzzer controls a
 * caller's memory (contents and which pages exist), the struct address
 * and the hypervisor's known/first sizes; copy_struct_in and
 * check_struct_out (with the write that follows it) must only
 * ever touch mapped pages, read each byte once, and return a defined
 * result. The same bytes then go through the tracer's decoder for every
 * call number, and the trace-line parser of tools/hvdump. Built with
 * clang -fsanitize=fuzzer,address,undefined (make fuzz). */
#include "../../lib/printf.c"
#include "../../hv/uaccess.c"
#include "../../lib/abi_text.c"
#include "../../hv/trace_format.c"
#include "../../tools/abi_parse.c"

#include <stdlib.h>

#define PAGES 4
#define BASE 0x10000ULL

struct fake_mem {
	u8 bytes[PAGES * PAGE_SIZE];
	u8 mapped; /* bit per page */
};

static bool page_ok(struct fake_mem *m, u64 gpa, u32 len)
{
	u64 page = (gpa - BASE) / PAGE_SIZE;

	if (gpa < BASE || gpa + len > BASE + sizeof(m->bytes) || page >= PAGES)
		return false;
	if ((gpa & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
		abort(); /* uaccess must never cross a page in one access */
	return m->mapped & (1u << page);
}

static bool fake_writable(void *ctx, u64 gpa, u32 len)
{
	return page_ok(ctx, gpa, len);
}

static bool fake_read(void *ctx, u64 gpa, void *buf, u32 len)
{
	struct fake_mem *m = ctx;

	if (!page_ok(m, gpa, len))
		return false;
	memcpy(buf, m->bytes + (gpa - BASE), len);
	return true;
}

static bool fake_write(void *ctx, u64 gpa, const void *buf, u32 len)
{
	struct fake_mem *m = ctx;

	if (!page_ok(m, gpa, len))
		return false;
	memcpy(m->bytes + (gpa - BASE), buf, len);
	return true;
}

static int check_copy_in(const struct gmem *g, u64 gpa, u32 known, u32 first)
{
	static u8 dst[1024];
	u32 caller = 0;
	int rc = copy_struct_in(g, gpa, dst, known, first, &caller);

	if (rc != 0 && rc != -EINVAL && rc != -E2BIG && rc != -EFAULT)
		abort();
	if (rc == 0 && (caller < first || !all_zero(dst + MIN(caller, known),
						     known - MIN(caller, known))))
		abort(); /* accepted too small, or not zero-extended */
	return rc;
}

/* An answer goes back as the hypervisor sends it: checked, then written;
 * the write must not fail once the checks passed. */
static void check_answer_out(const struct gmem *g, u64 gpa, u8 *out, u32 known)
{
	u32 len;
	int rc = check_struct_out(g, gpa, out, known, 8, &len);

	if (rc != 0 && rc != -EINVAL && rc != -EFAULT)
		abort();
	if (rc == 0 && (len > known || !gmem_write(g, gpa, out, len)))
		abort();
}

static void trace_every_call(const u8 *data, size_t size)
{
	char line[1024];

	for (u32 nr = 0; nr <= HV_CALL_COUNT + 1; nr++)
		abi_format_call(nr, data, size > 4096 ? 4096 : size, -22, line, sizeof(line));
}

static void parse_as_trace_line(const u8 *data, size_t size)
{
	static char text[512];
	static u8 bytes[1024];
	const struct abi_struct *s;
	u32 len;
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;

	memcpy(text, data, n);
	text[n] = '\0';
	abi_parse_trace_line(text, &s, bytes, sizeof(bytes), &len);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct fake_mem mem;
	static u8 out[1024];
	struct gmem g = { .read = fake_read, .write = fake_write,
			  .writable = fake_writable, .ctx = &mem };
	u32 known, first;
	u64 gpa;

	if (size < 8)
		return 0;
	mem.mapped = data[0];
	known = 8 + (data[1] % 64) * 8;
	first = 4 + (data[2] % (known / 4)) * 4;
	gpa = BASE + ((u32)data[3] | (u32)data[4] << 8 | (u32)(data[5] & 0x3f) << 16) %
		     (PAGES * PAGE_SIZE + 64);
	memset(mem.bytes, 0, sizeof(mem.bytes));
	memcpy(mem.bytes, data + 6, MIN(size - 6, sizeof(mem.bytes)));
	check_copy_in(&g, gpa, known, first);
	memcpy(out, data, MIN(size, sizeof(out)));
	check_answer_out(&g, gpa, out, known);
	trace_every_call(data + 6, size - 6);
	parse_as_trace_line(data + 6, size - 6);
	return 0;
}
