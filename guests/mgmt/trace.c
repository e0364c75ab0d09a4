/* `trace`: the hypervisor's binary trace buffer (HV_CALL_TRACE_READ),
 * switched on for chosen VMs and events and written out on the console
 * as hvtrace lines for tools/hvtrace; `trace console` is the hypercall
 * tracer's text on the console (HV_FEATURE_TRACE). */
#include "guests/mgmt/mgmt.h"
#include "lib/string.h"

static const char usage[] =
	"error: usage: trace [on [VM] [EVENT...] | off | dump | console [on|off]]\n";

static void console_show(void)
{
	u64 v = 0;
	long r = hv_feature(HV_FEATURE_TRACE | HV_FEATURE_GET, 0, &v);

	if (r)
		gprintf("error: trace console: feature get: %s\n", err_name(r));
	else
		gprintf("trace: console %s (0x%llx)\n", (v & HV_TRACE_HYPERCALLS) ? "on" : "off",
			(unsigned long long)v);
}

static void console_set(bool on)
{
	u64 v = on ? HV_TRACE_HYPERCALLS : 0;
	long r = hv_feature(HV_FEATURE_TRACE | HV_FEATURE_SET, 0, &v);

	if (r)
		gprintf("error: trace console %s: feature set: %s\n", on ? "on" : "off", err_name(r));
	else
		gprintf("trace: console %s\n", on ? "on" : "off");
}

#if HV_ABI_HEADER_REVISION >= 2

#define DUMP_RECORDS 128 /* read per call: 4 KiB */

static const char *const event_names[] = {
#define ABI_TRACE_EVENT(nr, name) [nr] = name,
#include "abi/hv_abi.def"
};

static struct hv_trace_record records[DUMP_RECORDS];

static bool have_buffer(void)
{
	return disc.ext[HV_EXT_TRACE_BUFFER] > 0;
}

/* One call: flags, the filter, CPU cpu's ring into records (len bytes). */
static long trace_read(struct hv_trace_read *a, u32 flags, u32 cpu, u32 len)
{
	a->size = sizeof(*a);
	a->flags = flags;
	a->cpu = cpu;
	a->len = len;
	a->buf = (u64)records;
	a->reserved = 0;
	return hv_call(HV_CALL_TRACE_READ, a);
}

static u32 event_bit(const char *word)
{
	if (!strcmp(word, "all"))
		return HV_TRACE_EV_ALL;
	for (u32 i = 0; i < ARRAY_SIZE(event_names); i++)
		if (event_names[i] && !strcmp(word, event_names[i]))
			return 1u << i;
	return 0;
}

static void print_events(u32 events)
{
	for (u32 i = 0; i < ARRAY_SIZE(event_names); i++)
		if (event_names[i] && (events & (1u << i)))
			gprintf(" %s", event_names[i]);
}

static void buffer_show(void)
{
	struct hv_trace_read a = { 0 };
	long r = trace_read(&a, 0, 0, 0);

	if (r < 0) {
		gprintf("error: trace: trace_read: %s\n", err_name(r));
		return;
	}
	gprintf("trace: buffer %s", a.events ? "on, events" : "off");
	print_events(a.events);
	if (a.events && a.vm != HV_TRACE_ALL_VMS)
		gprintf(", vm id %u only", a.vm);
	gprintf("\n");
}

/* A child's name, vm0 or a VM id; false when the word is none of them. */
static bool vm_word(const char *word, u32 *id)
{
	struct child *c = child_find(word);
	u64 n;

	if (c && c->id != CHILD_NO_VM)
		*id = c->id;
	else if (!strcmp(word, "vm0"))
		*id = 0;
	else if (parse_u64(word, &n) && n < HV_TRACE_ALL_VMS)
		*id = (u32)n;
	else
		return false;
	return true;
}

