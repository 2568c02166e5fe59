/* Configuration from environment variables, with defaults. */
#ifndef COMMON_CONFIG_H
#define COMMON_CONFIG_H

const char *cfg_str(const char *name, const char *fallback);
long cfg_long(const char *name, long fallback);

#endif
