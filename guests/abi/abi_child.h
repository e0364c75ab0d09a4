/* The child program the ABI tests run as an unprivileged VM: it reports
 * each result with an OUT so its VMM (the test) can check it. */
#ifndef GUESTS_ABI_CHILD_H
#define GUESTS_ABI_CHILD_H

#define CHILD_PORT_EPERM 0x10  /* result of each management call, 3 and 5..13 */
#define CHILD_PORT_RESULT 0x11 /* abi_version, console_write, info, check_extension */
#define CHILD_PORT_IN 0x12     /* the child reads this port ... */
#define CHILD_PORT_ECHO 0x13   /* ... and writes the value back here */
#define CHILD_PORT_FWD 0x14    /* result of the unknown hypercall 0x777 */
#define CHILD_UNKNOWN_CALL 0x777
#define CHILD_UNKNOWN_ARG 0xabc
#define CHILD_FAULT_GPA 0x20000000 /* mapped by the child, not RAM */
#define CHILD_MESSAGE "hello from a child VM\n"
#define CHILD_MEM_SIZE (2 << 20) /* the child's RAM */
#define CHILD_INFO_SIZE 256      /* the child's INFO buffer (child_info_buf) */

#ifndef __ASSEMBLY__
extern const unsigned char child_code_start[], child_code_end[];
extern const unsigned char child_info_buf[]; /* inside the code, written by INFO */
#endif

#endif
