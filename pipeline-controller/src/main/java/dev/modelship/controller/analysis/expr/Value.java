package dev.modelship.controller.analysis.expr;

import java.util.List;

/** A value while evaluating a condition: a number, a boolean or a list of numbers. */
record Value(Kind kind, double number, boolean bool, List<Double> list) {
  enum Kind { NUMBER, BOOLEAN, LIST }

  static Value number(double value) {
    return new Value(Kind.NUMBER, value, false, null);
  }

  static Value bool(boolean value) {
    return new Value(Kind.BOOLEAN, 0, value, null);
  }

  static Value list(List<Double> values) {
    return new Value(Kind.LIST, 0, false, List.copyOf(values));
  }

  double requireNumber(String where) throws ConditionException {
    if (kind != Kind.NUMBER) {
      throw new ConditionException(where + " needs a number, got " + this);
    }
    return number;
  }

  boolean requireBoolean(String where) throws ConditionException {
    if (kind != Kind.BOOLEAN) {
      throw new ConditionException(where + " needs true or false, got " + this);
    }
    return bool;
  }

  @Override
  public String toString() {
    switch (kind) {
      case NUMBER: return Double.toString(number);
      case BOOLEAN: return Boolean.toString(bool);
      default: return list.toString();
    }
  }
}
