/* The hypervisor image (build/hv.elf without debug information) inside
 * hv.efi. HV_IMAGE_PATH comes from boot/efi/efi.mk. */
	.section .rodata.hv_image, "a"
	.balign 16
	.globl hv_elf_image, hv_elf_image_end
	.hidden hv_elf_image, hv_elf_image_end
hv_elf_image:
	.incbin HV_IMAGE_PATH
hv_elf_image_end:

	.section .note.GNU-stack, "", @progbits
