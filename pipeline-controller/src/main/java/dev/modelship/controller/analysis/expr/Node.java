package dev.modelship.controller.analysis.expr;

import java.util.List;

/** The parsed form of a condition. */
sealed interface Node {
  Value evaluate(Value result) throws ConditionException;

  record NumberLiteral(double value) implements Node {
    @Override
    public Value evaluate(Value result) {
      return Value.number(value);
    }
  }

  record BooleanLiteral(boolean value) implements Node {
    @Override
    public Value evaluate(Value result) {
      return Value.bool(value);
    }
  }

  record Result() implements Node {
    @Override
    public Value evaluate(Value result) {
      return result;
    }
  }

  record Index(Node target, Node index) implements Node {
    @Override
    public Value evaluate(Value result) throws ConditionException {
      Value list = target.evaluate(result);
      if (list.kind() != Value.Kind.LIST) {
        throw new ConditionException("cannot index " + list + ": the result is a single number, not a list");
      }
      double position = index.evaluate(result).requireNumber("an index");
      if (position != Math.rint(position) || position < 0 || position >= list.list().size()) {
        throw new ConditionException("index " + position + " is out of range: the result has " + list.list().size()
            + " value(s) (guard with len(result) > 0)");
      }
      return Value.number(list.list().get((int) position));
    }
  }

  record Call(String function, Node argument) implements Node {
    static final List<String> FUNCTIONS = List.of("len", "isNaN", "isInf");

    @Override
    public Value evaluate(Value result) throws ConditionException {
      Value value = argument.evaluate(result);
      switch (function) {
        case "len":
          if (value.kind() != Value.Kind.LIST) {
            throw new ConditionException("len() needs a list, got " + value);
          }
          return Value.number(value.list().size());
        case "isNaN":
          return Value.bool(Double.isNaN(value.requireNumber("isNaN()")));
        default:
          return Value.bool(Double.isInfinite(value.requireNumber("isInf()")));
      }
    }
  }

  record Not(Node operand) implements Node {
    @Override
    public Value evaluate(Value result) throws ConditionException {
      return Value.bool(!operand.evaluate(result).requireBoolean("'!'"));
    }
  }

  record Negate(Node operand) implements Node {
    @Override
    public Value evaluate(Value result) throws ConditionException {
      return Value.number(-operand.evaluate(result).requireNumber("unary '-'"));
    }
  }

  record Logical(String operator, Node left, Node right) implements Node {
    @Override
    public Value evaluate(Value result) throws ConditionException {
      boolean first = left.evaluate(result).requireBoolean("'" + operator + "'");
      if (operator.equals("&&") ? !first : first) {
        return Value.bool(first);
      }
      return Value.bool(right.evaluate(result).requireBoolean("'" + operator + "'"));
    }
  }

  record Arithmetic(String operator, Node left, Node right) implements Node {
    @Override
    public Value evaluate(Value result) throws ConditionException {
      double a = left.evaluate(result).requireNumber("'" + operator + "'");
      double b = right.evaluate(result).requireNumber("'" + operator + "'");
      switch (operator) {
        case "+": return Value.number(a + b);
        case "-": return Value.number(a - b);
        case "*": return Value.number(a * b);
        default: return Value.number(a / b);
      }
    }
  }

  record Comparison(String operator, Node left, Node right) implements Node {
    @Override
    public Value evaluate(Value result) throws ConditionException {
      Value a = left.evaluate(result);
      Value b = right.evaluate(result);
      if (a.kind() == Value.Kind.BOOLEAN && b.kind() == Value.Kind.BOOLEAN
          && (operator.equals("==") || operator.equals("!="))) {
        return Value.bool(operator.equals("==") == (a.bool() == b.bool()));
      }
      double x = a.requireNumber("'" + operator + "'");
      double y = b.requireNumber("'" + operator + "'");
      switch (operator) {
        case "==": return Value.bool(x == y);
        case "!=": return Value.bool(x != y);
        case "<": return Value.bool(x < y);
        case "<=": return Value.bool(x <= y);
        case ">": return Value.bool(x > y);
        default: return Value.bool(x >= y);
      }
    }
  }
}
