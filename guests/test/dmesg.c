/* The hypervisor's log ring (HV_CALL_DMESG, HV_EXT_DMESG) as VM 0 reads
 * it: the boot log from its first line, read in parts that go on where
 * the last stopped; the refusals; then, once hypercall tracing has
 * written more than the ring holds, a read from the start that skips
 * and counts exactly what was overwritten. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "lib/string.h"

const char test_title[] = "dmesg: VM 0 reads the hypervisor's log ring";

#define RING_SIZE 16384
#define PART 512

static char buf[PART];

/* Reads from *seq to the end in PART-byte calls, each going on where the
 * last stopped; returns the bytes read, *seq ends at the log's end. The
 * first part's lost bytes go to *lost. */
static u64 read_to_end(u64 *seq, u64 *lost, char *first, u32 first_len)
{
	u64 total = 0, gone, start;
	long n;

	for (int call = 0; call < 1000; call++) {
		start = *seq;
		n = hv_dmesg(seq, buf, PART, &gone);
		if (n < 0) {
			test_fail("dmesg at %llu: %ld", (unsigned long long)start, n);
			return total;
		}
		if (!call) {
			*lost = gone;
			memcpy(first, buf, MIN((u32)n, first_len));
		} else {
			CHECK(!gone, "a later part lost %llu bytes", (unsigned long long)gone);
		}
		CHECK(*seq == start + gone + (u64)n, "next %llu after %ld bytes from %llu",
		      (unsigned long long)*seq, n, (unsigned long long)start);
		if (!n)
			return total;
		total += (u64)n;
	}
	test_fail("the log never ended");
	return total;
}

static void check_boot_log(u64 *end)
{
	char first[32] = { 0 };
	u64 lost, total;

	*end = 0;
	total = read_to_end(end, &lost, first, sizeof(first) - 1);
	CHECK(!lost && total == *end, "boot log: %llu bytes read, %llu lost, end %llu",
	      (unsigned long long)total, (unsigned long long)lost, (unsigned long long)*end);
	CHECK(!memcmp(first, "<2>hv: microhypervisor", 22), "first line '%s'", first);
	gprintf("boot log: %llu bytes in parts of %u, first line '%s...'\n",
		(unsigned long long)total, PART, first);
}

/* A DMESG call that must fail with want. */
static void refused(struct hv_dmesg a, long want, const char *what)
{
	a.size = sizeof(a);
	a.len = a.len ? a.len : PART;
	a.buf = a.buf ? a.buf : (u64)buf;
	CHECK(hv_call(HV_CALL_DMESG, &a) == want, "%s accepted", what);
}

static void check_refused(u64 end)
{
	u64 seq = end + 1, lost = 7;

	CHECK(hv_dmesg(&seq, buf, PART, &lost) == -HV_EINVAL && lost == 7,
	      "a seq past the end accepted");
	refused((struct hv_dmesg){ .flags = 1 }, -HV_EINVAL, "flags");
	refused((struct hv_dmesg){ .reserved = 1 }, -HV_EINVAL, "reserved");
	refused((struct hv_dmesg){ .reserved1 = 1 }, -HV_EINVAL, "reserved1");
	refused((struct hv_dmesg){ .buf = 1ULL << 40 }, -HV_EFAULT, "a buffer outside VM 0's RAM");
	seq = end;
	CHECK(hv_dmesg(&seq, buf, 0, &lost) == 0 && seq == end && !lost, "len 0");
	gprintf("refused: seq past the end, flags, reserved1 -> -EINVAL; buf -> -EFAULT\n");
}

/* Tracing writes a line per hypercall: enough calls wrap the ring. */
static void check_wrapped(u64 end)
{
	char first[8];
	u64 on = HV_TRACE_HYPERCALLS, off = 0, seq = 0, lost, total;

	CHECK(hv_feature(HV_FEATURE_TRACE | HV_FEATURE_SET, 0, &on) == 0, "trace on");
	for (int i = 0; i < 400; i++)
		hv_check_extension(HV_EXT_DMESG);
	CHECK(hv_feature(HV_FEATURE_TRACE | HV_FEATURE_SET, 0, &off) == 0, "trace off");
	total = read_to_end(&seq, &lost, first, sizeof(first));
	CHECK(seq > end + RING_SIZE, "400 traced calls wrote only %llu bytes",
	      (unsigned long long)(seq - end));
	CHECK(total == RING_SIZE && lost == seq - RING_SIZE,
	      "after wrapping: %llu bytes read, %llu lost, end %llu", (unsigned long long)total,
	      (unsigned long long)lost, (unsigned long long)seq);
	gprintf("wrapped: %llu bytes written, the last %u read, %llu lost\n",
		(unsigned long long)seq, RING_SIZE, (unsigned long long)lost);
}

void test_main(void)
{
	u64 end;

	if (hv_check_extension(HV_EXT_DMESG) != RING_SIZE) {
		test_fail("HV_EXT_DMESG = %ld", hv_check_extension(HV_EXT_DMESG));
		return;
	}
	check_boot_log(&end);
	check_refused(end);
	check_wrapped(end);
}
