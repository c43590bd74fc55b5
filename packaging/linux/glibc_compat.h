/* Forced into every C file of the Linux kit's CPython (x86_64): glibc 2.29 gave exp, log,
   pow, exp2 and log2 new symbol versions, so a program compiled on Debian 11 would need
   glibc 2.29 and not start on 统信 UOS 20 / 银河麒麟 V10 (glibc 2.28).  These lines bind the
   calls to the older versions, which every glibc since 2.2.5 has (the results are the same
   functions, only without the newer error-handling wrappers). */
/* (__GLIBC__ is not defined yet here; assembly files are preprocessed with it too) */
#if defined(__x86_64__) && defined(__linux__) && !defined(__ASSEMBLER__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
#endif
