/* Unit tests for boot/efi/config.c, the hv.cfg parser of hv.efi. Every
 * input is copied into a heap block of exactly its length, so ASan flags
 * any read past the end; malformed files must fail with the right status,
 * the right line number and a message that says what was expected. */
#include "check.h"
#include "../../lib/printf.c"
#include "../../boot/efi/config.c"

static struct efi_cfg cfg;
static char err[256];

static enum efi_cfg_status parse_bytes(const void *data, size_t len)
{
	u8 *copy = malloc(len ? len : 1);
	enum efi_cfg_status st;

	memcpy(copy, data, len);
	memset(err, 0x55, sizeof(err));
	st = efi_cfg_parse(copy, len, &cfg, err, sizeof(err));
	free(copy);
	if (strnlen(err, sizeof(err)) == sizeof(err)) {
		printf("  error message not terminated\n");
		abort();
	}
	return st;
}

static enum efi_cfg_status parse(const char *text)
{
	return parse_bytes(text, strlen(text));
}

/* The text as UTF-16LE, with a byte-order mark unless bom is false. */
static enum efi_cfg_status parse_utf16(const char *text, bool bom)
{
	size_t n = strlen(text), len = 2 * n + (bom ? 2 : 0);
	u8 *b = malloc(len + 1), *p = b;
	enum efi_cfg_status st;

	if (bom) {
		*p++ = 0xff;
		*p++ = 0xfe;
	}
	for (size_t i = 0; i < n; i++) {
		*p++ = (u8)text[i];
		*p++ = 0;
	}
	st = parse_bytes(b, len);
	free(b);
	return st;
}

static bool err_has(const char *s)
{
	if (strstr(err, s))
		return true;
	printf("  error \"%s\" lacks \"%s\"\n", err, s);
	return false;
}

TEST(good_file)
{
	CHECK_EQ(parse("# hv.efi configuration\n"
		       "\n"
		       "cmdline=loglevel=info onidle=exit\n"
		       "   # indented comment\n"
		       "module=\\EFI\\hv\\hello.elf hello demo=1\n"
		       "module=\\EFI\\hv\\data.bin\n"), EFI_CFG_OK);
	CHECK_STR(cfg.cmdline, "loglevel=info onidle=exit");
	CHECK_EQ(cfg.cmdline_line, 3);
	CHECK_EQ(cfg.module_count, 2);
	CHECK_STR(cfg.modules[0].path, "\\EFI\\hv\\hello.elf");
	CHECK_STR(cfg.modules[0].string, "hello demo=1");
	CHECK_EQ(cfg.modules[0].line, 5);
	CHECK_STR(cfg.modules[1].path, "\\EFI\\hv\\data.bin");
	CHECK_STR(cfg.modules[1].string, "");
	CHECK_EQ(cfg.encoding, EFI_CFG_ASCII);
	CHECK_EQ(cfg.error_line, 0);
	CHECK_STR(err, "");
}

TEST(empty_and_comment_only)
{
	CHECK_EQ(parse(""), EFI_CFG_OK);
	CHECK_EQ(cfg.module_count, 0);
	CHECK_EQ(cfg.cmdline_line, 0);
	CHECK_STR(cfg.cmdline, "");
	CHECK_EQ(parse("# nothing\n\n\t\n"), EFI_CFG_OK);
	CHECK_EQ(parse("\n"), EFI_CFG_OK);
}

TEST(crlf_and_missing_final_newline)
{
	CHECK_EQ(parse("cmdline=a b\r\nmodule=k.elf x=1\r\nmodule=m2"), EFI_CFG_OK);
	CHECK_STR(cfg.cmdline, "a b");
	CHECK_EQ(cfg.module_count, 2);
	CHECK_STR(cfg.modules[0].string, "x=1");
	CHECK_STR(cfg.modules[1].path, "m2");
	CHECK_EQ(cfg.modules[1].line, 3);
	CHECK_EQ(parse("cmdline=z\r\n"), EFI_CFG_OK);
	CHECK_STR(cfg.cmdline, "z");
}

