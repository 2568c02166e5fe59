/* `gateway --mint-token ROLES [ORG [SUBJECT [PURPOSE]]]`: a development token signed with
 * TOKEN_SECRET, for the demo set-up and the examples of the README (make token ROLE=... ORG=...
 * SUB=... PURPOSE=...). SUBJECT defaults to test-<roles>; PURPOSE, when given, becomes the token's
 * purpose claim (one of PURPOSE_LIST). */
#ifndef GATEWAY_DEVTOKEN_H
#define GATEWAY_DEVTOKEN_H

/* Prints the token on standard output; returns the process exit status. */
int devtoken_main(const char *roles, const char *org, const char *sub, const char *purpose);

/* Bitmask of a comma- or space-separated role list; -1 on an unknown name. */
long roles_from_list(const char *list);

#endif
