/* SPDX-License-Identifier: Apache-2.0 */
/*
 * librightscan: find news-agency material and open licences in content, and
 * report what may be done with it.  This umbrella header is the whole public
 * API; see each included header for ownership rules.
 */
#ifndef RIGHTSCAN_RIGHTSCAN_H
#define RIGHTSCAN_RIGHTSCAN_H

#include <rightscan/status.h>
#include <rightscan/rules.h>
#include <rightscan/scan.h>
#include <rightscan/report.h>
#include <rightscan/reference.h>

#define RIGHTSCAN_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the library actually linked. */
const char *rs_version(void);

#ifdef __cplusplus
}
#endif
#endif
