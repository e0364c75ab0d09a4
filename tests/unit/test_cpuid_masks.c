/* The allowlist masks of the CPUID policy are hex constants; here each is
 * rebuilt from the named bit positions of the Intel SDM (vol. 2A, CPUID,
 * feature information and structured extended feature flags) and the AMD
 * APM (vol. 3, appendix E), so a typo in a constant shows up as a name. */
#include "check.h"
#include "../../hv/cpuid_policy.c"
#include "../../arch/x86/xcr0.c"

TEST(leaf1_ecx)
{
	enum { SSE3 = 0, PCLMULQDQ = 1, SSSE3 = 9, FMA = 12, CX16 = 13, PCID = 17,
	       SSE4_1 = 19, SSE4_2 = 20, MOVBE = 22, POPCNT = 23, AES = 25,
	       XSAVE = 26, OSXSAVE = 27, AVX = 28, F16C = 29, RDRAND = 30,
	       HYPERVISOR = 31 };

	CHECK_EQ(L1_ECX_KEEP,
		 B(SSE3) | B(PCLMULQDQ) | B(SSSE3) | B(FMA) | B(CX16) | B(PCID) |
		 B(SSE4_1) | B(SSE4_2) | B(MOVBE) | B(POPCNT) | B(AES) |
		 B(XSAVE) | B(AVX) | B(F16C) | B(RDRAND));
	CHECK_EQ(L1_ECX_XSAVE, B(XSAVE));
	CHECK_EQ(L1_ECX_OSXSAVE, B(OSXSAVE));
	CHECK_EQ(L1_ECX_AVX, B(AVX));
	CHECK_EQ(L1_ECX_HYPERVISOR, B(HYPERVISOR));
}

/* Leaf 1 EDX, shared with 0x80000001 EDX where AMD mirrors it. */
enum { FPU = 0, VME = 1, DE = 2, PSE = 3, TSC = 4, MSR = 5, PAE = 6, CX8 = 8,
       SEP = 11, PGE = 13, CMOV = 15, PSE36 = 17, CLFSH = 19, MMX = 23,
       FXSR = 24, SSE = 25, SSE2 = 26, SS = 27 };

TEST(leaf1_edx)
{
	CHECK_EQ(L1_EDX_KEEP,
		 B(FPU) | B(VME) | B(DE) | B(PSE) | B(TSC) | B(MSR) | B(PAE) |
		 B(CX8) | B(SEP) | B(PGE) | B(CMOV) | B(PSE36) | B(CLFSH) |
		 B(MMX) | B(FXSR) | B(SSE) | B(SSE2) | B(SS));
}

TEST(leaf4_edx)
{
	enum { WBINVD_SCOPE = 0, INCLUSIVE = 1, COMPLEX_INDEXING = 2 };

	CHECK_EQ(L4_EDX_KEEP, B(WBINVD_SCOPE) | B(INCLUSIVE) | B(COMPLEX_INDEXING));
}

TEST(leaf7_ebx)
{
	enum { FSGSBASE = 0, BMI1 = 3, AVX2 = 5, FDP_EXCPTN_ONLY = 6, SMEP = 7,
	       BMI2 = 8, ERMS = 9, FCS_FDS_DEPRECATED = 13, AVX512F = 16,
	       AVX512DQ = 17, RDSEED = 18, ADX = 19, SMAP = 20, AVX512_IFMA = 21,
	       CLFLUSHOPT = 23, CLWB = 24, AVX512PF = 26, AVX512ER = 27,
	       AVX512CD = 28, SHA = 29, AVX512BW = 30, AVX512VL = 31 };

	CHECK_EQ(L7_EBX_KEEP,
		 B(FSGSBASE) | B(BMI1) | B(AVX2) | B(FDP_EXCPTN_ONLY) | B(SMEP) |
		 B(BMI2) | B(ERMS) | B(FCS_FDS_DEPRECATED) | B(AVX512F) |
		 B(AVX512DQ) | B(RDSEED) | B(ADX) | B(SMAP) | B(AVX512_IFMA) |
		 B(CLFLUSHOPT) | B(CLWB) | B(AVX512PF) | B(AVX512ER) |
		 B(AVX512CD) | B(SHA) | B(AVX512BW) | B(AVX512VL));
	CHECK_EQ(L7_EBX_AVX512F, B(AVX512F));
}

