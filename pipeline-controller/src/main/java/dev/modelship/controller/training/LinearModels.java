package dev.modelship.controller.training;

import dev.modelship.controller.registry.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * The models Modelship trains, with Tribuo: logistic regression for classification and linear regression
 * (squared loss) for regression, both by stochastic gradient descent and both exportable as ONNX.
 *
 * <p>Tribuo's {@code LogisticRegressionTrainer} is the classifier here with a step size of 1, 5 epochs and a
 * loss line logged every 1,000 examples. On unscaled features (prices in the hundreds next to rates below 0.1)
 * AdaGrad's smaller steps for longer fit better, and the loss lines would bury a CLI's own output.
 */
public final class LinearModels {
  static final Label UNKNOWN_LABEL = LabelFactory.UNKNOWN_LABEL;
  static final Regressor UNKNOWN_REGRESSOR = RegressionFactory.UNKNOWN_REGRESSOR;
  private static final int NO_LOSS_LOGGING = -1;
  private static final int MINIBATCH = 1;

  private LinearModels() {
  }

  /**
   * @param features names of the columns of {@code rows}
   * @param labels the class of each row, as text
   * @param description what the data is, kept in the model's provenance
   */
  public static TrainedModel logisticRegression(List<String> features, double[][] rows, List<String> labels,
                                                long seed, int epochs, String description) {
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory),
        factory);
    String[] names = features.toArray(new String[0]);
    for (int r = 0; r < rows.length; r++) {
      dataset.add(new ArrayExample<>(new Label(labels.get(r)), names, rows[r]));
    }
    var trainer = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(),
        new AdaGrad(0.1, 0.1), epochs, NO_LOSS_LOGGING, MINIBATCH, seed);
    var model = trainer.train(dataset);
    List<String> classes = new ArrayList<>();
    ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
    for (int id = 0; id < outputs.size(); id++) {
      classes.add(outputs.getOutput(id).getLabel());
    }
    return new TrainedModel(model, ModelManifest.Task.CLASSIFICATION, featureOrder(model.getFeatureIDMap()),
        classes);
  }

  /**
   * @param features names of the columns of {@code rows}
   * @param target the name of what is predicted
   */
  public static TrainedModel linearRegression(List<String> features, double[][] rows, double[] targets,
                                              String target, long seed, int epochs, String description) {
    RegressionFactory factory = new RegressionFactory();
    MutableDataset<Regressor> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory),
        factory);
    String[] names = features.toArray(new String[0]);
    for (int r = 0; r < rows.length; r++) {
      dataset.add(new ArrayExample<>(new Regressor(target, targets[r]), names, rows[r]));
    }
    var trainer = new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1, 0.1),
        epochs, NO_LOSS_LOGGING, MINIBATCH, seed);
    var model = trainer.train(dataset);
    return new TrainedModel(model, ModelManifest.Task.REGRESSION, featureOrder(model.getFeatureIDMap()),
        List.of(target));
  }

  private static List<String> featureOrder(ImmutableFeatureMap features) {
    List<String> order = new ArrayList<>(features.size());
    for (int id = 0; id < features.size(); id++) {
      order.add(features.get(id).getName());
    }
    return order;
  }
}
