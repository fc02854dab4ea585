using RLDistributed.Core.PyTorchFiles;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>
/// Loads a state dict into <see cref="FidInceptionNetwork"/> strictly, as pytorch-fid's <c>load_state_dict</c> does:
/// every parameter and buffer must be in the file with its shape, and the file may hold nothing else.
/// <c>num_batches_tracked</c> counters are skipped on both sides: they count training steps and do not enter
/// the forward pass, and files differ in whether they hold them.
/// </summary>
internal static class FidInceptionWeights
{
    private const string BatchCounterSuffix = ".num_batches_tracked";
    private const int NamesShown = 8;

    /// <summary>Copies the weights in <paramref name="path"/> into <paramref name="network"/>.</summary>
    /// <exception cref="PyTorchFileException">the file cannot be read, or does not hold exactly this network's tensors.</exception>
    public static void Load(FidInceptionNetwork network, string path)
    {
        using var weights = StateDictFile.Read(path, key => !key.EndsWith(BatchCounterSuffix, StringComparison.Ordinal));
        var targets = network.named_parameters().Select(p => (p.name, Tensor: (Tensor)p.parameter))
            .Concat(network.named_buffers().Select(b => (b.name, Tensor: b.buffer)))
            .Where(t => !t.name.EndsWith(BatchCounterSuffix, StringComparison.Ordinal))
            .ToDictionary(t => t.name, t => t.Tensor, StringComparer.Ordinal);

        var missing = targets.Keys.Where(k => !weights.Tensors.ContainsKey(k)).ToList();
        var unexpected = weights.Tensors.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        var misshapen = targets.Where(t => weights.Tensors.TryGetValue(t.Key, out var w) && !w.shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key} [{string.Join(", ", weights.Tensors[t.Key].shape)}], expected [{string.Join(", ", t.Value.shape)}]").ToList();
        if (missing.Count + unexpected.Count + misshapen.Count > 0)
        {
            var problems = new[] { ("missing", missing), ("of another shape", misshapen), ("unexpected", unexpected) }
                .Where(p => p.Item2.Count > 0)
                .Select(p => $"{p.Item2.Count} {p.Item1} ({string.Join("; ", p.Item2.Take(NamesShown))}{(p.Item2.Count > NamesShown ? "; …" : "")})");
            throw new PyTorchFileException(path, $"not the weights of pytorch-fid's Inception network: {string.Join(", ", problems)}");
        }

        using var noGrad = no_grad();
        foreach (var (name, target) in targets) target.copy_(weights.Tensors[name]);
    }
}
