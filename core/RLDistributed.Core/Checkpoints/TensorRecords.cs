using static TorchSharp.torch;

namespace RLDistributed.Core.Checkpoints;

/// <summary>Copies between live tensors (any device) and host <see cref="TensorRecord"/>s.</summary>
public static class TensorRecords
{
    /// <summary>Host copies of <paramref name="tensors"/> (one device→host copy each, at memcpy speed on CPU).</summary>
    public static List<TensorRecord> Capture(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var records = new List<TensorRecord>();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in tensors)
        {
            using var scope = NewDisposeScope();
            var element = tensor.dtype switch
            {
                ScalarType.Float32 => TensorElement.Float32,
                ScalarType.Int64 => TensorElement.Int64,
                _ => throw new NotSupportedException($"tensor {name} has dtype {tensor.dtype}; checkpoints hold float32 and int64"),
            };
            var host = tensor.detach().cpu().contiguous();
            records.Add(new TensorRecord(name, element, [.. tensor.shape], host.bytes.ToArray()));
        }
        return records;
    }

    /// <summary>
    /// Copies <paramref name="records"/> into <paramref name="targets"/>: every target must be present with the
    /// same shape and type, and no record may be left over (a checkpoint of another network is refused).
    /// </summary>
    public static void Restore(IReadOnlyDictionary<string, Tensor> targets, IReadOnlyList<TensorRecord> records, string path)
    {
        var byName = new Dictionary<string, TensorRecord>();
        foreach (var record in records)
            if (!byName.TryAdd(record.Name, record)) throw new CheckpointException(path, $"tensor {record.Name} appears twice");
        foreach (var name in byName.Keys)
            if (!targets.ContainsKey(name)) throw new CheckpointException(path, $"holds tensor {name}, which this network does not have");
        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            if (!byName.TryGetValue(name, out var record)) throw new CheckpointException(path, $"tensor {name} is missing");
            if (!record.Shape.SequenceEqual(target.shape))
                throw new CheckpointException(path, $"tensor {name} has shape [{string.Join(", ", record.Shape)}], the network expects [{string.Join(", ", target.shape)}]");
            var dtype = record.Element == TensorElement.Float32 ? ScalarType.Float32 : ScalarType.Int64;
            if (target.dtype != dtype) throw new CheckpointException(path, $"tensor {name} is {record.Element}, the network expects {target.dtype}");
            using var scope = NewDisposeScope();
            var host = empty(record.Shape, dtype);
            record.Data.CopyTo(host.bytes);
            target.copy_(host);
        }
    }
}
