using RLDistributed.Cli.Commands;
using RLDistributed.Core.Evaluation.Quality;

namespace RLDistributed.Cli.Evaluation;

/// <summary>The row "FID (Inception)": how its features were obtained, or why it is missing and how to get it.</summary>
public static class InceptionFidFigure
{
    /// <summary>The figure's name in the table and in eval.json.</summary>
    public const string Name = "FID (Inception)";

    /// <summary>The row when no weights were given.</summary>
    public static EvaluationFigure NotComputed() => new(Name, null, null, "",
        $"not computed: needs pytorch-fid's Inception weights; give --inception-weights FILE (or set {InceptionWeightsOption.EnvironmentVariable}) " +
        $"with {InceptionFeatures.ReleaseFileName} from {InceptionFeatures.ReleaseUrl}; FD-ResNet18 values are not comparable with published FID");

    /// <summary>What the features were, for the note of the computed row.</summary>
    public static string FeaturesNote(InceptionFeatures inception) => inception.IsReleaseFile
        ? $"pytorch-fid's Inception pool3 features ({InceptionFeatures.ReleaseFileName}); published FIDs use 50,000 samples, and FID grows as the sample shrinks"
        : $"Inception pool3 features with the weights of {Path.GetFileName(inception.WeightsPath)} (SHA-256 {inception.WeightsSha256[..8]}…), " +
          $"not pytorch-fid's release ({InceptionFeatures.ReleaseHashPrefix}…): not comparable with published FID";
}
