/* hvtrace: a summary of the hypervisor's binary trace buffer, as xenalyze
 * gives one of xentrace's: hvctl's `trace dump` writes each record as an
 * "hvtrace: <64 hex digits>" line on the console, and this reads them back
 * out of a captured serial log (other lines are skipped) and prints
 *
 *   exits per reason and per VM, with the TSC ticks their handling took
 *   (min, median (the upper one of an even count), max and a histogram
 *   in powers of 4), hypercalls by name with their errors, injections
 *   by vector, runs, run ends by HV_EXIT_* reason and stops per VM, and
 *   events per interval of time.
 *
 *   hvtrace [--intervals N] [--records] [FILE... | -]
 *
 * Without FILE, or with "-", it reads standard input. --records also
 * prints every record decoded, one a line. The names of exits, events and
 * hypercalls come from abi/hv_abi.def; docs/abi.md describes the record.
 *
 * Exit status: 0 done, 1 no record found, 2 bad usage or input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/hv_abi.h"

#define EXIT_INPUT 2
#define EXIT_EMPTY 1
#define NAMES_MAX 64    /* exit reasons, events, calls: below this */
#define VMS_MAX 64      /* the VMs told apart; more are summed as one */
#define BUCKETS 7       /* < 64, < 256, ... < 64K, the rest */
#define LINE_MAX 4096

static const char *const exit_names[NAMES_MAX] = {
#define ABI_TRACE_EXIT(nr, name) [nr] = name,
#include "abi/hv_abi.def"
};

static const char *const event_names[NAMES_MAX] = {
#define ABI_TRACE_EVENT(nr, name) [nr] = name,
#include "abi/hv_abi.def"
};

static const char *const call_names[NAMES_MAX] = {
#define ABI_CALL(nr, name, type, dir) [nr] = name,
#define ABI_CALL_NOARG(nr, name) [nr] = name,
#include "abi/hv_abi.def"
};

/* Latencies of one kind of exit, kept for the median. */
struct lat {
	uint32_t *v;
	size_t n, cap;
};

struct vm_sum {
	uint32_t id;
	struct lat exits[NAMES_MAX];
	uint64_t events, runs, run_ends, stops;
	uint64_t run_end_reasons[NAMES_MAX];
};

static struct hv_trace_record *recs;
static size_t nrecs, caprecs;
static uint64_t lost, bad_lines, tsc_khz;
static struct vm_sum vms[VMS_MAX];
static size_t nvms;
static struct lat all_exits[NAMES_MAX];
static uint64_t calls[NAMES_MAX + 1], call_errors[NAMES_MAX + 1]; /* [NAMES_MAX]: others */
static uint64_t vectors[256], exceptions[32], nmis;

static void *grow(void *p, size_t *cap, size_t elem)
{
	*cap = *cap ? 2 * *cap : 64;
	p = realloc(p, *cap * elem);
	if (!p) {
		fputs("hvtrace: out of memory\n", stderr);
		exit(EXIT_INPUT);
	}
	return p;
}

