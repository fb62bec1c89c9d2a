package dev.modelship.controller.analysis.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MannWhitneyTest {

  @Test
  void completelySeparatedSmallSamplesGiveTheExactExtremeProbability() {
    MannWhitney.Result result = MannWhitney.test(new double[] {6, 7, 8, 9, 10}, new double[] {1, 2, 3, 4, 5});
    assertThat(result.u()).isEqualTo(25);
    assertThat(result.pGreater()).isCloseTo(1.0 / 252, within(1e-12)); // 1 / C(10, 5)
    assertThat(result.pLess()).isEqualTo(1.0);
  }

  @Test
  void exactDistributionMatchesTheKnownTable() {
    // n1 = n2 = 3: the 20 orderings give U = 0..9 with counts 1,1,2,3,3,3,3,2,1,1.
    assertThat(MannWhitney.exactDistribution(3, 3)).containsExactly(1, 1, 2, 3, 3, 3, 3, 2, 1, 1);
  }

  @Test
  void interleavedSamplesShowNoEvidence() {
    MannWhitney.Result result = MannWhitney.test(new double[] {1, 3, 5, 7}, new double[] {2, 4, 6, 8});
    assertThat(result.pGreater()).isGreaterThan(0.5);
    assertThat(result.pLess()).isGreaterThan(0.3);
  }

  @Test
  void normalApproximationWithTiesAgreesWithAHandComputedValue() {
    // x = [2,2,3,4], y = [1,2,2,2]: mid-ranks 4,4,7,8 for x give U_x = 23 - 10 = 13; five tied twos.
    // sigma^2 = 16/12 * (9 - (125 - 5) / 56) = 9.142857; z = (13 - 8 - 0.5) / 3.02372 = 1.48823; p = 0.06835
    MannWhitney.Result result = MannWhitney.test(new double[] {2, 2, 3, 4}, new double[] {1, 2, 2, 2});
    assertThat(result.u()).isEqualTo(13);
    assertThat(result.pGreater()).isCloseTo(0.06835, within(0.0005));
  }

  @Test
  void allEqualValuesGiveNoEvidence() {
    MannWhitney.Result result = MannWhitney.test(new double[] {1, 1, 1}, new double[] {1, 1, 1});
    assertThat(result.pGreater()).isEqualTo(1);
    assertThat(result.pLess()).isEqualTo(1);
  }

  @Test
  void largeSamplesUseTheNormalApproximationAndDetectAShift() {
    Random random = new Random(3);
    double[] stable = new double[200];
    double[] canary = new double[200];
    for (int i = 0; i < 200; i++) {
      stable[i] = random.nextGaussian();
      canary[i] = random.nextGaussian() + 0.5;
    }
    assertThat(MannWhitney.test(canary, stable).pGreater()).isLessThan(1e-4);
    assertThat(MannWhitney.test(stable, canary).pGreater()).isGreaterThan(0.99);
  }

  @Test
  void normalCdfIsAccurate() {
    assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(Normal.cdf(1.96)).isCloseTo(0.9750021, within(1e-6));
    assertThat(Normal.cdf(-3)).isCloseTo(0.0013499, within(1e-6));
  }

  @Test
  void hodgesLehmannIsTheMedianOfPairwiseDifferences() {
    assertThat(HodgesLehmann.shift(new double[] {10, 11, 12}, new double[] {1, 2, 3})).isEqualTo(9);
    assertThat(HodgesLehmann.shift(new double[] {1, 2}, new double[] {1, 2})).isEqualTo(0);
    assertThat(HodgesLehmann.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
