/* The /docs page: a self-contained HTML reference built from the bundled OpenAPI document (inline
 * style, no script, nothing fetched at run time). */
#ifndef GATEWAY_DOCS_H
#define GATEWAY_DOCS_H

#include <jansson.h>

/* Returns a malloc'd HTML page, or NULL. */
char *docs_render(const json_t *openapi);

#endif
