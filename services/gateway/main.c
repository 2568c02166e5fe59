/* Gateway: wires the parts (see serve.c) or mints a development token. */
#include "devtoken.h"
#include "serve.h"

#include <string.h>

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--mint-token") == 0)
        return devtoken_main(argc >= 3 ? argv[2] : "admin", argc >= 4 ? argv[3] : "",
                             argc >= 5 ? argv[4] : "", argc >= 6 ? argv[5] : "");
    return gateway_serve();
}
