/* VM definitions in a file, as xl.cfg or a Jailhouse cell: the parser
 * of hvctl's config modules (no hardware, unit-tested). The format, one
 * statement a line:
 *
 *   # a comment (also after a value: " #" starts one)
 *   [NAME]                 a VM's section; NAME as `vm create` takes it
 *   kernel = MODULE        its image, a boot module's name (required)
 *   initrd = MODULE        a Linux kernel's initrd
 *   modules = M1,M2        a multiboot kernel's modules
 *   cmdline = TEXT         its command line (the rest of the line; one
 *                          pair of surrounding double quotes is removed)
 *   mem = SIZE             MiB, or with K/M/G; default 16M
 *   vcpus = N              default 1
 *   cpus = LIST            the host CPUs it may run on: "0", "1-3",
 *                          "0,2-3" (CPUs 0-63); recorded only
 *   pc = on|off            a PC's devices and tables (`pc`)
 *   devices = WORD...      create options: mmio, lapic, pc
 *   autostart = yes|no     created and started when hvctl starts
 *   on_stop = keep|restart|destroy|stop-machine
 *                          when it stops by itself (exit, halt, fault,
 *                          power-off, reset): stay listed with its
 *                          result (keep, the default), boot again, be
 *                          destroyed, or end the machine with its result
 *
 * Spaces around '=' and at the ends of a line do not matter; keys are
 * lower case; a key appears at most once per section. Any other line is
 * an error, reported as "FILE:LINE: what was expected", and a file with
 * an error defines nothing. */
#ifndef GUESTS_MGMT_VMCONFIG_H
#define GUESTS_MGMT_VMCONFIG_H

#include "lib/string.h"

#define VMCFG_VMS_MAX 16      /* definitions over all files */
#define VMCFG_LINE_MAX 511    /* characters of one line */
#define VMCFG_NAME_MAX 32     /* a VM's name with its NUL (HV_NAME_MAX) */
#define VMCFG_MODULE_MAX 64   /* a module's name (HV_BOOT_MODULE_NAME_MAX) */
#define VMCFG_MODULES_MAX 256 /* modules = M1,M2,... */
#define VMCFG_CMDLINE_MAX 256
#define VMCFG_CPUS 64         /* cpus = names CPUs 0 .. VMCFG_CPUS - 1 */
#define VMCFG_ERR_MAX 160

enum vm_on_stop {
	ON_STOP_KEEP,
	ON_STOP_RESTART,
	ON_STOP_DESTROY,
	ON_STOP_STOP_MACHINE,
};

struct vm_def {
	char name[VMCFG_NAME_MAX];
	char kernel[VMCFG_MODULE_MAX];
	char initrd[VMCFG_MODULE_MAX];   /* "": none */
	char modules[VMCFG_MODULES_MAX]; /* "": none */
	char cmdline[VMCFG_CMDLINE_MAX];
	bool has_cmdline;                /* else the module's own arguments */
	u64 mem;
	u32 vcpus;
	u64 cpus;                        /* bit n: CPU n; 0: any */
	bool pc, mmio, lapic, autostart;
	enum vm_on_stop on_stop;
	u32 line;                        /* its [NAME] line */
	u32 keys;                        /* the keys set so far (bit per key) */
};

struct vm_config {
	u32 n;
	struct vm_def def[VMCFG_VMS_MAX];
};

/* Adds the definitions of one file (len bytes of text, not necessarily
 * NUL-terminated) to cfg. 0, or -1 with err "FILE:LINE: ..." and cfg as
 * it was before. */
int vmcfg_parse(struct vm_config *cfg, const char *file, const char *text, size_t len,
		char *err, size_t errlen);
const struct vm_def *vmcfg_find(const struct vm_config *cfg, const char *name);

static inline bool vm_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* What is wrong with a VM name, or NULL when it is a good one: 1 to
 * VMCFG_NAME_MAX - 1 characters of letters, digits, '-', '_' and '.',
 * not digits alone (those are ids) and not "all". (Inline: `vm create`
 * and the parser share it without one needing the other.) */
static inline const char *vm_name_problem(const char *name)
{
	size_t n = strlen(name), digits = 0;

	if (!n || n >= VMCFG_NAME_MAX)
		return "a VM name has 1-31 characters";
	for (size_t i = 0; i < n; i++) {
		if (!vm_name_char(name[i]))
			return "a VM name has letters, digits, '-', '_' and '.' only";
		digits += name[i] >= '0' && name[i] <= '9';
	}
	if (digits == n)
		return "a VM name is not a number (numbers are VM ids)";
	if (!strcmp(name, "all"))
		return "'all' is reserved (vm destroy all)";
	return NULL;
}
const char *vmcfg_on_stop_name(enum vm_on_stop s);
/* A CPU list, "0,2-3", as a set (bit n: CPU n); false if it is not one. */
bool cpu_list_parse(const char *v, u64 *set);

#endif
