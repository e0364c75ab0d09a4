/* Unit tests for guests/mgmt/vmconfig.c, the parser of hvctl's VM
 * definitions. Every input is copied into a heap block of exactly its
 * length (no NUL after it), so ASan flags any read past the end; a bad
 * file must fail with its name, the right line and what was expected,
 * and leave the definitions as they were. */
#include "check.h"
#include "../../lib/printf.c"
#include "../../guests/mgmt/words.c"
#include "../../guests/mgmt/vmconfig.c"

size_t hv_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t k = n < size - 1 ? n : size - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

static struct vm_config cfg;
static char err[VMCFG_ERR_MAX];

static int parse_in(const char *file, const char *text)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, text, len);
	memset(err, 0, sizeof(err));
	r = vmcfg_parse(&cfg, file, copy, len, err, sizeof(err));
	free(copy);
	return r;
}

static int parse(const char *text)
{
	memset(&cfg, 0, sizeof(cfg));
	return parse_in("vms.cfg", text);
}

/* The error starts with "vms.cfg:LINE: " and contains want. */
static int error_is(unsigned line, const char *want)
{
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "vms.cfg:%u: ", line);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, want)) {
		printf("  got \"%s\", want \"%s...%s\"\n", err, prefix, want);
		return 0;
	}
	return 1;
}

TEST(two_vms_defaults)
{
	CHECK_EQ(parse("# two VMs\n[a]\nkernel = hello\n\n[b]\nkernel=echo\n"), 0);
	CHECK_EQ(cfg.n, 2);
	CHECK_STR(cfg.def[0].name, "a");
	CHECK_STR(cfg.def[0].kernel, "hello");
	CHECK_EQ(cfg.def[0].mem, 16ULL << 20);
	CHECK_EQ(cfg.def[0].vcpus, 1);
	CHECK_EQ(cfg.def[0].cpus, 0);
	CHECK(!cfg.def[0].pc && !cfg.def[0].mmio && !cfg.def[0].lapic);
	CHECK(!cfg.def[0].autostart && !cfg.def[0].has_cmdline);
	CHECK_EQ(cfg.def[0].on_stop, ON_STOP_KEEP);
	CHECK_EQ(cfg.def[0].line, 2);
	CHECK_STR(cfg.def[1].kernel, "echo");
	CHECK_EQ(cfg.def[1].line, 5);
	CHECK(vmcfg_find(&cfg, "b") == &cfg.def[1]);
	CHECK(vmcfg_find(&cfg, "c") == NULL);
}

TEST(every_key)
{
	CHECK_EQ(parse("[linux]\r\n"
		       "  kernel = vmlinuz   # the image\r\n"
		       "initrd = initrd\n"
		       "modules = m1,m2\n"
		       "cmdline = \"console=ttyS0 quiet #not a comment\"\n"
		       "mem = 256M\n"
		       "vcpus = 2\n"
		       "cpus = 0,2-3,63\n"
		       "pc = on\n"
		       "devices = mmio lapic\n"
		       "autostart = yes\n"
		       "on_stop = stop-machine\n"), 0);
	CHECK_EQ(cfg.n, 1);
	CHECK_STR(cfg.def[0].kernel, "vmlinuz");
	CHECK_STR(cfg.def[0].initrd, "initrd");
	CHECK_STR(cfg.def[0].modules, "m1,m2");
	CHECK_STR(cfg.def[0].cmdline, "console=ttyS0 quiet #not a comment");
	CHECK(cfg.def[0].has_cmdline);
	CHECK_EQ(cfg.def[0].mem, 256ULL << 20);
	CHECK_EQ(cfg.def[0].vcpus, 2);
	CHECK_EQ(cfg.def[0].cpus, 0x800000000000000dULL);
	CHECK(cfg.def[0].pc && cfg.def[0].mmio && cfg.def[0].lapic && cfg.def[0].autostart);
	CHECK_EQ(cfg.def[0].on_stop, ON_STOP_STOP_MACHINE);
}

