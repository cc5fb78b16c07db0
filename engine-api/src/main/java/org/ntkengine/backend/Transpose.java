package org.ntkengine.backend;

/** Whether a product uses an operand as stored or its transpose. */
public enum Transpose {
  /** Use the matrix as stored. */
  NO,
  /** Use the transpose of the stored matrix. */
  YES
}
