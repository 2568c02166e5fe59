/* Base64url without padding (RFC 4648 section 5), as used by JWS and JWK. */
#ifndef COMMON_B64URL_H
#define COMMON_B64URL_H

#include <stddef.h>

/* Decodes `len` characters of `in`. Returns a malloc'd buffer (NUL-terminated for convenience)
 * and its length in *out_len, or NULL when the text is not canonical unpadded base64url. */
unsigned char *b64u_decode(const char *in, size_t len, size_t *out_len);

/* 1 when `len` characters are canonical unpadded base64url (alphabet, length, zero trailing bits):
 * the only spelling of their bytes. */
int b64u_is_canonical(const char *in, size_t len);

/* Encodes `len` bytes. Returns a malloc'd NUL-terminated string, or NULL on allocation failure. */
char *b64u_encode(const unsigned char *in, size_t len);

#endif
