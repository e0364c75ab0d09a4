/* hvdump: the hypercall ABI's structs on the host, decoded by the same
 * description (abi/hv_abi.def, through lib/abi_text.c) as the
 * hypervisor's hypercall tracer.
 *
 *   hvdump STRUCT HEX...              decode bytes: hvdump hv_vm_destroy 10000000 0 ...
 *                                     (hex digits in memory order; spaces
 *                                     and separate arguments are ignored;
 *                                     no HEX or "-": from standard input)
 *   hvdump --trace 'LINE'             encode a trace line back into bytes,
 *                                     bare or as the hypervisor prints it
 *                                     ("trace: vm vm0: vm_create(...) = 1");
 *                                     no LINE or "-": each line of
 *                                     standard input
 *   hvdump --encode STRUCT 'f=v, ...' encode a bare field list
 *   hvdump --list                     every struct and every call number
 *   hvdump --help                     this usage, on standard output
 *
 * Exit status: 0 done, 2 bad usage or input, 1 output did not fit.
 *
 * Build, from the top of the tree:
 *   gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I. \
 *       tools/hvdump.c tools/abi_print.c tools/abi_parse.c \
 *       lib/abi_text.c lib/printf.c -o build/hvdump */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/hv_abi.h"
#include "tools/abi_parse.h"
#include "tools/abi_print.h"
#include "lib/string.h"

#define BYTES_MAX 4096
#define TEXT_MAX 65536
#define EXIT_INPUT 2
#define EXIT_INTERNAL 1

static u8 bytes[BYTES_MAX];
static char text[TEXT_MAX];  /* output */
static char input[TEXT_MAX]; /* standard input, a line or all of it */

static const char *const dir_names[] = {
	[ABI_DIR_NONE] = "no struct", [ABI_DIR_IN] = "in",
	[ABI_DIR_OUT] = "out", [ABI_DIR_INOUT] = "in/out",
	[ABI_DIR_REGS] = "registers",
};

/* To standard output when asked for (--help), else to standard error
 * as the answer to a bad command line. */
static int usage(bool asked)
{
	fputs("usage: hvdump STRUCT [HEX... | -]\n"
	      "       hvdump --trace ['[trace: vm NAME: ]name(field=value, ...) = ret' | -]\n"
	      "       hvdump --encode STRUCT 'field=value, ...'\n"
	      "       hvdump --list | --help\n"
	      "Without HEX or LINE, or with -, the input is read from standard input.\n",
	      asked ? stdout : stderr);
	return asked ? 0 : EXIT_INPUT;
}

static __attribute__((format(printf, 1, 2))) int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("hvdump: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_INPUT;
}

static const struct abi_struct *struct_named(const char *name)
{
	const struct abi_struct *s = abi_struct_by_name(name);

	if (!s)
		fail("unknown struct '%s' (hvdump --list shows them)", name);
	return s;
}

/* Hex digits from all args, whitespace ignored, into bytes[]. */
static int read_hex_args(char **args, int n, u32 *len)
{
	u32 digits = 0;

	for (int i = 0; i < n; i++) {
		for (const char *p = args[i]; *p; p++) {
			int d = hex_digit_value(*p);

			if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				continue;
			if (d < 0)
				return fail("'%c' is not a hex digit", *p);
			if (digits / 2 >= BYTES_MAX)
				return fail("too many bytes (more than %u)",
					    BYTES_MAX);
			bytes[digits / 2] = (u8)(digits % 2 ?
				bytes[digits / 2] | d : d << 4);
			digits++;
		}
	}
	if (digits % 2)
		return fail("odd number of hex digits (%u)", digits);
	*len = digits / 2;
	return 0;
}

static void print_hex(u32 len)
{
	for (u32 i = 0; i < len; i++)
		printf("%s%02x", i % 16 ? " " : (i ? "\n  " : "  "), bytes[i]);
	printf(len ? "\n" : "  (none)\n");
}

static int print_struct(const struct abi_struct *s, u32 len)
{
	int n;

	printf("%s: %u of %u bytes", s->name, len, s->size);
	if (s->first_size)
		printf(" (VER0 %u)", s->first_size);
	printf("\n");
	n = abi_format_table(s, bytes, len, text, sizeof(text));
	if (n < 0 || (size_t)n >= sizeof(text)) {
		fprintf(stderr, "hvdump: output too long\n");
		return EXIT_INTERNAL;
	}
	fputs(text, stdout);
	return 0;
}

