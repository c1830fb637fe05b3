package org.mmada4j.data;

/**
 * What to do with an example longer than the sequence it must fit: cut it (as the reference's
 * layouts do), skip it (counted), or fail naming it.
 */
public enum LengthPolicy { TRUNCATE, SKIP, FAIL }
