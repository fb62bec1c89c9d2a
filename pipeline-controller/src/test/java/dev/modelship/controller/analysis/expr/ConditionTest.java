package dev.modelship.controller.analysis.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {

  private static boolean test(String condition, Double... result) throws ConditionException {
    return Condition.parse(condition).test(List.of(result));
  }

  @ParameterizedTest(name = "{0} on {1} is {2}")
  @CsvSource(delimiter = '#', textBlock = """
      result[0] < 0.01 # 0.005 # true
      result[0] < 0.01 # 0.02 # false
      result[0] <= 0.01 # 0.01 # true
      result[0] >= 0.5 && result[0] <= 0.9 # 0.7 # true
      result[0] > 0.9 || result[0] < 0.1 # 0.5 # false
      len(result) > 0 && result[0] < 1 # 0.5 # true
      len(result) == 2 # 1;2 # true
      result[1] - result[0] > 0.5 # 1;2 # true
      result[0] * 100 / 4 == 25 # 1 # true
      -result[0] < 0 # 3 # true
      !(result[0] < 1) # 3 # true
      isNaN(result[0]) # NaN # true
      !isNaN(result[0]) && result[0] < 1 # NaN # false
      result[0] < 1 # NaN # false
      result[0] >= 1 # NaN # false
      isInf(result[0]) # Infinity # true
      isInf(result[0]) # -Infinity # true
      result[0] < 1e-3 # 0.0005 # true
      true # 1 # true
      false || result[0] == 1 # 1 # true
      (result[0] > 1) == false # 0.5 # true
      1 + 2 * 3 == 7 # 0 # true
      """)
  void evaluatesLikeArgoConditions(String condition, String result, boolean expected) throws ConditionException {
    Double[] values = java.util.Arrays.stream(result.split(";")).map(Double::valueOf).toArray(Double[]::new);
    assertThat(test(condition, values)).isEqualTo(expected);
  }

  @Test
  void shortCircuitsSoAnEmptyResultIsNeverIndexed() throws ConditionException {
    assertThat(test("len(result) > 0 && result[0] < 0.01")).isFalse();
    assertThat(test("len(result) == 0 || result[0] < 0.01")).isTrue();
  }

  @Test
  void indexingAnEmptyResultIsAnEvaluationErrorNotAFalse() {
    assertThatThrownBy(() -> test("result[0] < 0.01"))
        .isInstanceOf(ConditionException.class)
        .hasMessageContaining("index 0.0 is out of range: the result has 0 value(s)");
  }

  @Test
  void scalarResultsCompareDirectly() throws ConditionException {
    assertThat(Condition.parse("result < 0.5").test(0.2)).isTrue();
    assertThatThrownBy(() -> Condition.parse("result[0] < 0.5").test(0.2))
        .hasMessageContaining("the result is a single number");
    assertThatThrownBy(() -> Condition.parse("len(result) > 0").test(0.2)).hasMessageContaining("len() needs a list");
  }

  @Test
  void typeMistakesAreErrors() {
    assertThatThrownBy(() -> test("result < 1", 0.5)).hasMessageContaining("'<' needs a number");
    assertThatThrownBy(() -> test("result[0]", 0.5)).hasMessageContaining("gives 0.5, not true or false");
    assertThatThrownBy(() -> test("result[0] && true", 0.5)).hasMessageContaining("'&&' needs true or false");
    assertThatThrownBy(() -> test("result[0.5] > 0", 0.5)).hasMessageContaining("out of range");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      result[0] <                       | ends too early
      result[0] < 0.01 &&               | ends too early
      result[0 < 1                      | expected ']'
      (result[0] < 1                    | expected ')'
      result[0] = 1                     | unexpected '='
      avg(result) > 1                   | unknown name 'avg'
      asInt(result[0]) > 1              | unknown name 'asInt'
      result[0] < 1.2.3                 | is not a number
      result[0] < 0.01 }                | unexpected '}'
      ''                                | empty condition
      """)
  void parseErrorsNameTheProblemAndPosition(String condition, String message) {
    assertThatThrownBy(() -> Condition.parse(condition)).isInstanceOf(ConditionException.class)
        .hasMessageContaining(message);
  }

  @Test
  void parseErrorsGiveThePosition() {
    assertThatThrownBy(() -> Condition.parse("result[0] < 0.01 } ")).hasMessageContaining("at position 18");
  }
}