TEST(blanks_around_keys_and_values)
{
	CHECK_EQ(parse("  cmdline\t =  a  b \t\n module =\t k.elf \t  s  t  \n"), EFI_CFG_OK);
	CHECK_STR(cfg.cmdline, "a  b");
	CHECK_STR(cfg.modules[0].path, "k.elf");
	CHECK_STR(cfg.modules[0].string, "s  t");
	CHECK_EQ(parse("cmdline=\n"), EFI_CFG_OK); /* empty command line */
	CHECK_EQ(cfg.cmdline_line, 1);
	CHECK_STR(cfg.cmdline, "");
	CHECK_EQ(parse("cmdline=a=b=c # not a comment\n"), EFI_CFG_OK);
	CHECK_STR(cfg.cmdline, "a=b=c # not a comment");
}

TEST(quoted_path)
{
	CHECK_EQ(parse("module=\"\\EFI\\my dir\\k.elf\" one two\n"), EFI_CFG_OK);
	CHECK_STR(cfg.modules[0].path, "\\EFI\\my dir\\k.elf");
	CHECK_STR(cfg.modules[0].string, "one two");
	CHECK_EQ(parse("module=\"k.elf\"\n"), EFI_CFG_OK);
	CHECK_STR(cfg.modules[0].path, "k.elf");
	CHECK_STR(cfg.modules[0].string, "");
	CHECK_EQ(parse("module=\"k.elf\n"), EFI_CFG_BAD_PATH);
	CHECK(err_has("line 1: ") && err_has("closing"));
	CHECK_EQ(parse("module=\"k.elf\"x\n"), EFI_CFG_BAD_PATH);
	CHECK(err_has("blank after the quoted"));
	CHECK_EQ(parse("module=\"\" s\n"), EFI_CFG_EMPTY_PATH);
}

TEST(unknown_key)
{
	CHECK_EQ(parse("cmdline=x\n# ok\nmodul=\\a.elf\n"), EFI_CFG_UNKNOWN_KEY);
	CHECK_EQ(cfg.error_line, 3);
	CHECK(err_has("line 3: unknown key 'modul'") && err_has("expected cmdline or module"));
	CHECK_EQ(parse("Cmdline=x\n"), EFI_CFG_UNKNOWN_KEY); /* keys are exact */
	CHECK_EQ(parse("cmd line=x\n"), EFI_CFG_UNKNOWN_KEY);
	CHECK(err_has("'cmd line'"));
	CHECK_EQ(parse(" = x\n"), EFI_CFG_UNKNOWN_KEY);
	CHECK(err_has("line 1: nothing before '='"));
	/* a long key is cut in the message */
	CHECK_EQ(parse("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1\n"),
		 EFI_CFG_UNKNOWN_KEY);
	CHECK(err_has("...'"));
}

TEST(missing_equals)
{
	CHECK_EQ(parse("\n\nmodule \\EFI\\hv\\k.elf\n"), EFI_CFG_NO_EQUALS);
	CHECK_EQ(cfg.error_line, 3);
	CHECK(err_has("line 3: no '=' in \"module \\EFI\\hv\\k.elf\"") &&
	      err_has("expected cmdline=COMMAND LINE or module=PATH [STRING]"));
}

TEST(duplicate_cmdline)
{
	CHECK_EQ(parse("cmdline=a\nmodule=k\ncmdline=b\n"), EFI_CFG_DUPLICATE);
	CHECK(err_has("line 3: cmdline given again (first on line 1)"));
}

TEST(empty_module_path)
{
	CHECK_EQ(parse("module=\n"), EFI_CFG_EMPTY_PATH);
	CHECK(err_has("line 1: module= without a file path: expected module=PATH [STRING]"));
	CHECK_EQ(parse("module=   \t\n"), EFI_CFG_EMPTY_PATH);
}

