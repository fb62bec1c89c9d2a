package dev.modelship.controller.validate;

/**
 * A data file (training CSV, holdout) that cannot be used as it is; the message names the file, the line
 * and the column where it can.
 */
public class InvalidDataException extends Exception {
  public InvalidDataException(String message) {
    super(message);
  }
}
