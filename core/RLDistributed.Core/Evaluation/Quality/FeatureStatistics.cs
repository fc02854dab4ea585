using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality;

/// <summary>Mean and covariance of feature vectors, in float64: what a Fréchet distance compares.</summary>
/// <param name="Mean">μ, length D.</param>
/// <param name="Covariance">Σ, D×D row-major, with the unbiased 1/(n − 1) normalisation.</param>
/// <param name="Count">Feature vectors summarised.</param>
public sealed record FeatureStatistics(double[] Mean, double[] Covariance, int Count)
{
    private const string Magic = "RLDFS1";

    /// <summary>D, the feature dimension.</summary>
    public int Dimensions => Mean.Length;

    /// <summary>Statistics of <paramref name="features"/> [N, D] (any float type).</summary>
    public static FeatureStatistics FromFeatures(Tensor features)
    {
        if (features.dim() != 2 || features.shape[0] < 2) throw new ArgumentException("expected at least two feature rows [N, D]", nameof(features));
        using var scope = NewDisposeScope();
        var rows = features.detach().cpu().to(ScalarType.Float64);
        var mean = rows.mean([0]);
        var centred = rows - mean;
        var covariance = centred.T.matmul(centred) / (rows.shape[0] - 1);
        return new FeatureStatistics(mean.data<double>().ToArray(), covariance.contiguous().data<double>().ToArray(), (int)rows.shape[0]);
    }

    /// <summary>Writes a small binary file: a magic, D, the count, μ and Σ as little-endian doubles.</summary>
    public void Save(string path)
    {
        var temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(Magic);
            writer.Write(Dimensions);
            writer.Write(Count);
            foreach (var v in Mean) writer.Write(v);
            foreach (var v in Covariance) writer.Write(v);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a file written by <see cref="Save"/>; null when it is not one (the cache then recomputes).</summary>
    public static FeatureStatistics? TryLoad(string path)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadString() != Magic) return null;
            var dimensions = reader.ReadInt32();
            var count = reader.ReadInt32();
            if (dimensions is < 1 or > 100_000 || reader.BaseStream.Length - reader.BaseStream.Position != 8L * dimensions * (dimensions + 1)) return null;
            var mean = new double[dimensions];
            for (var i = 0; i < dimensions; i++) mean[i] = reader.ReadDouble();
            var covariance = new double[dimensions * dimensions];
            for (var i = 0; i < covariance.Length; i++) covariance[i] = reader.ReadDouble();
            return new FeatureStatistics(mean, covariance, count);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