TEST(bad_path_characters)
{
	static const char bad[] = "*:<>?|\"";

	for (const char *c = bad; *c; c++) {
		char text[64];

		snprintf(text, sizeof(text), "module=\\EFI\\a%cb.elf s\n", *c);
		CHECK_EQ(parse(text), EFI_CFG_BAD_PATH);
		CHECK(err_has("file names cannot hold"));
	}
	CHECK_EQ(parse("module=fs0:\\k.elf\n"), EFI_CFG_BAD_PATH);
}

TEST(too_many_modules)
{
	char text[4096] = "", want[64];
	size_t n = 0;

	for (int i = 0; i < BOOT_MODULES_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "module=m%d.elf arg%d\n", i, i);
	CHECK_EQ(parse(text), EFI_CFG_OK);
	CHECK_EQ(cfg.module_count, BOOT_MODULES_MAX);
	snprintf(want, sizeof(want), "arg%d", BOOT_MODULES_MAX - 1);
	CHECK_STR(cfg.modules[BOOT_MODULES_MAX - 1].string, want);
	snprintf(text + n, sizeof(text) - n, "module=one-too-many.elf\n");
	CHECK_EQ(parse(text), EFI_CFG_TOO_MANY_MODULES);
	CHECK_EQ(cfg.error_line, BOOT_MODULES_MAX + 1);
	snprintf(want, sizeof(want), "line %d: more than %d module lines",
		 BOOT_MODULES_MAX + 1, BOOT_MODULES_MAX);
	CHECK(err_has(want));
}

/* "key=" followed by n copies of c, then a newline. */
static char *line_of(const char *key, char c, size_t n)
{
	size_t k = strlen(key);
	char *s = malloc(k + n + 2);

	memcpy(s, key, k);
	memset(s + k, c, n);
	s[k + n] = '\n';
	s[k + n + 1] = '\0';
	return s;
}

TEST(value_limits)
{
	char want[96];
	char *s;

	s = line_of("cmdline=", 'c', BOOT_CMDLINE_MAX - 1);
	CHECK_EQ(parse(s), EFI_CFG_OK);
	CHECK_EQ(strlen(cfg.cmdline), BOOT_CMDLINE_MAX - 1);
	free(s);
	s = line_of("cmdline=", 'c', BOOT_CMDLINE_MAX);
	CHECK_EQ(parse(s), EFI_CFG_VALUE_TOO_LONG);
	snprintf(want, sizeof(want), "line 1: cmdline is %d characters long, at most %d fit",
		 BOOT_CMDLINE_MAX, BOOT_CMDLINE_MAX - 1);
	CHECK(err_has(want));
	free(s);

	s = line_of("module=", 'p', EFI_CFG_PATH_MAX - 1);
	CHECK_EQ(parse(s), EFI_CFG_OK);
	free(s);
	s = line_of("module=", 'p', EFI_CFG_PATH_MAX);
	CHECK_EQ(parse(s), EFI_CFG_VALUE_TOO_LONG);
	snprintf(want, sizeof(want), "module path is %d characters long, at most %d fit",
		 EFI_CFG_PATH_MAX, EFI_CFG_PATH_MAX - 1);
	CHECK(err_has(want));
	free(s);

	s = line_of("module=k.elf ", 's', BOOT_MODULE_STRING_MAX - 1);
	CHECK_EQ(parse(s), EFI_CFG_OK);
	CHECK_EQ(strlen(cfg.modules[0].string), BOOT_MODULE_STRING_MAX - 1);
	free(s);
	s = line_of("module=k.elf ", 's', BOOT_MODULE_STRING_MAX);
	CHECK_EQ(parse(s), EFI_CFG_VALUE_TOO_LONG);
	snprintf(want, sizeof(want), "module string is %d characters long, at most %d fit",
		 BOOT_MODULE_STRING_MAX, BOOT_MODULE_STRING_MAX - 1);
	CHECK(err_has(want));
	free(s);
}

