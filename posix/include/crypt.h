/* crypt.h - libxcrypt's interface (what Debian's glibc programs include). No hashing
 * method is provided yet: crypt and crypt_r fail with EINVAL, as libxcrypt does for a
 * setting it does not know (posix/libc/crypt.c; the README's table). */
#ifndef VMOS_CRYPT_H
#define VMOS_CRYPT_H

#ifdef __cplusplus
extern "C" {
#endif

/* libxcrypt's layout and size (32768 bytes), so that code keeping one on its stack or in
 * a structure sizes it as on Linux. */
struct crypt_data {
	char output[384];
	char setting[384];
	char input[512];
	char reserved[767];
	char initialized;
	char internal[30720];
};

char *crypt(const char *phrase, const char *setting);
char *crypt_r(const char *phrase, const char *setting, struct crypt_data *data);

#ifdef __cplusplus
}
#endif
#endif
