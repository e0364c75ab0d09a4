/* Guest exception entry: 32 stubs of 16 bytes, one common path that saves
 * the registers as a struct guest_frame and calls guest_trap(). */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17)

	.text
	.balign 16
	.globl guest_trap_stubs
guest_trap_stubs:
	.set vec, 0
	.rept 32
	.balign 16
	.if !HAS_ERROR_CODE(vec)
	pushq $0
	.endif
	pushq $vec
	jmp guest_trap_common
	.set vec, vec + 1
	.endr

guest_trap_common:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	movq %rsp, %rdi
	call guest_trap
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	addq $16, %rsp
	iretq
