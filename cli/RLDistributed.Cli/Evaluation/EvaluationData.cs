using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Presets;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>The data a model is evaluated against, opened as its training run opened it.</summary>
public static class EvaluationData
{
    /// <summary>
    /// The model's data set: toy sets drawn afresh with <paramref name="seed"/> (<paramref name="count"/> points), image sets
    /// from <paramref name="path"/> padded as the model's preset pads. A missing path or a shape that is not the model's is a
    /// usage error naming --data.
    /// </summary>
    public static IDataset Open(LoadedModel model, string? path, int count, ulong seed)
    {
        var name = model.Manifest.Dataset;
        if (ToyDatasets.IsToy(name)) return ToyDatasets.Create(name, count, seed);
        var padTo32 = TrainingPresets.Names.Contains(model.Manifest.Preset) && TrainingPresets.Get(model.Manifest.Preset).PadTo32;
        IDataset data;
        try
        {
            data = DatasetCatalog.Open(name, path, padTo32, seed);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException("--data", e.Message);
        }
        if (!data.ExampleShape.SequenceEqual(model.Manifest.ExampleShape))
            throw new CliUsageException("--data", $"{data.Name} examples are [{string.Join(", ", data.ExampleShape)}], the model's are [{string.Join(", ", model.Manifest.ExampleShape)}]");
        return data;
    }

    /// <summary>Examples [start, start + count) as one tensor [count, …].</summary>
    public static Tensor Rows(IDataset data, int start, int count)
    {
        var size = data.ExampleShape.Aggregate(1, (a, b) => a * b);
        var values = new float[(long)count * size];
        for (var i = 0; i < count; i++) data.CopyExample(start + i, values.AsSpan(i * size, size));
        return tensor(values).reshape([count, .. data.ExampleShape.Select(d => (long)d)]);
    }
}