static void lat_add(struct lat *l, uint32_t ticks)
{
	if (l->n == l->cap)
		l->v = grow(l->v, &l->cap, sizeof(*l->v));
	l->v[l->n++] = ticks;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* ---- reading ---------------------------------------------------------- */

static uint64_t le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The record from its 64 hex digits (memory order), little-endian as the
 * hypervisor wrote it, whatever this host's byte order. */
static int parse_record(const char *hex, struct hv_trace_record *r)
{
	uint8_t b[HV_TRACE_RECORD_SIZE];

	for (int i = 0; i < HV_TRACE_RECORD_SIZE; i++) {
		unsigned int byte;

		if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
			return -1;
		b[i] = (uint8_t)byte;
	}
	r->tsc = le(b + 0, 8);
	r->vm = (uint32_t)le(b + 8, 4);
	r->vcpu = (uint16_t)le(b + 12, 2);
	r->cpu = b[14];
	r->type = b[15];
	r->code = (uint32_t)le(b + 16, 4);
	r->arg = (uint32_t)le(b + 20, 4);
	r->value = le(b + 24, 8);
	return 0;
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

/* One line of the log: an hvtrace line anywhere in it, or nothing. */
static void read_line(char *line)
{
	char *p = strstr(line, "hvtrace: ");
	unsigned long long n, cpu;
	size_t len;

	if (!p)
		return;
	p += strlen("hvtrace: ");
	len = strcspn(p, "\r\n");
	p[len] = '\0';
	if (sscanf(p, "tsc-khz %llu", &n) == 1) {
		tsc_khz = n;
	} else if (sscanf(p, "lost %llu cpu %llu", &n, &cpu) == 2) {
		lost += n;
	} else if (len == 2 * HV_TRACE_RECORD_SIZE && all_hex(p, len)) {
		if (nrecs == caprecs)
			recs = grow(recs, &caprecs, sizeof(*recs));
		if (parse_record(p, &recs[nrecs]) == 0)
			nrecs++;
	} else {
		bad_lines++;
	}
}

static int read_file(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char line[LINE_MAX];

	if (!f) {
		fprintf(stderr, "hvtrace: cannot open %s\n", path);
		return EXIT_INPUT;
	}
	while (fgets(line, sizeof(line), f))
		read_line(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

/* ---- counting --------------------------------------------------------- */

static struct vm_sum *vm_sum(uint32_t id)
{
	for (size_t i = 0; i < nvms; i++)
		if (vms[i].id == id)
			return &vms[i];
	if (nvms == VMS_MAX)
		return &vms[VMS_MAX - 1];
	vms[nvms].id = id;
	return &vms[nvms++];
}

static uint32_t name_index(uint32_t code)
{
	return code < NAMES_MAX ? code : 0;
}

static void count(const struct hv_trace_record *r)
{
	struct vm_sum *vm = vm_sum(r->vm);
	uint32_t i = name_index(r->code);

	vm->events++;
	switch (r->type) {
	case HV_TRACE_EV_EXIT:
		lat_add(&all_exits[i], r->arg);
		lat_add(&vm->exits[i], r->arg);
		break;
	case HV_TRACE_EV_HYPERCALL:
		i = r->code < NAMES_MAX && call_names[r->code] ? r->code : NAMES_MAX;
		calls[i]++;
		call_errors[i] += (int64_t)r->value < 0;
		break;
	case HV_TRACE_EV_INJECT:
		if (r->arg == HV_TRACE_INJECT_NMI)
			nmis++;
		else if (r->arg == HV_TRACE_INJECT_EXCEPTION)
			exceptions[r->code & 31]++;
		else
			vectors[r->code & 255]++;
		break;
	case HV_TRACE_EV_RUN_START:
		vm->runs++;
		break;
	case HV_TRACE_EV_RUN_END:
		vm->run_ends++;
		vm->run_end_reasons[i]++;
		break;
	case HV_TRACE_EV_VM_STOP:
		vm->stops++;
		break;
	}
}

/* ---- printing --------------------------------------------------------- */

static const char *exit_name(uint32_t i)
{
	return exit_names[i] ? exit_names[i] : "other";
}

/* "count N, min A, median B, max C ticks; < 64: n, < 256: n, ..." */
static void print_lat(const char *what, struct lat *l)
{
	static const char *const edges[BUCKETS] = { "<64", "<256", "<1K", "<4K", "<16K",
						    "<64K", ">=64K" };
	uint64_t buckets[BUCKETS] = { 0 };

	qsort(l->v, l->n, sizeof(*l->v), cmp_u32);
	for (size_t k = 0; k < l->n; k++) {
		int b = 0;

		for (uint64_t edge = 64; b < BUCKETS - 1 && l->v[k] >= edge; edge *= 4)
			b++;
		buckets[b]++;
	}
	printf("%s: count %zu, min %u, median %u, max %u ticks;", what, l->n, l->v[0],
	       l->v[l->n / 2], l->v[l->n - 1]);
	for (int b = 0; b < BUCKETS; b++)
		printf(" %s %llu", edges[b], (unsigned long long)buckets[b]);
	printf("\n");
}

static void print_exits(const char *prefix, struct lat *exits)
{
	char what[128];

	for (uint32_t i = 0; i < NAMES_MAX; i++) {
		if (!exits[i].n)
			continue;
		snprintf(what, sizeof(what), "%s%s", prefix, exit_name(i));
		print_lat(what, &exits[i]);
	}
}

static void print_vm(struct vm_sum *vm)
{
	char prefix[64];
	size_t exits = 0;

	for (uint32_t i = 0; i < NAMES_MAX; i++)
		exits += vm->exits[i].n;
	printf("vm %u: events %llu, exits %zu, runs %llu, run ends %llu, stops %llu\n", vm->id,
	       (unsigned long long)vm->events, exits, (unsigned long long)vm->runs,
	       (unsigned long long)vm->run_ends, (unsigned long long)vm->stops);
	snprintf(prefix, sizeof(prefix), "exit vm %u ", vm->id);
	print_exits(prefix, vm->exits);
	for (uint32_t i = 0; i < NAMES_MAX; i++)
		if (vm->run_end_reasons[i])
			printf("run end vm %u reason %u: count %llu\n", vm->id, i,
			       (unsigned long long)vm->run_end_reasons[i]);
}

static void print_calls(void)
{
	for (uint32_t i = 0; i <= NAMES_MAX; i++)
		if (calls[i])
			printf("hypercall %s: count %llu, errors %llu\n",
			       i < NAMES_MAX ? call_names[i] : "other",
			       (unsigned long long)calls[i], (unsigned long long)call_errors[i]);
}

static void print_injections(void)
{
	for (uint32_t v = 0; v < 256; v++)
		if (vectors[v])
			printf("inject vector 0x%02x: count %llu\n", v, (unsigned long long)vectors[v]);
	if (nmis)
		printf("inject nmi: count %llu\n", (unsigned long long)nmis);
	for (uint32_t v = 0; v < 32; v++)
		if (exceptions[v])
			printf("inject exception %u: count %llu\n", v,
			       (unsigned long long)exceptions[v]);
}

/* Events per interval of the span the records cover. */
static void print_timeline(unsigned intervals)
{
	uint64_t first = UINT64_MAX, last = 0, width;
	uint64_t *per = calloc(intervals, sizeof(*per));

	if (!per)
		return;
	for (size_t k = 0; k < nrecs; k++) {
		first = recs[k].tsc < first ? recs[k].tsc : first;
		last = recs[k].tsc > last ? recs[k].tsc : last;
	}
	width = (last - first) / intervals + 1;
	for (size_t k = 0; k < nrecs; k++)
		per[(recs[k].tsc - first) / width]++;
	printf("timeline: %u intervals of %llu ticks", intervals, (unsigned long long)width);
	if (tsc_khz)
		printf(" (%.3f us)", (double)width * 1000.0 / (double)tsc_khz);
	printf("\n");
	for (unsigned i = 0; i < intervals; i++)
		printf("time +%llu: events %llu\n", (unsigned long long)(i * width),
		       (unsigned long long)per[i]);
	free(per);
}

static void print_record(const struct hv_trace_record *r)
{
	const char *type = r->type < NAMES_MAX && event_names[r->type] ? event_names[r->type] : "?";
	const char *code = r->type == HV_TRACE_EV_EXIT ? exit_name(name_index(r->code)) :
			   r->type == HV_TRACE_EV_HYPERCALL && r->code < NAMES_MAX &&
				   call_names[r->code] ? call_names[r->code] : "";

	printf("record tsc %llu cpu %u vm %u vcpu %u %s code %u%s%s arg %u value 0x%llx\n",
	       (unsigned long long)r->tsc, r->cpu, r->vm, r->vcpu, type, r->code,
	       *code ? " " : "", code, r->arg, (unsigned long long)r->value);
}

static void summarize(unsigned intervals, bool list)
{
	printf("hvtrace: %zu records, %llu lost, %llu unreadable lines, tsc %llu kHz\n", nrecs,
	       (unsigned long long)lost, (unsigned long long)bad_lines,
	       (unsigned long long)tsc_khz);
	for (size_t k = 0; k < nrecs; k++) {
		if (list)
			print_record(&recs[k]);
		count(&recs[k]);
	}
	print_exits("exit ", all_exits);
	for (size_t i = 0; i < nvms; i++)
		print_vm(&vms[i]);
	print_calls();
	print_injections();
	print_timeline(intervals);
}

static int usage(bool asked)
{
	fputs("usage: hvtrace [--intervals N] [--records] [FILE... | -]\n"
	      "Summarizes the hvtrace lines of hvctl's `trace dump` in a serial log;\n"
	      "without FILE, or with -, reads standard input.\n",
	      asked ? stdout : stderr);
	return asked ? 0 : EXIT_INPUT;
}

int main(int argc, char **argv)
{
	unsigned intervals = 10;
	bool list = false, any_file = false;
	int i, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help"))
			return usage(true);
		if (!strcmp(argv[i], "--records")) {
			list = true;
		} else if (!strcmp(argv[i], "--intervals") && i + 1 < argc) {
			intervals = (unsigned)strtoul(argv[++i], NULL, 10);
			if (!intervals || intervals > 1000)
				return usage(false);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage(false);
		} else {
			if ((err = read_file(argv[i])))
				return err;
			any_file = true;
		}
	}
	if (!any_file && (err = read_file("-")))
		return err;
	if (!nrecs) {
		fputs("hvtrace: no hvtrace record in the input\n", stderr);
		return EXIT_EMPTY;
	}
	summarize(intervals, list);
	return 0;
}
