/* SPDX-License-Identifier: Apache-2.0 */
/* Common includes for the cmocka unit tests. */
#ifndef RS_TEST_UNIT_H
#define RS_TEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#endif