TEST(line_too_long)
{
	char *s = line_of("#", 'x', EFI_CFG_LINE_MAX - 1); /* exactly the max */

	CHECK_EQ(parse(s), EFI_CFG_OK);
	free(s);
	s = line_of("#", 'x', EFI_CFG_LINE_MAX);
	CHECK_EQ(parse(s), EFI_CFG_LINE_TOO_LONG);
	CHECK(err_has("line 1: line longer than ") && err_has(" characters"));
	free(s);
	/* a long line is refused even without a line end after it */
	s = line_of("#", 'x', EFI_CFG_LINE_MAX);
	s[EFI_CFG_LINE_MAX + 1] = '\0';
	CHECK_EQ(parse(s), EFI_CFG_LINE_TOO_LONG);
	free(s);
}

TEST(file_too_large)
{
	size_t n = EFI_CFG_FILE_MAX + 1;
	char *s = malloc(n);

	memset(s, '\n', n);
	CHECK_EQ(parse_bytes(s, n), EFI_CFG_TOO_LARGE);
	CHECK_EQ(cfg.error_line, 0);
	CHECK(err_has("the file is 65537 bytes, at most 65536"));
	CHECK_EQ(parse_bytes(s, n - 1), EFI_CFG_OK);
	free(s);
}

TEST(nul_and_control_bytes)
{
	static const char nul[] = "cmdline=a\nmodule=k\0.elf\n";

	CHECK_EQ(parse_bytes(nul, sizeof(nul) - 1), EFI_CFG_BAD_CHAR);
	CHECK_EQ(cfg.error_line, 2);
	CHECK(err_has("line 2: NUL byte at column 9") && err_has("UTF-16 without a byte-order mark"));
	CHECK_EQ(parse("cmdline=a\x01" "b\n"), EFI_CFG_BAD_CHAR);
	CHECK(err_has("line 1: control character 0x01 at column 10"));
	CHECK_EQ(parse("cmdline=\x7f\n"), EFI_CFG_BAD_CHAR);
	CHECK(err_has("control character 0x7f"));
	CHECK_EQ(parse("cmdline=a\tb\n"), EFI_CFG_OK); /* tabs are blanks */
}

TEST(lone_carriage_return)
{
	CHECK_EQ(parse("cmdline=a\rmodule=k\r"), EFI_CFG_BAD_CHAR);
	CHECK(err_has("line 1: carriage return not followed by a line feed at column 10"));
	CHECK_EQ(parse("cmdline=a\r"), EFI_CFG_BAD_CHAR);
}

TEST(non_ascii)
{
	CHECK_EQ(parse("cmdline=x\nmodule=\\EFI\\caf\xc3\xa9.elf\n"), EFI_CFG_BAD_CHAR);
	CHECK_EQ(cfg.error_line, 2);
	CHECK(err_has("line 2: non-ASCII byte 0xc3 at column 16: only ASCII is accepted"));
}

TEST(utf8_bom)
{
	CHECK_EQ(parse("\xef\xbb\xbf" "cmdline=x\nmodule=k.elf s\n"), EFI_CFG_OK);
	CHECK_EQ(cfg.encoding, EFI_CFG_UTF8_BOM);
	CHECK_STR(cfg.cmdline, "x");
	CHECK_EQ(cfg.module_count, 1);
	/* a BOM anywhere else is just non-ASCII */
	CHECK_EQ(parse("cmdline=x\n\xef\xbb\xbf" "module=k\n"), EFI_CFG_BAD_CHAR);
}