TEST(flag_words)
{
	CHECK_EQ(parse("[a]\nkernel=k\npc=off\nautostart=no\non_stop=restart\n"
		       "[b]\nkernel=k\ndevices=pc\non_stop=destroy\n[c]\nkernel=k\non_stop=keep\n"), 0);
	CHECK(!cfg.def[0].pc && !cfg.def[0].autostart);
	CHECK_EQ(cfg.def[0].on_stop, ON_STOP_RESTART);
	CHECK(cfg.def[1].pc);
	CHECK_EQ(cfg.def[1].on_stop, ON_STOP_DESTROY);
	CHECK_EQ(cfg.def[2].on_stop, ON_STOP_KEEP);
	CHECK_STR(vmcfg_on_stop_name(ON_STOP_STOP_MACHINE), "stop-machine");
}

TEST(empty_file_and_no_final_newline)
{
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(cfg.n, 0);
	CHECK_EQ(parse("\n# nothing\n   \n"), 0);
	CHECK_EQ(parse("[a]\nkernel = k"), 0);
	CHECK_STR(cfg.def[0].kernel, "k");
}

TEST(several_files_add_up)
{
	CHECK_EQ(parse("[a]\nkernel=k\n"), 0);
	CHECK_EQ(parse_in("more.cfg", "[b]\nkernel=k\n"), 0);
	CHECK_EQ(cfg.n, 2);
	CHECK_EQ(parse_in("dup.cfg", "[c]\nkernel=k\n[a]\nkernel=k\n"), -1);
	CHECK_STR(err, "dup.cfg:3: [a] is defined twice");
	CHECK_EQ(cfg.n, 2); /* c is not kept either */
}

static const struct {
	const char *text;
	unsigned line;
	const char *want;
} bad[] = {
	{ "kernel = k\n", 1, "expected [NAME] before kernel =" },
	{ "[a]\nkernel = k\nfoo = 1\n", 3, "expected a key (kernel" },
	{ "[a]\nkernel = k\njunk\n", 3, "expected [NAME] or KEY = VALUE" },
	{ "[a\n", 1, "expected [NAME]" },
	{ "[]\n", 1, "a VM name has 1-31 characters" },
	{ "[12]\n", 1, "not a number" },
	{ "[a/b]\n", 1, "letters, digits" },
	{ "[a b]\n", 1, "letters, digits" },
	{ "[all]\n", 1, "reserved" },
	{ "[abcdefghijabcdefghijabcdefghij12]\n", 1, "1-31 characters" },
	{ "[a]\nmem = 1M\n", 2, "a multiple of 2M" },
	{ "[a]\n\n[b]\nkernel = k\n", 1, "[a] has no kernel = MODULE" },
	{ "[a]\nkernel = k\n[b]\n", 3, "[b] has no kernel = MODULE" },
	{ "[a]\nkernel = k\nkernel = j\n", 3, "kernel is set twice in [a]" },
	{ "[a]\nkernel = \n", 2, "expected a boot module's name" },
	{ "[a]\nkernel = two words\n", 2, "expected a boot module's name" },
	{ "[a]\ninitrd = \n", 2, "expected a boot module's name" },
	{ "[a]\nmodules = a, b\n", 2, "separated by commas" },
	{ "[a]\nmem = lots\n", 2, "expected a size" },
	{ "[a]\nmem = 0\n", 2, "expected a size" },
	{ "[a]\nvcpus = 0\n", 2, "from 1 to 4" },
	{ "[a]\nvcpus = 5\n", 2, "from 1 to 4" },
	{ "[a]\nvcpus = x\n", 2, "from 1 to 4" },
	{ "[a]\ncpus = 64\n", 2, "expected a CPU list" },
	{ "[a]\ncpus = 3-1\n", 2, "expected a CPU list" },
	{ "[a]\ncpus = 1,\n", 2, "expected a CPU list" },
	{ "[a]\ncpus = ,1\n", 2, "expected a CPU list" },
	{ "[a]\ncpus = 1-\n", 2, "expected a CPU list" },
	{ "[a]\ncpus =\n", 2, "expected a CPU list" },
	{ "[a]\npc = yes\n", 2, "expected on or off" },
	{ "[a]\nautostart = on\n", 2, "expected yes or no" },
	{ "[a]\ndevices = mmio disk\n", 2, "(not 'disk')" },
	{ "[a]\ndevices =\n", 2, "expected devices" },
	{ "[a]\non_stop = reboot\n", 2, "expected keep, restart, destroy or stop-machine" },
	{ "[a]\nkernel = k\x01\n", 2, "byte 0x01 in column 11" },
	{ "[a]\nkernel = caf\xc3\xa9\n", 2, "byte 0xc3" },
};

