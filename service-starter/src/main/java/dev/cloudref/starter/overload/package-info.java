/**
 * Load shedding: an adaptive concurrency limit in front of every server built on the
 * starter (gateway and services), so that overload costs only the excess requests, each
 * answered at once with a {@code 503} problem detail and {@code Retry-After}.
 */
package dev.cloudref.starter.overload;