TEST(utf16le)
{
	CHECK_EQ(parse_utf16("cmdline=onidle=exit\r\nmodule=\\EFI\\hv\\hello.elf hello\r\n", true),
		 EFI_CFG_OK);
	CHECK_EQ(cfg.encoding, EFI_CFG_UTF16LE);
	CHECK_STR(cfg.cmdline, "onidle=exit");
	CHECK_STR(cfg.modules[0].path, "\\EFI\\hv\\hello.elf");
	CHECK_STR(cfg.modules[0].string, "hello");
	CHECK_EQ(parse_utf16("", true), EFI_CFG_OK);
	CHECK_EQ(parse_utf16("x\n", true), EFI_CFG_NO_EQUALS);
	CHECK(err_has("line 1: no '='"));
	/* without the byte-order mark: the NUL bytes give it away */
	CHECK_EQ(parse_utf16("cmdline=x\n", false), EFI_CFG_BAD_CHAR);
	CHECK(err_has("line 1: NUL byte at column 2 (is the file UTF-16 without a byte-order mark?)"));
}

TEST(utf16_malformed)
{
	static const u8 be[] = { 0xfe, 0xff, 0, 'c' };
	static const u8 odd[] = { 0xff, 0xfe, 'c', 0, 'm' };
	static const u8 wide[] = { 0xff, 0xfe, 'c', 0, '=', 0, 0xe9, 0, '\n', 0 };
	static const u8 high[] = { 0xff, 0xfe, '#', 0, 0x3d, 0xd8, '\n', 0 };
	static const u8 nul[] = { 0xff, 0xfe, '#', 0, 0, 0, '\n', 0 };

	CHECK_EQ(parse_bytes(be, sizeof(be)), EFI_CFG_BAD_ENCODING);
	CHECK(err_has("UTF-16 big-endian") && err_has("save it as ASCII, UTF-8 or UTF-16LE"));
	CHECK_EQ(cfg.error_line, 0);
	CHECK_EQ(parse_bytes(odd, sizeof(odd)), EFI_CFG_BAD_ENCODING);
	CHECK(err_has("odd number of bytes (5)"));
	CHECK_EQ(parse_bytes(wide, sizeof(wide)), EFI_CFG_BAD_CHAR);
	CHECK(err_has("line 1: non-ASCII character U+00E9 at column 3"));
	CHECK_EQ(parse_bytes(high, sizeof(high)), EFI_CFG_BAD_CHAR);
	CHECK(err_has("U+D83D"));
	CHECK_EQ(parse_bytes(nul, sizeof(nul)), EFI_CFG_BAD_CHAR);
	CHECK(err_has("NUL character at column 2"));
	CHECK(!strstr(err, "without a byte-order mark"));
}

TEST(error_line_counts_crlf_and_comments)
{
	CHECK_EQ(parse("# a\r\n\r\ncmdline=x\r\n  # b\r\nbogus\r\n"), EFI_CFG_NO_EQUALS);
	CHECK_EQ(cfg.error_line, 5);
	CHECK(err_has("line 5: "));
}

TEST(small_error_buffer)
{
	char small[12];
	struct efi_cfg c;

	memset(small, 0x55, sizeof(small));
	CHECK_EQ(efi_cfg_parse("nonsense\n", 9, &c, small, sizeof(small)), EFI_CFG_NO_EQUALS);
	CHECK_EQ(strlen(small), sizeof(small) - 1);
	CHECK_STR(small, "line 1: no ");
	CHECK_EQ(efi_cfg_parse("nonsense\n", 9, &c, NULL, 0), EFI_CFG_NO_EQUALS);
	CHECK_EQ(c.error_line, 1);
}

/* Every prefix of a good file, and fixed-seed byte mutations of it,
 * parse without reading out of bounds and with a terminated message. */
