/* AMD nested page tables (NPT): the stage-2 format for SVM guests. */
#ifndef ARCH_X86_SVM_NPT_H
#define ARCH_X86_SVM_NPT_H

#include "arch/x86/pt.h"

extern const struct pt_format npt_format;

#endif
