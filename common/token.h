/* Internal tokens: short-lived HS256 JWTs that the gateway (or a service calling another) issues
 * with aud = the target service. A service trusts no identity that does not come in one. */
#ifndef COMMON_TOKEN_H
#define COMMON_TOKEN_H

#include <stddef.h>
#include "caller.h"

#define ITOKEN_ISSUER "care-hub-internal"

/* Returns a malloc'd compact JWT, or NULL. */
char *itoken_mint(const char *secret, const char *aud, const struct caller *c, long ttl_seconds);
/* Verifies token for audience aud; fills c. Returns 0 when valid. Results are cached per thread
 * until the token expires. */
int itoken_verify(const char *secret, const char *aud, const char *token, struct caller *c);
/* Reads a roles JSON array ("[\"admin\",...]") into a bitmask; unknown names are ignored. */
unsigned roles_from_json_text(const char *json_text);
/* Writes a roles bitmask as a JSON array text into buf. */
void roles_to_json_text(unsigned roles, char *buf, size_t len);

#endif