TEST(prefixes_and_mutations)
{
	static const char good[] = "\xef\xbb\xbf# c\r\ncmdline=loglevel=debug onidle=exit\r\n"
		"module=\"\\EFI\\hv\\a b.elf\" vm0 x=1\nmodule=rel/k.bin\n";
	size_t n = sizeof(good) - 1;
	u8 buf[sizeof(good)];
	unsigned seed = 1;

	for (size_t i = 0; i <= n; i++) {
		enum efi_cfg_status st = parse_bytes(good, i);

		CHECK(st == EFI_CFG_OK || st == EFI_CFG_BAD_PATH || st == EFI_CFG_BAD_CHAR ||
		      st == EFI_CFG_NO_EQUALS || st == EFI_CFG_UNKNOWN_KEY ||
		      st == EFI_CFG_EMPTY_PATH);
		CHECK(st == EFI_CFG_OK || err[0]);
	}
	for (int round = 0; round < 20000; round++) {
		enum efi_cfg_status st;

		memcpy(buf, good, n);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % n] = (u8)(seed >> 20);
		}
		st = parse_bytes(buf, n);
		CHECK(st == EFI_CFG_OK ? err[0] == '\0' : err[0] != '\0');
		CHECK(strcmp(efi_cfg_status_name(st), "unknown status"));
	}
}

TEST(dirname)
{
	char d[32];

	CHECK(efi_cfg_dirname("\\EFI\\BOOT\\BOOTX64.EFI", d, sizeof(d)));
	CHECK_STR(d, "\\EFI\\BOOT");
	CHECK(efi_cfg_dirname("\\BOOTX64.EFI", d, sizeof(d)));
	CHECK_STR(d, "");
	CHECK(efi_cfg_dirname("BOOTX64.EFI", d, sizeof(d)));
	CHECK_STR(d, "");
	CHECK(!efi_cfg_dirname("\\EFI\\BOOT\\X", d, 9));
	CHECK(efi_cfg_dirname("\\EFI\\BOOT\\X", d, 10));
	CHECK_STR(d, "\\EFI\\BOOT");
}

TEST(resolve)
{
	char p[24];

	CHECK(efi_cfg_resolve("\\EFI\\BOOT", "\\EFI\\hv\\k.elf", p, sizeof(p)));
	CHECK_STR(p, "\\EFI\\hv\\k.elf");
	CHECK(efi_cfg_resolve("\\EFI\\BOOT", "/EFI/hv/k.elf", p, sizeof(p)));
	CHECK_STR(p, "\\EFI\\hv\\k.elf");
	CHECK(efi_cfg_resolve("\\EFI\\BOOT", "hv/k.elf", p, sizeof(p)));
	CHECK_STR(p, "\\EFI\\BOOT\\hv\\k.elf");
	CHECK(efi_cfg_resolve("", "k.elf", p, sizeof(p)));
	CHECK_STR(p, "\\k.elf");
	CHECK(efi_cfg_resolve("\\EFI\\BOOT", "1234567890123", p, sizeof(p))); /* 23 */
	CHECK_STR(p, "\\EFI\\BOOT\\1234567890123");
	CHECK(!efi_cfg_resolve("\\EFI\\BOOT", "12345678901234", p, sizeof(p)));
	CHECK(!efi_cfg_resolve("", "\\12345678901234567890123", p, sizeof(p)));
	CHECK(efi_cfg_resolve("", "\\1234567890123456789012", p, sizeof(p)));
}

RUN_TESTS("efi_config",
	  T(good_file), T(empty_and_comment_only), T(crlf_and_missing_final_newline),
	  T(blanks_around_keys_and_values), T(quoted_path), T(unknown_key),
	  T(missing_equals), T(duplicate_cmdline), T(empty_module_path),
	  T(bad_path_characters), T(too_many_modules), T(value_limits),
	  T(line_too_long), T(file_too_large), T(nul_and_control_bytes),
	  T(lone_carriage_return), T(non_ascii), T(utf8_bom), T(utf16le),
	  T(utf16_malformed), T(error_line_counts_crlf_and_comments),
	  T(small_error_buffer), T(prefixes_and_mutations), T(dirname), T(resolve))
