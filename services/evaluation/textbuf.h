/* A growable text buffer for the report renderers. After an allocation failure every call is a
 * no-op and textbuf_take returns NULL, so renderers check once at the end. */
#ifndef EVALUATION_TEXTBUF_H
#define EVALUATION_TEXTBUF_H

#include <stddef.h>

typedef struct textbuf {
    char *data;
    size_t len, cap;
    int failed;
} textbuf;

void textbuf_put(textbuf *b, const char *s);
void textbuf_putn(textbuf *b, const char *s, size_t n);
void textbuf_printf(textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s with & < > " ' escaped for HTML text and attribute values. */
void textbuf_put_html(textbuf *b, const char *s);
/* Hands over the text (NUL-terminated, malloc'd) and its length; NULL after a failure. */
char *textbuf_take(textbuf *b, size_t *len);
void textbuf_free(textbuf *b);

#endif
