/* The config modules' parser (vmconfig.h has the format). The file is
 * untrusted bytes: each line is bounded and checked before it is used,
 * and every error names its line and what was expected. */
#include "guests/mgmt/vmconfig.h"
#include "guests/mgmt/mgmt.h"

#define MEM_DEFAULT (16 * MIB)

struct parse {
	struct vm_config *cfg;
	const char *file;
	u32 line;
	struct vm_def *vm; /* the section being read, or NULL */
	char *err;
	size_t errlen;
};

/* The first c in s, or NULL. */
static char *find_char(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return (char *)s;
	return NULL;
}

static int __printf(2, 3) fail(struct parse *ps, const char *fmt, ...)
{
	va_list ap;
	size_t n = MIN((size_t)hv_snprintf(ps->err, ps->errlen, "%s:%u: ", ps->file, ps->line),
		       ps->errlen - 1);

	va_start(ap, fmt);
	hv_vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

const struct vm_def *vmcfg_find(const struct vm_config *cfg, const char *name)
{
	for (u32 i = 0; i < cfg->n; i++)
		if (!strcmp(cfg->def[i].name, name))
			return &cfg->def[i];
	return NULL;
}

const char *vmcfg_on_stop_name(enum vm_on_stop s)
{
	static const char *const names[] = {
		[ON_STOP_KEEP] = "keep", [ON_STOP_RESTART] = "restart",
		[ON_STOP_DESTROY] = "destroy", [ON_STOP_STOP_MACHINE] = "stop-machine",
	};

	return names[s];
}

/* --- values ------------------------------------------------------------ */

/* A value copied into a field of len bytes; false when it does not fit. */
static bool copy_value(char *dst, size_t len, const char *v)
{
	return hv_strlcpy(dst, v, len) < len;
}

static int set_module(struct parse *ps, char *dst, const char *v)
{
	if (!*v || find_char(v, ' ') || !copy_value(dst, VMCFG_MODULE_MAX, v))
		return fail(ps, "expected a boot module's name (one word, at most %u characters)",
			    VMCFG_MODULE_MAX - 1);
	return 0;
}

static int key_kernel(struct parse *ps, const char *v)
{
	return set_module(ps, ps->vm->kernel, v);
}

static int key_initrd(struct parse *ps, const char *v)
{
	return set_module(ps, ps->vm->initrd, v);
}

static int key_modules(struct parse *ps, const char *v)
{
	if (!*v || find_char(v, ' ') || !copy_value(ps->vm->modules, VMCFG_MODULES_MAX, v))
		return fail(ps, "expected module names separated by commas, no spaces");
	return 0;
}

static int key_cmdline(struct parse *ps, const char *v)
{
	char text[VMCFG_LINE_MAX + 1];

	trim_copy(text, sizeof(text), v, true);
	if (!copy_value(ps->vm->cmdline, VMCFG_CMDLINE_MAX, text))
		return fail(ps, "expected a command line of at most %u characters",
			    VMCFG_CMDLINE_MAX - 1);
	ps->vm->has_cmdline = true;
	return 0;
}

static int key_mem(struct parse *ps, const char *v)
{
	u64 mem;

	if (!parse_size(v, &mem) || !mem || mem % (2 * MIB))
		return fail(ps, "expected a size in MiB or with K/M/G, a multiple of 2M (mem = 32M)");
	ps->vm->mem = mem;
	return 0;
}

static int key_vcpus(struct parse *ps, const char *v)
{
	u64 n;

	if (!parse_u64(v, &n) || !n || n > CHILD_VCPUS_MAX)
		return fail(ps, "expected a number of vCPUs from 1 to %u", CHILD_VCPUS_MAX);
	ps->vm->vcpus = (u32)n;
	return 0;
}

/* One item of a CPU list, "N" or "N-M", into *set. */
static bool cpu_item(const char *s, size_t len, u64 *set)
{
	char item[24], *dash;
	u64 lo, hi;

	if (!len || len >= sizeof(item))
		return false;
	memcpy(item, s, len);
	item[len] = '\0';
	dash = find_char(item, '-');
	if (dash)
		*dash = '\0';
	if (!parse_u64(item, &lo) || !parse_u64(dash ? dash + 1 : item, &hi))
		return false;
	if (lo > hi || hi >= VMCFG_CPUS)
		return false;
	for (u64 c = lo; c <= hi; c++)
		*set |= 1ULL << c;
	return true;
}

bool cpu_list_parse(const char *v, u64 *set)
{
	*set = 0;
	for (const char *p = v;; p++) {
		const char *comma = find_char(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (!cpu_item(p, len, set))
			return false;
		if (!comma)
			return true;
		p = comma;
	}
}

static int key_cpus(struct parse *ps, const char *v)
{
	if (!cpu_list_parse(v, &ps->vm->cpus))
		return fail(ps, "expected a CPU list of numbers 0-%u and ranges (cpus = 0,2-3)",
			    VMCFG_CPUS - 1);
	return 0;
}

/* yes|no or on|off, as the key's own words say. */
static int flag(struct parse *ps, bool *dst, const char *v, const char *yes, const char *no)
{
	if (strcmp(v, yes) && strcmp(v, no))
		return fail(ps, "expected %s or %s", yes, no);
	*dst = !strcmp(v, yes);
	return 0;
}

static int key_pc(struct parse *ps, const char *v)
{
	return flag(ps, &ps->vm->pc, v, "on", "off");
}

static int key_autostart(struct parse *ps, const char *v)
{
	return flag(ps, &ps->vm->autostart, v, "yes", "no");
}

static int key_devices(struct parse *ps, const char *v)
{
	struct words ws;

	if (!words_split(&ws, v) || !ws.n)
		return fail(ps, "expected devices: mmio, lapic, pc");
	for (int i = 0; i < ws.n; i++) {
		if (!strcmp(ws.w[i], "mmio"))
			ps->vm->mmio = true;
		else if (!strcmp(ws.w[i], "lapic"))
			ps->vm->lapic = true;
		else if (!strcmp(ws.w[i], "pc"))
			ps->vm->pc = true;
		else
			return fail(ps, "expected devices: mmio, lapic, pc (not '%s')", ws.w[i]);
	}
	return 0;
}

static int key_on_stop(struct parse *ps, const char *v)
{
	for (u32 s = ON_STOP_KEEP; s <= ON_STOP_STOP_MACHINE; s++) {
		if (!strcmp(v, vmcfg_on_stop_name(s))) {
			ps->vm->on_stop = s;
			return 0;
		}
	}
	return fail(ps, "expected keep, restart, destroy or stop-machine");
}

static const struct {
	const char *key;
	int (*set)(struct parse *ps, const char *value);
} keys[] = {
	{ "kernel", key_kernel },   { "initrd", key_initrd }, { "modules", key_modules },
	{ "cmdline", key_cmdline }, { "mem", key_mem },       { "vcpus", key_vcpus },
	{ "cpus", key_cpus },       { "pc", key_pc },         { "devices", key_devices },
	{ "autostart", key_autostart }, { "on_stop", key_on_stop },
};

/* --- lines ------------------------------------------------------------- */

/* The end of the section being read: it must name its kernel. */
static int section_end(struct parse *ps)
{
	if (ps->vm && !ps->vm->kernel[0]) {
		ps->line = ps->vm->line;
		return fail(ps, "[%s] has no kernel = MODULE", ps->vm->name);
	}
	return 0;
}

static int section(struct parse *ps, char *s)
{
	size_t n = strlen(s);
	const char *why;
	struct vm_def *d;

	if (s[n - 1] != ']')
		return fail(ps, "expected [NAME]");
	s[n - 1] = '\0';
	if ((why = vm_name_problem(s + 1)))
		return fail(ps, "[%s]: %s", s + 1, why);
	if (vmcfg_find(ps->cfg, s + 1))
		return fail(ps, "[%s] is defined twice", s + 1);
	if (section_end(ps))
		return -1;
	if (ps->cfg->n == VMCFG_VMS_MAX)
		return fail(ps, "at most %u VMs can be defined", VMCFG_VMS_MAX);
	d = &ps->cfg->def[ps->cfg->n++];
	memset(d, 0, sizeof(*d));
	hv_strlcpy(d->name, s + 1, sizeof(d->name));
	d->mem = MEM_DEFAULT;
	d->vcpus = 1;
	d->line = ps->line;
	ps->vm = d;
	return 0;
}

/* Cuts a comment off s: '#' first on the line or after a space, not
 * within double quotes. */
static void strip_comment(char *s)
{
	bool quoted = false;

	for (char *p = s; *p; p++) {
		quoted ^= *p == '"';
		if (*p == '#' && !quoted && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
	}
}

static int assignment(struct parse *ps, char *s)
{
	char key[16], value[VMCFG_LINE_MAX + 1];
	char *eq = find_char(s, '=');

	if (!eq)
		return fail(ps, "expected [NAME] or KEY = VALUE");
	*eq = '\0';
	trim_copy(key, sizeof(key), s, false);
	trim_copy(value, sizeof(value), eq + 1, false);
	for (u32 i = 0; i < ARRAY_SIZE(keys); i++) {
		if (strcmp(key, keys[i].key))
			continue;
		if (!ps->vm)
			return fail(ps, "expected [NAME] before %s =", key);
		if (ps->vm->keys & (1u << i))
			return fail(ps, "%s is set twice in [%s]", key, ps->vm->name);
		ps->vm->keys |= 1u << i;
		return keys[i].set(ps, value);
	}
	return fail(ps, "expected a key (kernel initrd modules cmdline mem vcpus cpus pc devices "
		    "autostart on_stop), not '%s'", key);
}

/* One line, without its end of line. */
static int line(struct parse *ps, const char *text, size_t len)
{
	char raw[VMCFG_LINE_MAX + 1], s[VMCFG_LINE_MAX + 1];

	if (len > VMCFG_LINE_MAX)
		return fail(ps, "expected a line of at most %u characters", VMCFG_LINE_MAX);
	for (size_t i = 0; i < len; i++)
		if ((text[i] < ' ' || text[i] > '~') && text[i] != '\t' && text[i] != '\r')
			return fail(ps, "expected printable ASCII text (byte 0x%02x in column %u)",
				    (u8)text[i], (u32)i + 1);
	memcpy(raw, text, len);
	raw[len] = '\0';
	strip_comment(raw);
	trim_copy(s, sizeof(s), raw, false);
	if (!s[0])
		return 0;
	if (s[0] == '[')
		return section(ps, s);
	return assignment(ps, s);
}

int vmcfg_parse(struct vm_config *cfg, const char *file, const char *text, size_t len,
		char *err, size_t errlen)
{
	struct parse ps = { cfg, file, 0, NULL, err, errlen };
	u32 before = cfg->n;
	size_t start = 0;

	while (start < len) {
		size_t end = start;

		while (end < len && text[end] != '\n')
			end++;
		ps.line++;
		if (line(&ps, text + start, end - start)) {
			cfg->n = before;
			return -1;
		}
		start = end + 1;
	}
	if (section_end(&ps)) {
		cfg->n = before;
		return -1;
	}
	return 0;
}