TEST(leaf7_ecx)
{
	enum { PREFETCHWT1 = 0, AVX512_VBMI = 1, UMIP = 2, AVX512_VBMI2 = 6,
	       GFNI = 8, VAES = 9, VPCLMULQDQ = 10, AVX512_VNNI = 11,
	       AVX512_BITALG = 12, AVX512_VPOPCNTDQ = 14, MOVDIRI = 27,
	       MOVDIR64B = 28 };

	CHECK_EQ(L7_ECX_KEEP,
		 B(PREFETCHWT1) | B(AVX512_VBMI) | B(UMIP) | B(AVX512_VBMI2) |
		 B(GFNI) | B(VAES) | B(VPCLMULQDQ) | B(AVX512_VNNI) |
		 B(AVX512_BITALG) | B(AVX512_VPOPCNTDQ) | B(MOVDIRI) |
		 B(MOVDIR64B));
}

TEST(leaf7_edx)
{
	enum { AVX512_4VNNIW = 2, AVX512_4FMAPS = 3, FSRM = 4,
	       AVX512_VP2INTERSECT = 8, SERIALIZE = 14 };

	CHECK_EQ(L7_EDX_KEEP,
		 B(AVX512_4VNNIW) | B(AVX512_4FMAPS) | B(FSRM) |
		 B(AVX512_VP2INTERSECT) | B(SERIALIZE));
}

TEST(leaf0xd_subleaf1_eax)
{
	enum { XSAVEOPT = 0, XSAVEC = 1, XGETBV_ECX1 = 2 };

	CHECK_EQ(XSAVE_1_EAX_KEEP, B(XSAVEOPT) | B(XSAVEC) | B(XGETBV_ECX1));
}

TEST(ext1_ecx)
{
	enum { LAHF_SAHF = 0, ABM = 5, SSE4A = 6, MISALIGN_SSE = 7,
	       PREFETCH_3DNOW = 8, XOP = 11, FMA4 = 16, TBM = 21 };

	CHECK_EQ(X1_ECX_KEEP,
		 B(LAHF_SAHF) | B(ABM) | B(SSE4A) | B(MISALIGN_SSE) |
		 B(PREFETCH_3DNOW) | B(XOP) | B(FMA4) | B(TBM));
}

TEST(ext1_edx)
{
	enum { SYSCALL = 11, NX = 20, MMXEXT = 22, FFXSR = 25, PAGE1GB = 26,
	       LM = 29, EXT_3DNOW = 30, AMD_3DNOW = 31 };

	CHECK_EQ(X1_EDX_KEEP,
		 B(FPU) | B(VME) | B(DE) | B(PSE) | B(TSC) | B(MSR) | B(PAE) |
		 B(CX8) | B(PGE) | B(CMOV) | B(PSE36) | B(MMX) | B(FXSR) |
		 B(SYSCALL) | B(NX) | B(MMXEXT) | B(FFXSR) | B(PAGE1GB) | B(LM) |
		 B(EXT_3DNOW) | B(AMD_3DNOW));
}

TEST(ext7_edx)
{
	enum { INVARIANT_TSC = 8 };

	CHECK_EQ(X7_EDX_INVARIANT_TSC, B(INVARIANT_TSC));
}

TEST(ext8_ebx)
{
	enum { CLZERO = 0, XSAVEERPTR = 2, WBNOINVD = 9 };

	CHECK_EQ(X8_EBX_KEEP, B(CLZERO) | B(XSAVEERPTR) | B(WBNOINVD));
}

RUN_TESTS("cpuid_masks", T(leaf1_ecx), T(leaf1_edx), T(leaf4_edx),
	  T(leaf7_ebx), T(leaf7_ecx), T(leaf7_edx), T(leaf0xd_subleaf1_eax),
	  T(ext1_ecx), T(ext1_edx), T(ext7_edx), T(ext8_ebx))
