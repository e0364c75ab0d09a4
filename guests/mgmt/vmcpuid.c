/* `vm cpuid NAME [vendor=TEXT] [LEAF[.SUB]=EAX:EBX:ECX:EDX ...]`: a
 * child's CPUID table, set before it first runs. hvctl starts from what
 * it is offered itself (the hypervisor's default table), changes what the
 * words say and sets the whole table (HV_CALL_VM_SET_CPUID). */
#include "guests/mgmt/mgmt.h"

#if HV_ABI_HEADER_REVISION >= 2 /* VM_SET_CPUID came after v1 */

#define LEAF4_SUBLEAVES_MAX 8
#define HV_LEAVES_MAX 0x100

static struct hv_cpuid_entry table[HV_CPUID_MAX_ENTRIES];
static u32 count;

/* Leaves whose answer depends on the subleaf: their entries name it. */
static bool indexed_leaf(u32 leaf)
{
	return leaf == 4 || leaf == 7;
}

/* The entry for leaf.sub, added (zeros) when the table has none; NULL
 * when the table is full. */
static struct hv_cpuid_entry *entry_for(u32 leaf, u32 sub)
{
	u32 flags = indexed_leaf(leaf) ? HV_CPUID_ENTRY_INDEXED : 0;

	for (u32 i = 0; i < count; i++)
		if (table[i].function == leaf && table[i].index == sub)
			return &table[i];
	if (count == HV_CPUID_MAX_ENTRIES)
		return NULL;
	table[count] = (struct hv_cpuid_entry){ .function = leaf, .flags = flags,
						.index = flags ? sub : 0 };
	return &table[count++];
}

/* What VM 0 is offered for leaf.sub; a leaf answering zeros needs no
 * entry, as the table's unlisted leaves read zeros. */
static void add_own(u32 leaf, u32 sub)
{
	struct cpuid_out r = guest_cpuid(leaf, sub);
	struct hv_cpuid_entry *e;

	if (!(r.eax | r.ebx | r.ecx | r.edx) || !(e = entry_for(leaf, sub)))
		return;
	e->eax = r.eax;
	e->ebx = r.ebx;
	e->ecx = r.ecx;
	e->edx = r.edx;
}

/* Leaf 0xD is the hypervisor's alone; leaf 4 lists caches up to the
 * first of type 0, leaf 7 has subleaf 0 only. */
static void add_range(u32 first, u32 last)
{
	for (u32 leaf = first; leaf <= last && leaf - first < HV_LEAVES_MAX; leaf++) {
		if (leaf == 0xd)
			continue;
		add_own(leaf, 0);
		for (u32 sub = 1; leaf == 4 && sub < LEAF4_SUBLEAVES_MAX &&
				  (guest_cpuid(4, sub).eax & 0x1f); sub++)
			add_own(leaf, sub);
	}
}

static void default_table(void)
{
	count = 0;
	add_range(0, guest_cpuid(0, 0).eax);
	add_range(0x80000000, guest_cpuid(0x80000000, 0).eax);
	add_range(HV_CPUID_BASE, guest_cpuid(HV_CPUID_BASE, 0).eax);
}

/* The number at *s up to the next '.', '=' or ':' (or the end); *s moves
 * past that character, which goes to *sep ('\0' at the end). */
static bool take_u32(const char **s, char *sep, u32 *out)
{
	char buf[24];
	size_t n = 0;
	u64 v;

	while ((*s)[n] && (*s)[n] != '.' && (*s)[n] != '=' && (*s)[n] != ':' &&
	       n < sizeof(buf) - 1) {
		buf[n] = (*s)[n];
		n++;
	}
	buf[n] = '\0';
	*sep = (*s)[n];
	*s += n + (*sep != '\0');
	if (!parse_u64(buf, &v) || v > 0xffffffffu)
		return false;
	*out = (u32)v;
	return true;
}

/* LEAF[.SUB]=EAX:EBX:ECX:EDX */
static bool apply_entry(const char *w)
{
	static const char seps[4] = { ':', ':', ':', '\0' };
	u32 leaf, sub = 0, r[4];
	struct hv_cpuid_entry *e;
	char sep;

	if (!take_u32(&w, &sep, &leaf) || (sep == '.' && !take_u32(&w, &sep, &sub)) ||
	    sep != '=')
		return false;
	for (u32 i = 0; i < 4; i++)
		if (!take_u32(&w, &sep, &r[i]) || sep != seps[i])
			return false;
	if (!(e = entry_for(leaf, sub)))
		return false;
	e->eax = r[0];
	e->ebx = r[1];
	e->ecx = r[2];
	e->edx = r[3];
	return true;
}

/* Leaf 0's vendor: EBX, EDX, ECX. */
static bool apply_vendor(const char *v)
{
	struct hv_cpuid_entry *e = entry_for(0, 0);

	if (strlen(v) != 12 || !e)
		return false;
	memcpy(&e->ebx, v, 4);
	memcpy(&e->edx, v + 4, 4);
	memcpy(&e->ecx, v + 8, 4);
	return true;
}

static bool apply_words(struct words *ws)
{
	for (int i = 3; i < ws->n; i++) {
		const char *v = opt_value(ws->w[i], "vendor");

		if (v ? !apply_vendor(v) : !apply_entry(ws->w[i])) {
			gprintf("error: '%s': want vendor=12CHARACTERS or "
				"LEAF[.SUB]=EAX:EBX:ECX:EDX\n", ws->w[i]);
			return false;
		}
	}
	return true;
}

void cmd_vm_cpuid(struct words *ws)
{
	struct child *c = ws->n > 2 ? child_find(ws->w[2]) : NULL;
	struct hv_vm_set_cpuid a = { sizeof(a), 0, 0, 0, (u64)table, 0 };
	long err;

	if (!c) {
		gprintf("error: usage: vm cpuid NAME [vendor=TEXT] [LEAF[.SUB]=EAX:EBX:ECX:EDX ...]"
			" (a VM that has not run yet)\n");
		return;
	}
	default_table();
	if (!apply_words(ws))
		return;
	a.vm = c->id;
	a.count = count;
	err = hv_call(HV_CALL_VM_SET_CPUID, &a);
	if (err)
		gprintf("error: vm %s: cpuid: %s\n", c->name, err_name(err));
	else
		gprintf("vm %s: cpuid table of %u entries set\n", c->name, count);
}
#else
void cmd_vm_cpuid(struct words *ws)
{
	(void)ws;
	gprintf("error: vm cpuid: this hvctl is built against ABI v1\n");
}
#endif
