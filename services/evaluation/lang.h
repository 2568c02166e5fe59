/* Language of translatable texts: ?lang= (eu, es, en, or all for the three translations)
 * overrides Accept-Language; English when neither names a supported language. */
#ifndef EVALUATION_LANG_H
#define EVALUATION_LANG_H

/* Best supported language of an Accept-Language header ("eu", "es" or "en"); q-values
 * honoured, regional variants (es-ES, eu-ES) match their language, ties go to the first
 * listed. NULL header or nothing supported: "en". Pure. */
const char *lang_from_accept(const char *header);

/* 1 when text is one of eu, es, en, all. */
int lang_valid(const char *text);

#endif
