/* endian.h - glibc's byte-order header over newlib's <machine/endian.h>: BYTE_ORDER and
 * its values (also with glibc's double-underscore names), and the conversions between
 * the host's order and big- or little-endian 16, 32 and 64-bit values (htobe32,
 * le64toh...). x86-64 is little-endian. */
#ifndef VMOS_ENDIAN_H
#define VMOS_ENDIAN_H
#include <machine/endian.h>
#include <stdint.h>

#define __LITTLE_ENDIAN    _LITTLE_ENDIAN
#define __BIG_ENDIAN       _BIG_ENDIAN
#define __PDP_ENDIAN       _PDP_ENDIAN
#define __BYTE_ORDER       _BYTE_ORDER
#define __FLOAT_WORD_ORDER __BYTE_ORDER

#define htobe16(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define htole16(x) ((uint16_t)(x))
#define be16toh(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define le16toh(x) ((uint16_t)(x))
#define htobe32(x) ((uint32_t)__builtin_bswap32((uint32_t)(x)))
#define htole32(x) ((uint32_t)(x))
#define be32toh(x) ((uint32_t)__builtin_bswap32((uint32_t)(x)))
#define le32toh(x) ((uint32_t)(x))
#define htobe64(x) ((uint64_t)__builtin_bswap64((uint64_t)(x)))
#define htole64(x) ((uint64_t)(x))
#define be64toh(x) ((uint64_t)__builtin_bswap64((uint64_t)(x)))
#define le64toh(x) ((uint64_t)(x))
#endif
