/* The backend in use (hv/virt.h), set once at boot; its own file, so
 * that every file of the core may use it without reaching the others. */
#include "hv/virt.h"

const struct virt_ops *virt;