TEST(every_error_with_its_line)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i].text) != -1 || !error_is(bad[i].line, bad[i].want)) {
			printf("  case %zu: %s", i, bad[i].text);
			CHECK(0);
		}
		CHECK_EQ(cfg.n, 0);
	}
}

TEST(limits)
{
	static char text[VMCFG_VMS_MAX * 32 + 64], line[VMCFG_LINE_MAX + 64];
	size_t n = 0;

	for (unsigned i = 0; i < VMCFG_VMS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "[v%u]\nkernel=k\n", i);
	CHECK_EQ(parse(text), 0);
	CHECK_EQ(cfg.n, VMCFG_VMS_MAX);
	snprintf(text + n, sizeof(text) - n, "[over]\n");
	CHECK_EQ(parse(text), -1);
	CHECK(error_is(2 * VMCFG_VMS_MAX + 1, "at most 16 VMs"));

	/* the longest line passes, one more character fails */
	memset(line, 0, sizeof(line));
	memcpy(line, "[a]\nkernel=k\n#", 14);
	memset(line + 14, 'x', VMCFG_LINE_MAX - 1);
	CHECK_EQ(parse(line), 0);
	line[14 + VMCFG_LINE_MAX - 1] = 'x';
	CHECK_EQ(parse(line), -1);
	CHECK(error_is(3, "at most 511 characters"));

	/* names: 31 characters pass; module names: 63 */
	memset(line, 0, sizeof(line));
	memcpy(line, "[abcdefghijabcdefghijabcdefghij1]\nkernel=", 41);
	memset(line + 41, 'k', 64);
	CHECK_EQ(parse(line), -1);
	CHECK(error_is(2, "at most 63 characters"));
	line[41 + 63] = '\0';
	CHECK_EQ(parse(line), 0);
	CHECK_EQ(strlen(cfg.def[0].name), 31);
	CHECK_EQ(strlen(cfg.def[0].kernel), 63);
}

TEST(long_cmdline)
{
	static char text[VMCFG_LINE_MAX + 64];
	size_t n = (size_t)snprintf(text, sizeof(text), "[a]\nkernel=k\ncmdline=\"");

	memset(text + n, 'c', VMCFG_CMDLINE_MAX - 1);
	strcpy(text + n + VMCFG_CMDLINE_MAX - 1, "\"\n");
	CHECK_EQ(parse(text), 0);
	CHECK_EQ(strlen(cfg.def[0].cmdline), VMCFG_CMDLINE_MAX - 1);
	strcpy(text + n + VMCFG_CMDLINE_MAX - 1, "c\"\n");
	CHECK_EQ(parse(text), -1);
	CHECK(error_is(3, "at most 255 characters"));
}

TEST(error_fits_a_small_buffer)
{
	char small[12];
	const char *text = "[a]\nfoo=1\n";

	memset(&cfg, 0, sizeof(cfg));
	CHECK_EQ(vmcfg_parse(&cfg, "vms.cfg", text, strlen(text), small, sizeof(small)), -1);
	CHECK_STR(small, "vms.cfg:2: ");
}

TEST(names)
{
	CHECK(vm_name_problem("web-1.a_b") == NULL);
	CHECK(vm_name_problem("1a") == NULL);
	CHECK(vm_name_problem("007") != NULL);
	CHECK(vm_name_problem("a b") != NULL);
	CHECK(vm_name_problem("a/b") != NULL);
	CHECK(vm_name_problem("") != NULL);
	CHECK(vm_name_problem("all") != NULL);
}

RUN_TESTS("vmconfig", T(two_vms_defaults), T(every_key), T(flag_words),
	  T(empty_file_and_no_final_newline), T(several_files_add_up),
	  T(every_error_with_its_line), T(limits), T(long_cmdline), T(error_fits_a_small_buffer),
	  T(names))