/* trace on [VM] [EVENT...]: every event of every VM without them. */
static void buffer_on(struct words *ws)
{
	struct hv_trace_read a = { 0 };
	u32 flags = HV_TRACE_READ_SET, bit;
	long r;

	for (int i = 2; i < ws->n; i++) {
		if ((bit = event_bit(ws->w[i]))) {
			a.events |= bit;
		} else if (i == 2 && vm_word(ws->w[i], &a.vm)) {
			flags |= HV_TRACE_READ_ONE_VM;
		} else {
			gprintf("error: trace on: '%s' is no VM and no event (exit hypercall "
				"inject run_start run_end vm_stop all)\n", ws->w[i]);
			return;
		}
	}
	if (!a.events)
		a.events = HV_TRACE_EV_ALL;
	if ((r = trace_read(&a, flags, 0, 0)) < 0)
		gprintf("error: trace on: trace_read: %s\n", err_name(r));
	else
		buffer_show();
}

static void buffer_off(void)
{
	struct hv_trace_read a = { 0 };
	long r = trace_read(&a, HV_TRACE_READ_SET, 0, 0);

	if (r < 0)
		gprintf("error: trace off: trace_read: %s\n", err_name(r));
	else
		gprintf("trace: buffer off (trace dump writes out what it holds)\n");
}

/* "hvtrace: " and the record's 32 bytes in memory order, in hex. */
static void print_record(const struct hv_trace_record *rec)
{
	static const char hex[] = "0123456789abcdef";
	const u8 *b = (const u8 *)rec;
	char line[2 * HV_TRACE_RECORD_SIZE + 1];

	for (u32 i = 0; i < HV_TRACE_RECORD_SIZE; i++) {
		line[2 * i] = hex[b[i] >> 4];
		line[2 * i + 1] = hex[b[i] & 15];
	}
	line[sizeof(line) - 1] = '\0';
	gprintf("hvtrace: %s\n", line);
}

/* Drains CPU cpu's ring; the records it wrote out, or a negative error
 * (-ENOENT: the CPU has no ring). */
static long dump_cpu(u32 cpu, u64 *lost)
{
	struct hv_trace_read a = { 0 };
	long r, total = 0;

	while ((r = trace_read(&a, 0, cpu, sizeof(records))) > 0) {
		for (long i = 0; i < r; i++)
			print_record(&records[i]);
		total += r;
		*lost += a.lost;
		if (a.lost)
			gprintf("hvtrace: lost %llu cpu %u\n", (unsigned long long)a.lost, cpu);
	}
	return r < 0 ? r : total;
}

static void buffer_dump(void)
{
	u64 lost = 0;
	long n = 0, r;
	u32 cpu;

	gprintf("hvtrace: tsc-khz %ld\n", disc.ext[HV_EXT_TSC]);
	for (cpu = 0; (r = dump_cpu(cpu, &lost)) >= 0; cpu++)
		n += r;
	if (r != -HV_ENOENT)
		gprintf("error: trace dump: trace_read: %s\n", err_name(r));
	gprintf("trace dump: %ld records of %u CPU%s, %llu lost\n", n, cpu, cpu == 1 ? "" : "s",
		(unsigned long long)lost);
}

/* trace on|off|dump with the binary buffer; false for any other word. */
static bool buffer_command(struct words *ws)
{
	if (!have_buffer())
		return false;
	if (!strcmp(ws->w[1], "on"))
		buffer_on(ws);
	else if (!strcmp(ws->w[1], "off") && ws->n == 2)
		buffer_off();
	else if (!strcmp(ws->w[1], "dump") && ws->n == 2)
		buffer_dump();
	else
		return false;
	return true;
}
#else
static void buffer_show(void)
{
}

static bool buffer_command(struct words *ws)
{
	(void)ws;
	return false;
}
#endif

void cmd_trace(struct words *ws)
{
	bool on;

	if (ws->n == 1) {
		buffer_show();
		console_show();
	} else if (!strcmp(ws->w[1], "console") && ws->n == 2) {
		console_show();
	} else if (!strcmp(ws->w[1], "console") && ws->n == 3 && parse_on_off(ws->w[2], &on)) {
		console_set(on);
	} else if (buffer_command(ws)) {
		return;
	} else if (ws->n == 2 && parse_on_off(ws->w[1], &on)) {
		console_set(on); /* a hypervisor without the buffer, or a v1 build */
	} else {
		gprintf(usage);
	}
}
