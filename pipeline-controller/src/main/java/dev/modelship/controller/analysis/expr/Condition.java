package dev.modelship.controller.analysis.expr;

import java.util.List;

/**
 * A parsed {@code successCondition} or {@code failureCondition}: the subset of Argo Rollouts' expression language
 * that analysis conditions use, evaluated by this code (no script engine).
 *
 * <pre>
 * condition  := or
 * or         := and ("||" and)*
 * and        := comparison ("&amp;&amp;" comparison)*
 * comparison := sum (("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") sum)?
 * sum        := product (("+" | "-") product)*
 * product    := unary (("*" | "/") unary)*
 * unary      := ("!" | "-") unary | postfix
 * postfix    := primary ("[" condition "]")*
 * primary    := number | "true" | "false" | "result" | name "(" condition ")" | "(" condition ")"
 * functions  := len(list) | isNaN(number) | isInf(number)
 * </pre>
 *
 * {@code result} is the measurement: a list of numbers (one per series of an instant vector) or a number (a
 * scalar). {@code &&} and {@code ||} short-circuit, so {@code len(result) > 0 && result[0] < 0.01} never indexes
 * an empty result. Ordering comparisons with NaN are false (use {@code isNaN}). Anything else (an index out of range, comparing a list with a
 * number) is an evaluation error, which makes the measurement an Error, never a pass.
 */
public final class Condition {
  private final String text;
  private final Node root;

  Condition(String text, Node root) {
    this.text = text;
    this.root = root;
  }

  public static Condition parse(String text) throws ConditionException {
    return new Parser(text).parseCondition();
  }

  public String text() {
    return text;
  }

  /** Evaluates against a list result (an instant vector: one value per series). */
  public boolean test(List<Double> result) throws ConditionException {
    return asBoolean(root.evaluate(Value.list(result)));
  }

  /** Evaluates against a scalar result. */
  public boolean test(double result) throws ConditionException {
    return asBoolean(root.evaluate(Value.number(result)));
  }

  private boolean asBoolean(Value value) throws ConditionException {
    if (value.kind() != Value.Kind.BOOLEAN) {
      throw new ConditionException("condition '" + text + "' gives " + value + ", not true or false");
    }
    return value.bool();
  }

  @Override
  public String toString() {
    return text;
  }
}
