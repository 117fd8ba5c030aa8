/* SPDX-License-Identifier: Apache-2.0 */
/* Metadata field vocabulary; see fields.h. */
#include "fields.h"

#include <string.h>

static const char *const names[RS_FIELD_COUNT] = {
#define RS_FIELD_NAME(id, name) name,
    RS_FIELDS(RS_FIELD_NAME)
#undef RS_FIELD_NAME
};

const char *rs_field_name(rs_field f)
{
    return f >= 0 && f < RS_FIELD_COUNT ? names[f] : NULL;
}

rs_field rs_field_lookup(const char *name)
{
    for (int i = 0; i < RS_FIELD_COUNT; i++)
        if (strcmp(names[i], name) == 0)
            return (rs_field)i;
    return RS_FIELD_NONE;
}
