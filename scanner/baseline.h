/* SPDX-License-Identifier: Apache-2.0 */
/* Baselines: known findings by fingerprint (public API in <rightscan/scan.h>). */
#ifndef RS_BASELINE_H
#define RS_BASELINE_H

#include <rightscan/scan.h>

/* Is the 32-hex-digit `fingerprint` in the baseline? */
int rs_baseline_has(const rs_baseline *baseline, const char *fingerprint);

#endif
