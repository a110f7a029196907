/*
 * listing.h - -l PATTERN / -L PATTERN: the probe points a pattern stands
 * for, one per line, sorted, as SystemTap prints them; -L adds each
 * point's variables ("name:string", "$file:struct file*").
 */
#ifndef BYTETAP_LISTING_H
#define BYTETAP_LISTING_H

#include "options.h"

/* Prints the list; 0 iff something matched. */
int list_probe_points(const struct options *o);

#endif /* BYTETAP_LISTING_H */