/* Standard input as one argument of hex digits. */
static char *read_stdin(void)
{
	size_t n = fread(input, 1, sizeof(input) - 1, stdin);

	input[n] = '\0';
	return input;
}

static int decode(const char *name, char **hex, int nhex)
{
	const struct abi_struct *s = struct_named(name);
	char *in[1];
	u32 len = 0;
	int err;

	if (!s)
		return EXIT_INPUT;
	if (!nhex || (nhex == 1 && !strcmp(hex[0], "-"))) {
		in[0] = read_stdin();
		hex = in;
		nhex = 1;
	}
	err = read_hex_args(hex, nhex, &len);
	if (err)
		return err;
	if (len > s->size)
		return fail("too many bytes: %u given, %s has %u", len,
			    s->name, s->size);
	return print_struct(s, len);
}

static int parse_failed(const char *input, const struct abi_parse_error *e)
{
	fail("cannot parse: %s at column %u", e->what, e->column);
	fprintf(stderr, "  %s\n  %*s^\n", input, (int)e->column, "");
	return EXIT_INPUT;
}

static int print_encoded(const struct abi_struct *s, u32 len)
{
	printf("bytes:\n");
	print_hex(len);
	return print_struct(s, len);
}

/* The call in a line as the hypervisor prints it: after "trace: vm NAME: "
 * (VM names have no blanks), else the line itself. */
static const char *trace_call(const char *line)
{
	const char *p = strstr(line, "trace: vm ");
	const char *end;

	if (!p)
		return line;
	end = strstr(p + strlen("trace: vm "), ": ");
	return end ? end + 2 : line;
}

static int encode_trace(const char *line)
{
	const struct abi_struct *s;
	struct abi_parse_error e;
	u32 len;

	line = trace_call(line);
	if (abi_parse_trace_line_why(line, &s, bytes, sizeof(bytes), &len, &e))
		return parse_failed(line, &e);
	if (!s) {
		printf("a call without a struct: no bytes\n");
		return 0;
	}
	return print_encoded(s, len);
}

/* Each non-blank line of standard input as a trace line; every line is
 * tried, and the status is the worst. */
static int encode_trace_lines(void)
{
	char *line = input;
	int status = 0, err;
	unsigned n = 0;

	while (fgets(line, sizeof(input), stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		n++;
		if (!line[strspn(line, " \t")])
			continue;
		printf("line %u: %s\n", n, trace_call(line));
		err = encode_trace(line);
		if (err > status)
			status = err;
	}
	return status;
}

static int encode_fields(const char *name, const char *fields)
{
	const struct abi_struct *s = struct_named(name);
	struct abi_parse_error e;
	u32 len;

	if (!s)
		return EXIT_INPUT;
	if (abi_parse_fields(s, fields, bytes, sizeof(bytes), &len, &e))
		return parse_failed(fields, &e);
	return print_encoded(s, len);
}

static int list(void)
{
	printf("structs:\n");
	for (u32 i = 0; i < abi_struct_count(); i++) {
		const struct abi_struct *s = abi_struct_at(i);

		printf("  %-22s %4u bytes", s->name, s->size);
		if (s->first_size)
			printf(", VER0 %u", s->first_size);
		printf(", %u fields\n", s->nfields);
	}
	printf("calls:\n");
	for (u32 nr = 0; nr < HV_CALL_COUNT; nr++) {
		const struct abi_call *c = abi_call_by_nr(nr);

		if (c)
			printf("  %2u  %-18s %-22s %s\n", nr, c->name,
			       c->s ? c->s->name : "-", dir_names[c->dir]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return usage(true);
	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		return list();
	if (argc <= 3 && argc >= 2 && strcmp(argv[1], "--trace") == 0)
		return argc == 2 || !strcmp(argv[2], "-") ? encode_trace_lines()
							   : encode_trace(argv[2]);
	if (argc == 4 && strcmp(argv[1], "--encode") == 0)
		return encode_fields(argv[2], argv[3]);
	if (argc >= 2 && argv[1][0] == '-')
		return usage(false);
	if (argc >= 2)
		return decode(argv[1], argv + 2, argc - 2);
	return usage(false);
}
