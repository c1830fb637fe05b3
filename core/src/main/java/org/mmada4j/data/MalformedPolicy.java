package org.mmada4j.data;

/** What a dataset does with a malformed line: fail naming file, line and field, or skip and count it. */
public enum MalformedPolicy { FAIL, SKIP }
