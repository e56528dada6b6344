/* crypt.c - crypt(3) without hashing methods: every setting is one this build does not
 * know, which libxcrypt answers with NULL and EINVAL (its crypt_rn; Debian's crypt and
 * crypt_r give the failure token "*0", which no stored hash equals). Returning NULL
 * makes the caller's own check report it: nginx's auth_basic logs "crypt_r() failed"
 * and refuses the request, as it does on Linux for a hash libxcrypt cannot compute. */
#include <crypt.h>
#include <errno.h>
#include <stddef.h>

char *crypt_r(const char *phrase, const char *setting, struct crypt_data *data)
{
	(void)phrase;
	(void)setting;
	(void)data;
	errno = EINVAL;
	return NULL;
}

char *crypt(const char *phrase, const char *setting)
{
	return crypt_r(phrase, setting, NULL);
}
