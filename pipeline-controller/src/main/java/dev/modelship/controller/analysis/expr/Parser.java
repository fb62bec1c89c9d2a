package dev.modelship.controller.analysis.expr;

import java.util.List;

/** Recursive descent over the grammar in {@link Condition}; every error names the position. */
final class Parser {
  private static final List<String> COMPARISONS = List.of("==", "!=", "<=", ">=", "<", ">");

  private final String text;
  private int pos;

  Parser(String text) {
    this.text = text;
  }

  Condition parseCondition() throws ConditionException {
    if (text == null || text.isBlank()) {
      throw new ConditionException("empty condition");
    }
    Node root = or();
    skipSpaces();
    if (pos < text.length()) {
      throw error("unexpected '" + text.charAt(pos) + "'");
    }
    return new Condition(text, root);
  }

  private Node or() throws ConditionException {
    Node node = and();
    while (accept("||")) {
      node = new Node.Logical("||", node, and());
    }
    return node;
  }

  private Node and() throws ConditionException {
    Node node = comparison();
    while (accept("&&")) {
      node = new Node.Logical("&&", node, comparison());
    }
    return node;
  }

  private Node comparison() throws ConditionException {
    Node node = sum();
    for (String operator : COMPARISONS) {
      if (accept(operator)) {
        return new Node.Comparison(operator, node, sum());
      }
    }
    return node;
  }

  private Node sum() throws ConditionException {
    Node node = product();
    while (true) {
      if (accept("+")) {
        node = new Node.Arithmetic("+", node, product());
      } else if (accept("-")) {
        node = new Node.Arithmetic("-", node, product());
      } else {
        return node;
      }
    }
  }

  private Node product() throws ConditionException {
    Node node = unary();
    while (true) {
      if (accept("*")) {
        node = new Node.Arithmetic("*", node, unary());
      } else if (accept("/")) {
        node = new Node.Arithmetic("/", node, unary());
      } else {
        return node;
      }
    }
  }

  private Node unary() throws ConditionException {
    skipSpaces();
    if (peek('!') && !text.startsWith("!=", pos)) {
      pos++;
      return new Node.Not(unary());
    }
    if (accept("-")) {
      return new Node.Negate(unary());
    }
    return postfix();
  }

  private Node postfix() throws ConditionException {
    Node node = primary();
    while (accept("[")) {
      Node index = or();
      expect("]");
      node = new Node.Index(node, index);
    }
    return node;
  }

  private Node primary() throws ConditionException {
    skipSpaces();
    if (pos >= text.length()) {
      throw error("the condition ends too early");
    }
    char c = text.charAt(pos);
    if (Character.isDigit(c) || c == '.') {
      return number();
    }
    if (accept("(")) {
      Node inner = or();
      expect(")");
      return inner;
    }
    if (Character.isLetter(c)) {
      int start = pos;
      String name = identifier();
      switch (name) {
        case "true": return new Node.BooleanLiteral(true);
        case "false": return new Node.BooleanLiteral(false);
        case "result": return new Node.Result();
        default:
          if (!Node.Call.FUNCTIONS.contains(name)) {
            pos = start;
            throw error("unknown name '" + name + "' (use result, len(), isNaN(), isInf(), true, false)");
          }
          expect("(");
          Node argument = or();
          expect(")");
          return new Node.Call(name, argument);
      }
    }
    throw error("unexpected '" + c + "'");
  }

  private Node number() throws ConditionException {
    int start = pos;
    while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
        || text.charAt(pos) == 'e' || text.charAt(pos) == 'E'
        || ((text.charAt(pos) == '-' || text.charAt(pos) == '+') && (text.charAt(pos - 1) == 'e'
        || text.charAt(pos - 1) == 'E')))) {
      pos++;
    }
    try {
      return new Node.NumberLiteral(Double.parseDouble(text.substring(start, pos)));
    } catch (NumberFormatException e) {
      pos = start;
      throw error("'" + text.substring(start, Math.max(start + 1, pos)) + "' is not a number");
    }
  }

  private String identifier() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private boolean accept(String token) {
    skipSpaces();
    if (text.startsWith(token, pos)) {
      pos += token.length();
      return true;
    }
    return false;
  }

  private void expect(String token) throws ConditionException {
    if (!accept(token)) {
      throw error("expected '" + token + "'");
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private ConditionException error(String what) {
    return new ConditionException("condition '" + text + "': " + what + " at position " + (pos + 1));
  }
}
